// Package posixlocale gives Fyne's locale lookup a well-formed language on
// machines whose locale is the bare "C" or "POSIX" (services, CI, minimal
// Linux installs). Fyne's lang package reads the locale in its own init and
// logs a parse error for "C" on every call; this package must be
// initialised before it, which Go's init order guarantees because its import
// path sorts first and it imports nothing of Fyne.
package posixlocale

import (
	"os"
	"runtime"
	"strings"
)

func init() {
	if runtime.GOOS == "windows" || os.Getenv("LANGUAGE") != "" {
		return
	}
	loc := os.Getenv("LC_ALL")
	if loc == "" {
		loc = os.Getenv("LC_MESSAGES")
	}
	if loc == "" {
		loc = os.Getenv("LANG")
	}
	if loc == "" || loc == "C" || loc == "POSIX" || strings.HasPrefix(loc, "C.") {
		os.Setenv("LANGUAGE", "vi")
	}
}
