package sync

import (
	"strings"
	"testing"
)

// A refused file's names reach a terminal and a quarantine note before any
// signature is checked: the escape sequences and bidirectional overrides an
// attacker puts in them arrive escaped, in the message and in the error.
func TestOutsideNamesArriveEscaped(t *testing.T) {
	e := &Error{Problem: ProblemUnsafeName, File: "lo\x1b]0;pwned\x07.zip", Member: "manifest\u202egpj.exe\x00", Detail: "\x1b[2J",
		Args: map[string]any{"Kind": "ab\x9bc"}}
	_, args := e.MessageCode()
	for k, v := range args {
		s, _ := v.(string)
		if strings.ContainsAny(s, "\x1b\x00\x07\u202e\u009b") {
			t.Errorf("%s = %q reaches the message raw", k, s)
		}
	}
	if msg := e.Error(); strings.ContainsAny(msg, "\x1b\x00\x07\u202e") {
		t.Errorf("Error() = %q", msg)
	}
}
