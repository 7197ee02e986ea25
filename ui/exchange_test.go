package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	dsync "danvan/sync"
)

func init() { dsync.KDFCost = dsync.FastKDF }

func TestExchangeCreateKeyExportLock(t *testing.T) {
	a := newTestApp(t)
	s := newExchangeScreen(a)
	a.Win.SetContent(s.content())
	waitFor(t, func() bool { return s.createBox.Visible() })

	test.Type(s.newPass, "mat khau ky 1")
	test.Type(s.newPass2, "mat khau ky 2")
	test.Tap(s.createB)
	if s.exportBox.Visible() {
		t.Fatal("a key was made from two different passphrases")
	}
	s.newPass2.SetText("")
	test.Type(s.newPass2, "mat khau ky 1")
	test.Tap(s.createB)
	waitFor(t, func() bool { return s.exportBox.Visible() && !s.createBox.Visible() })
	if !s.pass.Visible() || !s.lockB.Disabled() {
		t.Error("a new key should start locked, asking for its passphrase")
	}

	test.Type(s.pass, "sai mat khau")
	test.Tap(s.exportB)
	waitFor(t, func() bool { return !s.exportB.Disabled() })
	if a.signing().Unlocked() {
		t.Fatal("a wrong passphrase unlocked the key")
	}
	if entries, _ := os.ReadDir(filepath.Join(a.St.Dir(), "outbox")); len(entries) != 0 {
		t.Errorf("a failed export left %d files in the outbox", len(entries))
	}

	test.Type(s.pass, "mat khau ky 1")
	test.Tap(s.exportB)
	waitFor(t, func() bool { return strings.Contains(s.result.Text, "SH-000001-") })
	path := filepath.Join(a.St.Dir(), "outbox")
	entries, _ := os.ReadDir(path)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "SH-000001-") {
		t.Fatalf("outbox = %v", entries)
	}
	data, _ := os.ReadFile(filepath.Join(path, entries[0].Name()))
	if !strings.Contains(s.result.Text, dsync.ShortHash(dsync.SHA256Hex(data))) {
		t.Errorf("result %q does not show the file's short hash", s.result.Text)
	}
	waitFor(t, func() bool { return strings.Contains(s.acks.Text, "chưa xác nhận: lô 1") })
	if !a.signing().Unlocked() || s.pass.Visible() || s.lockB.Disabled() {
		t.Error("after an export the key should stay open, with the lock button on")
	}

	// A second export needs no passphrase while the key is open.
	test.Tap(s.exportB)
	waitFor(t, func() bool { return strings.Contains(s.result.Text, "SH-000002-") })
	waitFor(t, func() bool { return strings.Contains(s.history.Text, "SH-000002-") })

	test.Tap(s.lockB)
	if a.signing().Unlocked() || !s.pass.Visible() {
		t.Error("the lock button did not forget the key")
	}
}
