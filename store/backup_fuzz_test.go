package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCheckBackup feeds CheckBackup files that come from a USB stick: it must
// never panic, and whatever it accepts must be a database it can read.
func FuzzCheckBackup(f *testing.F) {
	s, head := mustSetUpHead(f)
	ctx := context.Background()
	good := filepath.Join(f.TempDir(), "good.db")
	if err := s.BackupTo(ctx, head, good); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(good)
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add(b[:100])
	f.Add([]byte("SQLite format 3\x00"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		info, err := CheckBackup(ctx, p)
		if err == nil && info.Schema == 0 {
			t.Errorf("accepted a backup without migrations: %+v", info)
		}
	})
}
