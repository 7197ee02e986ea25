package ui

import (
	"context"
	"danvan/internal/domain"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
)

func TestShellNavigatesEveryScreen(t *testing.T) {
	for _, role := range []domain.OfficeRole{domain.RoleCommune, domain.RoleCollector} {
		t.Run(string(role), func(t *testing.T) {
			a := newTestAppRole(t, role)
			a.shell = newShell(a)
			a.Win.SetContent(a.shell.content())
			ids := map[string]bool{}
			for _, d := range a.shell.defs {
				ids[d.ID] = true
				a.Navigate(d.ID)
				if got := a.shell.current; got != d.ID {
					t.Errorf("Navigate(%q) shows %q", d.ID, got)
				}
				if got, want := a.shell.title.Text, i18n.T(d.TitleKey); got != want {
					t.Errorf("title = %q, want %q", got, want)
				}
			}
			for _, want := range []string{"dashboard", "models", "tallies", "reports", "exchange", "settings"} {
				if !ids[want] {
					t.Errorf("no %q in the navigation", want)
				}
			}
			if got := ids["inbox"]; got != (role == domain.RoleCollector) {
				t.Errorf("inbox shown = %v for role %s", got, role)
			}
		})
	}
}

func TestSetupScreenShowsErrorsUnderFields(t *testing.T) {
	defer func(k dsync.KDF) { dsync.KDFCost = k }(dsync.KDFCost)
	dsync.KDFCost = dsync.FastKDF
	a := newTestApp(t)
	// A second folder that is not set up yet.
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a.St = st
	done := make(chan bool, 1)
	s := newSetupScreen(a, func() { done <- true })
	a.Win.SetContent(s.content())

	test.Type(s.code, "S H!")
	test.Tap(s.submit)
	waitFor(t, func() bool { return s.rows["office_name"].err.Visible() })
	if got, want := s.rows["office_name"].err.Text, i18n.T("err.required"); got != want {
		t.Errorf("office_name problem = %q, want %q", got, want)
	}
	if got, want := s.rows["office_code"].err.Text, i18n.T("err.code_chars"); got != want {
		t.Errorf("office_code problem = %q, want %q", got, want)
	}
	if ok, _ := st.IsSetUp(context.Background()); ok {
		t.Fatal("a refused set-up stored the office")
	}
	if got := s.code.Text; got != "S H!" {
		t.Errorf("typed code lost: %q", got)
	}

	s.name.SetText("UBND xã Suối Hoa")
	s.code.SetText("sh")
	s.collector.SetText("Ban Dân vận Huyện ủy Tân Lạc")
	s.headUser.SetText("chutich")
	s.headName.SetText("Nguyễn Văn An")
	s.password.SetText("mat-khau-dai-1")
	s.password2.SetText("mat-khau-dai-2")
	s.passphrase.SetText("khoa-ky-rat-dai")
	s.passphrase2.SetText("khoa-ky-rat-dai")
	test.Tap(s.submit)
	if got, want := s.rows["password_again"].err.Text, i18n.T("err.password_mismatch"); got != want {
		t.Errorf("password_again problem = %q, want %q", got, want)
	}
	if ok, _ := st.IsSetUp(context.Background()); ok {
		t.Fatal("set-up went on with mismatched passwords")
	}
	s.password2.SetText("mat-khau-dai-1")
	test.Tap(s.submit)
	waitFor(t, func() bool { return len(done) == 1 })
	o, err := st.SelfOffice(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if o.Code != "SH" || o.Name != "UBND xã Suối Hoa" {
		t.Errorf("stored office = %+v", o)
	}
	if _, err := st.Login(context.Background(), "chutich", "mat-khau-dai-1"); err != nil {
		t.Errorf("the head cannot log in: %v", err)
	}
	if _, err := st.SelfKey(context.Background()); err != nil {
		t.Errorf("no signing key stored: %v", err)
	}
}

func TestSettingsSaveAndValidate(t *testing.T) {
	a := newTestApp(t)
	o := newOfficeSettings(a)
	a.Win.SetContent(o.content())
	o.cutoff.SetText("31")
	test.Tap(o.saveB)
	waitFor(t, func() bool { return o.rows["cutoff_day"].err.Visible() })
	o.cutoff.SetText("abc")
	test.Tap(o.saveB)
	waitFor(t, func() bool { return o.rows["cutoff_day"].err.Text == i18n.T("err.not_number") })

	o.cutoff.SetText("20")
	o.signer.SetText("Nguyễn Văn An")
	test.Tap(o.saveB)
	waitFor(t, func() bool { return a.Settings.CutoffDay == 20 })
	st, _ := a.St.Settings(context.Background())
	if st.CutoffDay != 20 || st.SignerName != "Nguyễn Văn An" {
		t.Errorf("stored settings = %+v", st)
	}
}

func TestDashboardShowsOfficeCard(t *testing.T) {
	a := newTestApp(t)
	d := newDashboardScreen(a)
	a.Win.SetContent(d.content())
	d.onShow()
	if len(d.grid.Objects) == 0 {
		t.Fatal("no cards")
	}
	card, ok := d.grid.Objects[0].(*widget.Card)
	if !ok || card.Title != i18n.T("dashboard.office") {
		t.Fatalf("first card = %#v", d.grid.Objects[0])
	}
}

// A new office has sent nothing: the status line says so, instead of
// counting its starting list of TTHC fields as changes nobody made.
func TestStatusOfANewOffice(t *testing.T) {
	a := newTestApp(t)
	a.shell = newShell(a)
	a.Win.SetContent(a.shell.content())
	a.RefreshStatus()
	if got := a.shell.status.unsent.Text; got != "Chưa gửi lô dữ liệu nào" {
		t.Errorf("status = %q", got)
	}
}
