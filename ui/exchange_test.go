package ui

import (
	"context"
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
	dsync "danvan/sync"
)

func init() { dsync.KDFCost = dsync.FastKDF }

// onUI runs f on the UI goroutine, as a person's click would; the screens'
// background work comes back there too, so tests must not touch widgets
// from their own goroutine.
func onUI(f func()) { fyne.DoAndWait(f) }

// ui reads widget state on the UI goroutine.
func ui(f func() bool) (ok bool) {
	fyne.DoAndWait(func() { ok = f() })
	return ok
}

func TestExchangeCreateKeyExportLock(t *testing.T) {
	a := newTestApp(t)
	s := newExchangeScreen(a)
	var asked []string
	s.ask = func(title, msg string, yes func()) { asked = append(asked, title+"\n"+msg); yes() }
	onUI(func() { a.Win.SetContent(s.content()) })
	waitFor(t, func() bool { return s.createBox.Visible() })
	// No collecting office enrolled: the screen says the batch goes in clear.
	if !ui(func() bool {
		return strings.Contains(s.encState.Text, "Chưa mã hóa") && s.encState.Importance == widget.WarningImportance
	}) {
		t.Errorf("the screen does not warn that batches go in clear: %q", s.encState.Text)
	}

	onUI(func() { test.Type(s.newPass, "mat khau ky 1") })
	onUI(func() { test.Type(s.newPass2, "mat khau ky 2") })
	onUI(func() { test.Tap(s.createB) })
	if ui(func() bool { return s.exportBox.Visible() }) {
		t.Fatal("a key was made from two different passphrases")
	}
	onUI(func() { s.newPass2.SetText("") })
	onUI(func() { test.Type(s.newPass2, "mat khau ky 1") })
	onUI(func() { test.Tap(s.createB) })
	waitFor(t, func() bool { return s.exportBox.Visible() && !s.createBox.Visible() })
	if ui(func() bool { return !s.pass.Visible() || !s.lockB.Disabled() }) {
		t.Error("a new key should start locked, asking for its passphrase")
	}

	onUI(func() { test.Type(s.pass, "sai mat khau") })
	onUI(func() { test.Tap(s.exportB) })
	waitFor(t, func() bool { return !s.exportB.Disabled() })
	if a.signing().Unlocked() {
		t.Fatal("a wrong passphrase unlocked the key")
	}
	if entries, _ := os.ReadDir(filepath.Join(a.St.Dir(), "outbox")); len(entries) != 0 {
		t.Errorf("a failed export left %d files in the outbox", len(entries))
	}

	onUI(func() { test.Type(s.pass, "mat khau ky 1") })
	asked = nil
	onUI(func() { test.Tap(s.exportB) })
	waitFor(t, func() bool { return strings.Contains(s.result.Text, "SH-000001-") })
	if len(asked) != 1 || !strings.Contains(asked[0], "không mã hóa") || !strings.Contains(asked[0], "số điện thoại") {
		t.Errorf("the export in clear was not asked about in words: %q", asked)
	}
	if !ui(func() bool { return strings.Contains(s.result.Text, "KHÔNG được mã hóa") }) {
		t.Errorf("the result does not say the batch is in clear: %q", s.result.Text)
	}
	path := filepath.Join(a.St.Dir(), "outbox")
	entries, _ := os.ReadDir(path)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "SH-000001-") {
		t.Fatalf("outbox = %v", entries)
	}
	data, _ := os.ReadFile(filepath.Join(path, entries[0].Name()))
	if !ui(func() bool { return strings.Contains(s.result.Text, dsync.ShortHash(dsync.SHA256Hex(data))) }) {
		t.Error("the result does not show the file's short hash")
	}
	waitFor(t, func() bool { return strings.Contains(s.acks.Text, "Chưa xác nhận: lô 1") })
	if ui(func() bool { return !a.signing().Unlocked() || s.pass.Visible() || s.lockB.Disabled() }) {
		t.Error("after an export the key should stay open, with the lock button on")
	}

	// Nothing changed: no batch, and no number used for one.
	onUI(func() { test.Tap(s.exportB) })
	waitFor(t, func() bool {
		return strings.Contains(s.result.Text, "Không có thay đổi nào kể từ lô trước")
	})
	if entries, _ := os.ReadDir(path); len(entries) != 1 {
		t.Fatalf("an export with nothing new wrote a file: %v", entries)
	}
	// After a change, a second export needs no passphrase while the key is open.
	if _, err := a.St.SaveModel(context.Background(), store.System, domain.Model{Kind: domain.KindModel, Name: "Nuôi ong lấy mật", Field: domain.FieldEconomy,
		Year: 2026, Body: domain.BodyPeoples, PersonName: "Lò Văn Thắng", Content: "Nội dung"}); err != nil {
		t.Fatal(err)
	}
	onUI(func() { test.Tap(s.exportB) })
	waitFor(t, func() bool { return strings.Contains(s.result.Text, "SH-000002-") })
	waitFor(t, func() bool { return strings.Contains(s.history.Text, "SH-000002-") })

	onUI(func() { test.Tap(s.lockB) })
	if ui(func() bool { return a.signing().Unlocked() || !s.pass.Visible() }) {
		t.Error("the lock button did not forget the key")
	}
}

