package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// waitFor polls cond on the UI goroutine until it holds, for work that the
// screens run in the background. It fails the test after a generous limit;
// it measures nothing.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		fyne.DoAndWait(func() {
			uiMu.Lock()
			defer uiMu.Unlock()
			ok = cond()
		})
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met in time")
}
