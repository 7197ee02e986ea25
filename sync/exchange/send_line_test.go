package exchange

import (
	"errors"
	"testing"
	"time"
)

// One decision for the send progress line, which the command line and the
// window both print (they had drifted: the first try was said in one and
// not the other).
func TestSendProgressLine(t *testing.T) {
	for _, tc := range []struct {
		p    SendProgress
		key  string
		secs any
	}{
		{SendProgress{Seq: 3, Attempt: 1, Attempts: 6}, "send.try", nil},
		{SendProgress{Seq: 3, Attempt: 2, Attempts: 6}, "send.try", nil},
		{SendProgress{Seq: 3, Attempt: 2, Attempts: 6, Wait: 1500 * time.Millisecond, Err: errors.New("x")}, "send.wait", 2},
		{SendProgress{Seq: 3, Result: "imported"}, "send.done", nil},
		{SendProgress{Seq: 3, Result: "gap"}, "send.gap", nil},
		{SendProgress{}, "", nil},
	} {
		key, args := tc.p.Line()
		if key != tc.key || tc.secs != nil && args["Seconds"] != tc.secs {
			t.Errorf("%+v: %q %v", tc.p, key, args)
		}
	}
}
