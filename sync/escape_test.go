package sync

import (
	"fmt"
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

// The public key file names the key id with its leading zero.
func TestPublicKeyFileKeepsLeadingZeros(t *testing.T) {
	for seed := 0; seed < 200; seed++ {
		km, _ := mustKey(t, fmt.Sprint("zero ", seed))
		if !strings.HasPrefix(km.KeyID, "0") {
			continue
		}
		text, err := PublicKeyFile(km.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(text, "untrusted comment: minisign public key: "+km.KeyID+"\n") {
			t.Fatalf("key %s: %q", km.KeyID, text)
		}
		if _, err := ParsePublicKey(strings.Split(text, "\n")[1]); err != nil {
			t.Fatalf("the key line does not read back: %v", err)
		}
		return
	}
	t.Skip("no key id with a leading zero among the seeds")
}
