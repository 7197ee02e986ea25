package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
)

// withHead adds a head account "chutich" to a's folder and makes it the
// acting user, as after a login.
func withHead(t *testing.T, a *App) store.Actor {
	t.Helper()
	ctx := context.Background()
	if _, err := a.St.AddUser(ctx, store.System, store.NewUser{Username: "chutich", FullName: "Nguyễn Văn An", Password: "mat-khau-lanh-dao"}, store.RoleHead); err != nil {
		t.Fatal(err)
	}
	head, err := a.St.Login(ctx, "chutich", "mat-khau-lanh-dao")
	if err != nil {
		t.Fatal(err)
	}
	a.Actor = head
	return head
}

func TestShowLoginWithoutUsersActsAsSystem(t *testing.T) {
	a := newTestApp(t)
	var got *store.Actor
	showLogin(a, func(act store.Actor) { got = &act })
	if got == nil || got.Role != store.RoleSystem {
		t.Fatalf("done(%v), want the system actor at once", got)
	}
}

func TestLoginScreen(t *testing.T) {
	a := newTestApp(t)
	withHead(t, a)
	a.Actor = store.Actor{}
	done := make(chan store.Actor, 1)
	l := newLoginScreen(a, func(act store.Actor) { done <- act })
	onUI(func() { a.Win.SetContent(l.content()) })

	onUI(func() { test.Tap(l.loginB) })
	if got, want := l.msg.Text, i18n.T("safety.login.need_name"); got != want {
		t.Errorf("empty name: message %q, want %q", got, want)
	}
	onUI(func() { test.Type(l.user, "chutich") })
	onUI(func() { test.Type(l.pass, "sai-mat-khau") })
	onUI(func() { test.Tap(l.loginB) })
	waitFor(t, func() bool { return l.msg.Text == i18n.T("err.login_bad") })
	if l.pass.Text != "" {
		t.Error("the wrong password was left in the field")
	}
	select {
	case <-done:
		t.Fatal("a wrong password logged in")
	default:
	}
	onUI(func() { test.Type(l.pass, "mat-khau-lanh-dao") })
	onUI(func() { l.pass.OnSubmitted(l.pass.Text) }) // Enter in the password field
	var act store.Actor
	waitFor(t, func() bool {
		select {
		case act = <-done:
			return true
		default:
			return false
		}
	})
	if act.Role != store.RoleHead || act.Name != "chutich" || a.Actor != act {
		t.Errorf("logged in as %+v (app %+v)", act, a.Actor)
	}
}

func TestUsersSectionHeadAddsOfficer(t *testing.T) {
	a := newTestApp(t)
	withHead(t, a)
	s := newUsersSection(a)
	onUI(func() { a.Win.SetContent(s.content()) })
	waitFor(t, func() bool { return len(s.list.Objects) == 1 })

	onUI(func() { test.Type(s.username, "can bo") })
	onUI(func() { test.Type(s.fullName, "Lò Thị Bình") })
	onUI(func() { test.Type(s.password, "123") })
	onUI(func() { test.Tap(s.addB) })
	waitFor(t, func() bool { return s.rows["username"].err.Visible() })
	if got, want := s.rows["password"].err.Text, i18n.T("err.password_short", i18n.Args{"Min": store.MinPassword}); got != want {
		t.Errorf("password problem %q, want %q", got, want)
	}
	onUI(func() { s.username.SetText("canbo.binh") })
	onUI(func() { s.password.SetText("mat-khau-cb") })
	onUI(func() { test.Tap(s.addB) })
	waitFor(t, func() bool { return len(s.list.Objects) == 2 })
	if s.username.Text != "" || s.password.Text != "" {
		t.Error("the form kept the new account's text")
	}
	var officer store.User
	for _, u := range s.users {
		if u.Username == "canbo.binh" {
			officer = u
		}
	}
	if officer.Role != store.RoleOfficer || officer.FullName != "Lò Thị Bình" {
		t.Fatalf("new account = %+v", officer)
	}
	errs := make(chan error, 1)
	onUI(func() { s.resetPassword(officer, "mat-khau-moi", func(err error) { errs <- err }) })
	waitFor(t, func() bool { return len(errs) == 1 })
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if _, err := a.St.Login(context.Background(), "canbo.binh", "mat-khau-moi"); err != nil {
		t.Errorf("login with the reset password: %v", err)
	}
}

func TestUsersSectionOfficerSeesNoControls(t *testing.T) {
	a := newTestApp(t)
	a.Actor = store.Actor{UserID: "x", Name: "canbo", Role: store.RoleOfficer}
	s := newUsersSection(a)
	l, ok := s.content().(*widget.Label)
	if !ok || l.Text != i18n.T("safety.users.head_only") {
		t.Fatalf("officer sees %T, want the head-only note", s.content())
	}
}

