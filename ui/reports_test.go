package ui

import (
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"danvan/report"
	"danvan/store"
)

// seedTallies stores the published seed figures as the 2024 draft.
func seedTallies(t *testing.T, a *App) {
	t.Helper()
	spec, err := domain.ParsePeriod("2024-Y", 15)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := a.St.TallyFields(a.Ctx(), "")
	if err != nil || len(fields) == 0 {
		t.Fatalf("TallyFields: %v", err)
	}
	var c domain.Counts
	for i, n := range []int64{25723, 9000, 16500, 223, 25487, 20000, 5467, 20, 326, 300, 26} {
		c[3+i] = domain.V(n)
	}
	if _, err := a.St.SaveTallies(a.Ctx(), store.System, spec, []store.TallyInput{{FieldID: fields[0].ID, Counts: c}}); err != nil {
		t.Fatal(err)
	}
}

func mustPeriod(t *testing.T, code string) domain.PeriodSpec {
	t.Helper()
	p, err := domain.ParsePeriod(code, 15)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (s *reportsScreen) choose(k report.Kind) {
	for i, kk := range s.kinds {
		if kk == k {
			s.kind.SetSelectedIndex(i)
		}
	}
}

func TestReportsPrintTally(t *testing.T) {
	a := newTestApp(t)
	seedTallies(t, a)
	s := newReportsScreen(a)
	a.Win.SetContent(s.content())
	s.choose(report.KindTally)
	if !s.baseline.Disabled() {
		t.Error("the baseline is only for the summary")
	}
	s.period.set(mustPeriod(t, "2024-Y"))
	test.Type(s.number, "7")
	test.Tap(s.printB)
	waitIdle(t, a)
	if !strings.Contains(s.result.Text, "bao-cao-tally-2024-Y.pdf") {
		t.Errorf("result = %q", s.result.Text)
	}
	data, err := os.ReadFile(s.lastPDF)
	if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("printed file: %v", err)
	}
}

func TestReportsErrorsShown(t *testing.T) {
	a := newTestApp(t)
	s := newReportsScreen(a)
	a.Win.SetContent(s.content())
	s.choose(report.KindTally)
	s.period.set(mustPeriod(t, "2025-Q1"))
	test.Tap(s.printB)
	waitIdle(t, a)
	if !strings.Contains(s.result.Text, "chưa có số liệu") {
		t.Errorf("period without figures: %q", s.result.Text)
	}
	s.number.SetText("")
	test.Type(s.number, "năm")
	test.Tap(s.printB)
	if !strings.Contains(s.result.Text, "Số văn bản phải là một số") {
		t.Errorf("bad number: %q", s.result.Text)
	}
}

func TestReportsSaveXLSX(t *testing.T) {
	a := newTestApp(t)
	seedTallies(t, a)
	s := newReportsScreen(a)
	a.Win.SetContent(s.content())
	path := filepath.Join(t.TempDir(), "b06.xlsx")
	s.saveTo(report.Request{Kind: report.KindTally, Period: "2024-Y"}, report.XLSX, path)
	waitIdle(t, a)
	if !strings.Contains(s.result.Text, "Đã lưu") {
		t.Errorf("result = %q", s.result.Text)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("saved file: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "no", "such", "b06.xlsx")
	s.saveTo(report.Request{Kind: report.KindTally, Period: "2024-Y"}, report.XLSX, bad)
	waitIdle(t, a)
	if !strings.Contains(s.result.Text, "Không ghi được") {
		t.Errorf("unwritable path: %q", s.result.Text)
	}
}

// With no signer in Cài đặt, the page says the reports will be unsigned,
// and stops saying it once one is set.
func TestReportsWarnWithoutSigner(t *testing.T) {
	a := newTestApp(t)
	a.Settings.SignerName = ""
	s := newReportsScreen(a)
	a.Win.SetContent(s.content())
	if !s.noSigner.Visible() {
		t.Fatal("no warning without a signer")
	}
	a.Settings.SignerName = "Lò Văn Thắng"
	s.onShow()
	if s.noSigner.Visible() {
		t.Fatal("the warning stays with a signer set")
	}
}
