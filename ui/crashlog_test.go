package ui

import (
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogGoesToTheDataFolder(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, LogName)
	if err := os.WriteFile(big, make([]byte, logLimit+1), 0o600); err != nil {
		t.Fatal(err)
	}
	closeLog := openLog(dir)
	log.Printf("mở thư mục dữ liệu")
	closeLog()
	data, err := os.ReadFile(big)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "mở thư mục dữ liệu") || len(data) > 1000 {
		t.Fatalf("log = %d bytes %q…", len(data), data[:min(len(data), 80)])
	}
	if fi, err := os.Stat(big + ".1"); err != nil || fi.Size() != logLimit+1 {
		t.Fatalf("the old log was not kept aside: %v", err)
	}
}