func TestAuditScreenFiltersAndHistory(t *testing.T) {
	a := newTestApp(t)
	head := withHead(t, a)
	ctx := context.Background()
	u, err := a.St.AddUser(ctx, head, store.NewUser{Username: "canbo", FullName: "Cán bộ", Password: "12345678"}, store.RoleOfficer)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.St.SetUserDisabled(ctx, head, u.ID, true); err != nil {
		t.Fatal(err)
	}
	a.St.Login(ctx, "canbo", "sai")
	s := newAuditScreen(a)
	onUI(func() { a.Win.SetContent(s.content()); s.onShow() })
	waitFor(t, func() bool { return len(s.entries) > 4 })
	if got := s.cell(0, 2); got != i18n.T("safety.action.login_failed") {
		t.Errorf("newest action = %q, want the failed login", got)
	}
	// Filter on "Đăng nhập sai".
	onUI(func() {
		for i, v := range s.actions {
			if v == store.ActionLoginFailed {
				s.action.SetSelectedIndex(i + 1)
			}
		}
	})
	onUI(func() { test.Tap(s.filterB) })
	waitFor(t, func() bool { return len(s.entries) == 1 })
	if s.entries[0].UserName != "canbo" {
		t.Errorf("filtered entry = %+v", s.entries[0])
	}
	// A date that cannot be read says so and keeps the list.
	onUI(func() { test.Type(s.from, "31/02/2026") })
	onUI(func() { test.Tap(s.filterB) })
	if !strings.Contains(s.msg.Text, "31/02/2026") {
		t.Errorf("bad date message = %q", s.msg.Text)
	}
	if len(s.entries) != 1 {
		t.Error("a bad date reloaded the list")
	}
	onUI(func() { s.from.SetText("01/01/2000") })
	onUI(func() { test.Tap(s.filterB) })
	waitFor(t, func() bool { return s.msg.Text == "" && len(s.entries) == 1 })

	lines := describeChange(`{"username":"canbo","disabled":false,"role":"officer"}`, `{"username":"canbo","disabled":true,"role":"officer"}`)
	if len(lines) != 1 || !strings.Contains(lines[0], i18n.T("common.no")+" → "+i18n.T("common.yes")) {
		t.Errorf("describeChange = %q", lines)
	}
	hist, _ := a.St.History(ctx, "user", u.ID)
	view := historyView(hist)
	if view == nil || len(hist) != 3 {
		t.Errorf("history of the officer: %d entries", len(hist))
	}
}

func TestBackupSectionBacksUpAndRestores(t *testing.T) {
	a := newTestApp(t)
	head := withHead(t, a)
	ctx := context.Background()
	s := newBackupSection(a)
	onUI(func() { a.Win.SetContent(s.content()) })
	folder := t.TempDir()
	type result struct {
		path string
		err  error
	}
	res := make(chan result, 1)
	onUI(func() { s.backupTo(folder, func(p string, err error) { res <- result{p, err} }) })
	waitFor(t, func() bool { return len(res) == 1 })
	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	if _, err := os.Stat(r.path); err != nil || filepath.Dir(r.path) != folder {
		t.Fatalf("backup at %q: %v", r.path, err)
	}
	if !strings.Contains(s.msg.Text, filepath.Base(r.path)) {
		t.Errorf("message %q does not name the file", s.msg.Text)
	}
	if _, err := a.St.AddUser(ctx, head, store.NewUser{Username: "canbo", FullName: "Cán bộ", Password: "12345678"}, store.RoleOfficer); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	onUI(func() { s.restore(r.path, "", false, func(err error) { errs <- err }) })
	waitFor(t, func() bool { return len(errs) == 1 })
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	users, _ := a.St.Users(ctx)
	if len(users) != 1 {
		t.Errorf("%d users after restoring the backup taken before the officer was added", len(users))
	}
	waitFor(t, func() bool { return len(s.snaps) >= 1 && s.snaps[0].Reason == store.SnapshotRestore })
}

func TestBackupSectionOfficerCannotRestore(t *testing.T) {
	a := newTestApp(t)
	a.Actor = store.Actor{UserID: "x", Name: "canbo", Role: store.RoleOfficer}
	s := newBackupSection(a)
	onUI(func() { a.Win.SetContent(s.content()) })
	if !s.restoreB.Disabled() {
		t.Error("the restore button is enabled for an officer")
	}
	if s.backupB.Disabled() {
		t.Error("an officer cannot back up")
	}
}

// A backup older than the last batch sent: the confirmation says so before
// anything is replaced, and the restore keeps the batches sent, so the
// next batch follows the last one the collecting office holds.
func TestRestoreOfAnOlderBackupWarnsAndKeepsTheChain(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	send := func(seq int64, prev string) string {
		sha := strings.Repeat(string(rune('a'+seq)), 64)
		if err := a.St.RecordBatchSent(ctx, store.System, store.SentBatch{Seq: seq, FileName: fmt.Sprintf("SH-%06d-20261201.zip.age", seq),
			SHA256: sha, PrevSHA256: prev, KeyID: "0123456789ABCDEF", CreatedAt: time.Date(2026, 12, int(seq), 8, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		return sha
	}
	first := send(1, "")
	backup := filepath.Join(t.TempDir(), "truoc.db")
	if err := a.St.BackupTo(ctx, store.System, backup); err != nil {
		t.Fatal(err)
	}
	send(3, send(2, first))

	s := newBackupSection(a)
	onUI(func() { a.Win.SetContent(s.content()) })
	onUI(func() { s.confirmRestore(backup) })
	var top fyne.CanvasObject
	waitFor(t, func() bool {
		top = a.Win.Canvas().Overlays().Top()
		return top != nil && findLabel(top, "chỉ biết đến lô dữ liệu số 1") != nil
	})
	if findLabel(top, "đến lô số 3 (ngày 03/12/2026)") == nil {
		t.Error("the warning does not name the last batch sent")
	}
	var pass *keyEntry
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*keyEntry); ok && e.Password {
			pass = e
		}
	}
	if pass == nil {
		t.Fatal("no field for the signing passphrase")
	}
	onUI(func() { confirmYes(t, a) })
	waitFor(t, func() bool { return strings.Contains(s.msg.Text, "Đã khôi phục") })
	if !strings.Contains(s.msg.Text, "batch recover") {
		t.Errorf("the message does not say how to take back the rest: %q", s.msg.Text)
	}
	sent, _ := a.St.SentBatches(ctx)
	if len(sent) != 3 || sent[2].Seq != 3 {
		t.Fatalf("sent batches after the restore: %+v", sent)
	}
}
