package ui

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
)

// LogName is the window's log in the data folder. A Windows build has no
// console: without this file a crash would leave nothing an office could
// send. The previous log is kept beside it as LogName+".1".
const LogName = "danvan.log"

// logLimit bounds the log: past it, the next start begins a new file.
const logLimit = 1 << 20

// openLog sends the log to the data folder's danvan.log as well as to
// stderr, and has the Go runtime write a crash's trace there (a panic on
// any goroutine, or a fatal error). It returns a function that closes it.
func openLog(dir string) func() {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		log.Printf("log: %v", err)
		return func() {}
	}
	path := filepath.Join(dir, LogName)
	if fi, err := os.Stat(path); err == nil && fi.Size() > logLimit {
		os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		log.Printf("log: %v", err)
		return func() {}
	}
	log.SetOutput(io.MultiWriter(os.Stderr, f))
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		log.Printf("log: crash output: %v", err)
	}
	return func() {
		log.SetOutput(os.Stderr)
		debug.SetCrashOutput(nil, debug.CrashOptions{})
		f.Close()
	}
}