// TestExchangeReceiptLoop: the commune enrolls its collecting office in
// Cài đặt, exports, and imports the receipt the collecting office wrote;
// the status then says which batches arrived.
func TestExchangeReceiptLoop(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	km, err := dsync.GenerateKey(nil, "mat khau ky 1")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.St.CreateSelfKey(ctx, a.Actor, km); err != nil {
		t.Fatal(err)
	}

	// The collecting office, as another data folder.
	hst, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer hst.Close()
	hkm, _ := dsync.GenerateKey(nil, "mat khau huyen")
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận Tỉnh ủy"
	if _, err := hst.Setup(ctx, store.SetupInput{Office: domain.Office{Code: "HTL", Name: "Ban Dân vận Huyện ủy Tân Lạc", Kind: domain.KindHuyen, Role: domain.RoleCollector},
		Settings: set, Key: &hkm}); err != nil {
		t.Fatal(err)
	}
	hsg, _ := dsync.Unlock(hkm, "mat khau huyen")
	carry := t.TempDir()
	henr, err := dsync.ExportEnrollment(ctx, hst, hsg, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	// Cài đặt: the settings section enrolls HTL and exports SH's file.
	k := newKeySettings(a)
	onUI(func() { a.Win.SetContent(k.content()) })
	if ui(func() bool { return k.fingerprint.Text != dsync.Fingerprint(km.KeyID) || k.public.Text != km.PublicKey }) {
		t.Error("the settings do not show this office's key")
	}
	onUI(func() { k.enroll(filepath.Join(carry, "HTL.zip"), henr, nil) })
	waitFor(t, func() bool { return strings.Contains(k.result.Text, "Đã đăng ký HTL") })
	// A wrong passphrase: the empty file the save dialog made is removed,
	// and no earlier success stays beside the error.
	shEnr := filepath.Join(carry, "SH-enrollment.zip")
	if err := os.WriteFile(shEnr, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	onUI(func() { k.result.SetText("an earlier success") })
	onUI(func() { test.Type(k.pass, "sai mat khau") })
	onUI(func() { k.exportTo(shEnr) })
	waitFor(t, func() bool { return k.result.Text == "" })
	if _, err := os.Stat(shEnr); !os.IsNotExist(err) {
		t.Fatalf("a failed export left %s behind (%v)", shEnr, err)
	}
	onUI(func() {
		for len(a.dialogs) > 0 {
			a.escape()
		}
	})
	onUI(func() { test.Type(k.pass, "mat khau ky 1") })
	onUI(func() { k.exportTo(shEnr) })
	waitFor(t, func() bool { return strings.Contains(k.result.Text, dsync.Fingerprint(km.KeyID)) })
	data, _ := os.ReadFile(shEnr)
	if _, _, err := dsync.Enroll(ctx, hst, store.System, "SH-enrollment.zip", data, dsync.Fingerprint(km.KeyID)); err != nil {
		t.Fatal(err)
	}

	// Trao đổi dữ liệu: export, carried to HTL, imported there. HTL's file
	// carried its encryption key: the batch is encrypted, and not asked about.
	s := newExchangeScreen(a)
	s.ask = func(title, msg string, yes func()) { t.Errorf("asked %q although the batch is encrypted", title) }
	onUI(func() { a.Win.SetContent(s.content()) })
	waitFor(t, func() bool { return s.exportBox.Visible() })
	if !ui(func() bool { return strings.Contains(s.encState.Text, "Lô được mã hóa cho HTL") }) {
		t.Errorf("the screen does not say whom batches are encrypted to: %q", s.encState.Text)
	}
	onUI(func() { test.Type(s.pass, "mat khau ky 1") })
	onUI(func() { test.Tap(s.exportB) })
	waitFor(t, func() bool { return strings.Contains(s.history.Text, "SH-000001-") })
	if !ui(func() bool { return strings.Contains(s.result.Text, "Đã mã hóa cho cơ quan tiếp nhận") }) {
		t.Errorf("result = %q", s.result.Text)
	}
	files, _ := filepath.Glob(filepath.Join(a.St.Dir(), "outbox", "SH-*.zip.age"))
	if len(files) != 1 {
		t.Fatalf("outbox: %v", files)
	}
	if r := dsync.ImportFileWith(ctx, hst, store.System, t.TempDir(), files[0], dsync.Options{Key: hsg}); r.Err != nil {
		t.Fatal(r.Err)
	}
	rp, err := dsync.WriteReceipt(ctx, hst, store.System, hsg, t.TempDir(), a.Self.ID, carry, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	// A changed receipt is refused in words; the real one acknowledges.
	bad := filepath.Join(carry, "bad.zip")
	rdata, _ := os.ReadFile(rp)
	rdata[len(rdata)/3] ^= 1
	os.WriteFile(bad, rdata, 0o600)
	onUI(func() { s.importReceipt(bad) })
	waitFor(t, func() bool { return strings.HasPrefix(s.receiptRes.Text, "bad.zip: ") })
	onUI(func() { s.importReceipt(rp) })
	waitFor(t, func() bool { return strings.Contains(s.acks.Text, "Đã nhận: lô 1, ngày ") })
	if !ui(func() bool { return strings.Contains(s.receiptRes.Text, "HTL") }) {
		t.Error("the receipt result does not name HTL")
	}
}
