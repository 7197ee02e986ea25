package sync

import (
	"os"
	"path/filepath"
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

// A folder's files that are not batches are named, not passed over in
// silence; an office code longer than any office has is no batch name.
func TestSkippedFilesNamed(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"SH-000001-20261207.zip.age", "bao-cao.docx", "SH-enrollment.zip", ".hidden", strings.Repeat("A", 200) + "-000001-20261207.zip"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	files, err := ExpandPaths([]string{dir})
	if err != nil || len(files) != 1 {
		t.Fatalf("batches %v %v", files, err)
	}
	skipped := SkippedFiles([]string{dir})
	if len(skipped) != 3 || skipped[0] != strings.Repeat("A", 200)+"-000001-20261207.zip" || skipped[1] != "SH-enrollment.zip" || skipped[2] != "bao-cao.docx" {
		t.Errorf("skipped %q", skipped)
	}
}
