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

// waitIdle waits until every piece of background work the App started has
// run its done on the UI side: the one counter tests wait on (App.pending).
// With App.inline, as most screen tests have it, there is never any.
func waitIdle(t *testing.T, a *App) {
	t.Helper()
	waitFor(t, func() bool { return a.pending.Load() == 0 })
}
