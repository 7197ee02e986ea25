// Package stocktool finds the stock programs that tests check danvan's
// files against (minisign, age, curl, sqlite3, LibreOffice, Gnumeric,
// zbarimg). make test sets DANVAN_INTEROP=required, and then a missing tool
// fails the test with the Debian package to install; a plain `go test`
// skips the check instead.
package stocktool

import (
	"os"
	"os/exec"
	"testing"
)

// Path is the program name's path. pkg is the Debian package that has it
// ("" when it is name).
func Path(t testing.TB, name, pkg string) string {
	t.Helper()
	if pkg == "" {
		pkg = name
	}
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("DANVAN_INTEROP") == "required" {
			t.Fatalf("stock %s is not installed, and make test requires the checks against it (Debian: apt install %s)", name, pkg)
		}
		t.Skipf("stock %s is not installed; the check against it did not run", name)
	}
	return p
}
