package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs a command line in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	inv, err := Parse(args)
	var out, errb bytes.Buffer
	inv.Stdout, inv.Stderr = &out, &errb
	if err != nil {
		return Fail(inv, err), out.String(), errb.String()
	}
	code = Run(context.Background(), inv)
	return code, out.String(), errb.String()
}

func initArgs(dir string) []string {
	return []string{"--data", dir, "init", "--office-name", "UBND xã Suối Hoa", "--office-code", "SH",
		"--kind", "xa", "--role", "commune", "--collector-name", "Ban Dân vận Huyện ủy Tân Lạc"}
}

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "thu")
	code, out, errs := run(t, initArgs(dir)...)
	if code != ExitOK {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "UBND xã Suối Hoa (SH)") {
		t.Errorf("init said %q", out)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "danvan.db"))
	code, _, errs = run(t, initArgs(dir)...)
	if code != ExitOther || !strings.Contains(errs, "đã được thiết lập") {
		t.Errorf("second init: exit %d, %q", code, errs)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "danvan.db"))
	if !bytes.Equal(before, after) {
		t.Error("a refused second init changed the database")
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown global flag", []string{"--bogus"}, ExitUsage, "Không có tùy chọn --bogus"},
		{"unknown command", []string{"--data", dir, "frobnicate"}, ExitUsage, "Không có lệnh"},
		{"unknown init flag", []string{"--data", dir, "init", "--colour", "red"}, ExitUsage, "-colour"},
		{"missing init flag", []string{"--data", dir, "init", "--office-name", "X"}, ExitUsage, "--collector-name"},
		{"data without value", []string{"--data"}, ExitUsage, "--data"},
		{"english", []string{"--lang", "en", "--bogus"}, ExitUsage, "There is no option --bogus"},
		{"bad kind", append(initArgs(filepath.Join(dir, "k"))[:8], "thon", "--role", "commune", "--collector-name", "Y"), ExitOther, "Loại đơn vị"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (%s)", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q does not say %q", errs, tt.want)
			}
		})
	}
}

func TestNotSetUpAndDamaged(t *testing.T) {
	dir := t.TempDir()
	junk := bytes.Repeat([]byte("not a database "), 600)
	if err := os.WriteFile(filepath.Join(dir, "danvan.db"), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, initArgs(dir)...)
	if code != ExitOther || !strings.Contains(errs, "bị hỏng") {
		t.Errorf("init on junk: exit %d, %q", code, errs)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "danvan.db"))
	if !bytes.Equal(got, junk) {
		t.Error("the damaged file was changed")
	}
}

func TestHelpAndVersion(t *testing.T) {
	code, out, _ := run(t, "help")
	if code != ExitOK || !strings.Contains(out, "init --office-name") {
		t.Errorf("help: exit %d, %q", code, out)
	}
	inv, _ := Parse([]string{"--version"})
	if got := strings.Join(inv.Words, " "); got != "version" {
		t.Errorf("--version parsed as %q", got)
	}
	if inv, _ := Parse(nil); !inv.OpensWindow() {
		t.Error("no arguments should open the window")
	}
}
