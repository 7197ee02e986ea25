package ui

import (
	"context"
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"danvan/report/sheet"
	"danvan/store"
)

// openTallies shows the screen on a period and waits for its grid.
func openTallies(t *testing.T, a *App, period string) *talliesScreen {
	t.Helper()
	s := newTalliesScreen(a)
	a.Win.SetContent(s.content())
	s.onShow()
	// Let the first load (the current month) land before switching, so the
	// two loads cannot cross.
	settle(t, s)
	spec, err := domain.ParsePeriod(period, a.Settings.CutoffDay)
	if err != nil {
		t.Fatal(err)
	}
	s.picker.set(spec)
	s.onPeriod(spec)
	settle(t, s)
	if len(s.rows) == 0 || s.pt.Spec.Code() != spec.Code() {
		t.Fatalf("showing %s with %d rows, want %s", s.pt.Spec.Code(), len(s.rows), spec.Code())
	}
	return s
}

// settle waits until the screen's background work is done.
func settle(t *testing.T, s *talliesScreen) {
	t.Helper()
	waitIdle(t, s.a)
}

func typeCell(s *talliesScreen, row, col int, text string) {
	e := s.rows[row].cells[col].entry
	e.SetText("")
	test.Type(e, text)
}

func TestTalliesScreenPublishedFigures(t *testing.T) {
	a := newTestApp(t)
	s := openTallies(t, a, "2023-04-15..2024-04-14")
	if got := len(s.rows); got != len(store.DefaultTallyFields) {
		t.Fatalf("%d rows, want %d", got, len(store.DefaultTallyFields))
	}
	typeCell(s, 0, domain.ColReceived, "25.723")
	typeCell(s, 0, domain.ColProcessed, "25.487")
	typeCell(s, 0, domain.ColLate, "20")
	typeCell(s, 0, domain.ColInProgress, "326")

	want := "Hộ tịch: Tổng tiếp nhận (3) = 25.723 nhưng đã giải quyết (7) + đang giải quyết (11) = 25.813, lệch 90"
	if !strings.Contains(s.problems.Text, want) || !s.problemsBox.Visible() {
		t.Errorf("problems = %q, want %q", s.problems.Text, want)
	}
	for col, bad := range map[int]bool{domain.ColReceived: true, domain.ColProcessed: true, domain.ColInProgress: true, domain.ColOnline: false, domain.ColLate: false} {
		if got := s.rows[0].cells[col].bad; got != bad {
			t.Errorf("cell (%d) highlighted = %v, want %v", col, got, bad)
		}
	}
	if !strings.Contains(s.rates.Text, "Hộ tịch: giải quyết trước hạn và đúng hạn —; giải quyết quá hạn 0,08%; đang giải quyết quá hạn —") {
		t.Errorf("rates = %q, want the late share 0,08%%", s.rates.Text)
	}
	if got := s.totals[domain.ColReceived].Text; got != "25.723" {
		t.Errorf("total (3) = %q", got)
	}
	a.Win.Resize(fyne.NewSize(1200, 761)) // lay out again before the capture
	shot(t, a, "tallies-published")

	// Final is refused, and says why; a draft is kept with its problem.
	test.Tap(s.finalB)
	settle(t, s)
	if !strings.Contains(s.message.Text, "1 lĩnh vực còn 2 lỗi") {
		t.Errorf("message = %q", s.message.Text)
	}
	pt, _ := a.St.PeriodTallies(context.Background(), "", s.spec)
	if len(pt.Rows) != 0 {
		t.Fatalf("a refused final save stored %d rows", len(pt.Rows))
	}
	test.Tap(s.draftB)
	settle(t, s)
	if !strings.Contains(s.state.Text, "1 dòng nháp") {
		t.Errorf("state = %q", s.state.Text)
	}
	pt, _ = a.St.PeriodTallies(context.Background(), "", s.spec)
	if r, ok := pt.Rows[s.rows[0].field.ID]; !ok || r.Final {
		t.Fatalf("stored row = %+v", r)
	}
	if !strings.Contains(s.problems.Text, "lệch 90") {
		t.Errorf("after reloading the draft, problems = %q", s.problems.Text)
	}
}

func TestTalliesScreenCellInput(t *testing.T) {
	a := newTestApp(t)
	s := openTallies(t, a, "2024-M04")
	tests := []struct {
		text, want string
	}{
		{"-5", "là số âm"},
		{"12a", "không phải số nguyên"},
		{"2.5723", "dấu chấm hàng nghìn đặt sai chỗ"},
		{"1.000.000.001", "quá lớn"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			typeCell(s, 1, domain.ColOnline, tt.text)
			if !strings.Contains(s.problems.Text, tt.want) || !strings.Contains(s.problems.Text, "Chứng thực, cột (4): \""+tt.text+"\"") || !s.rows[1].cells[domain.ColOnline].bad {
				t.Errorf("problems = %q", s.problems.Text)
			}
			test.Tap(s.draftB)
			settle(t, s)
			if len(a.Win.Canvas().Overlays().List()) == 0 {
				t.Fatal("no error shown")
			}
			a.Win.Canvas().Overlays().Top().Hide()
			a.Win.Canvas().Overlays().Remove(a.Win.Canvas().Overlays().Top())
			if ps, _ := a.St.Periods(context.Background(), ""); len(ps) != 0 {
				t.Errorf("a bad cell still stored a period")
			}
		})
	}
	typeCell(s, 1, domain.ColOnline, "1.234")
	if s.problemsBox.Visible() || s.rows[1].cells[domain.ColOnline].bad {
		t.Errorf("a good value still shows %q", s.problems.Text)
	}
	// A blank total shows what it adds up to.
	typeCell(s, 1, domain.ColInPerson, "6")
	typeCell(s, 1, domain.ColCarried, "0")
	if got := s.rows[1].cells[domain.ColReceived].entry.PlaceHolder; got != "1.240" {
		t.Errorf("computed (3) shown as %q, want 1.240", got)
	}
	// Tab and Enter move to the next cell, and from the row's last to the
	// next row.
	c := a.Win.Canvas()
	c.Focus(s.rows[1].cells[domain.ColInPerson].entry)
	c.FocusNext()
	if c.Focused() != s.rows[1].cells[domain.ColCarried].entry {
		t.Error("Tab did not move from (5) to (6)")
	}
	c.Focus(s.rows[1].cells[domain.ColOnline].entry)
	s.rows[1].cells[domain.ColOnline].entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.Focused() != s.rows[1].cells[domain.ColInPerson].entry {
		t.Error("Enter did not move to (5)")
	}
	c.Focus(s.rows[1].cells[domain.ColOverdue].entry)
	s.rows[1].cells[domain.ColOverdue].entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.Focused() != s.rows[2].cells[domain.ColReceived].entry {
		t.Error("Enter at (13) did not move to the next field's (3)")
	}
}

func TestTalliesScreenCopyCloseReopen(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	fields, _ := a.St.TallyFields(ctx, "")
	var mar domain.Counts
	for col, v := range map[int]int64{4: 100, 5: 20, 6: 0, 8: 50, 9: 40, 10: 2, 12: 27, 13: 1} {
		mar[col] = domain.V(v)
	}
	if _, err := a.St.SaveTallies(ctx, store.System, domain.MonthPeriod(2024, 3, 15), []store.TallyInput{{FieldID: fields[0].ID, Counts: mar, Final: true}}); err != nil {
		t.Fatal(err)
	}
	s := openTallies(t, a, "2024-M04")
	if got := s.rows[0].cells[domain.ColCarried].entry.PlaceHolder; got != "28" {
		t.Errorf("(6) placeholder = %q, want March's (11) 28", got)
	}
	test.Tap(s.copyB)
	settle(t, s)
	if got := s.rows[0].cells[domain.ColCarried].entry.Text; got != "28" {
		t.Errorf("copied (6) = %q, want 28", got)
	}
	if got := s.rows[0].cells[domain.ColOnline].entry.Text; got != "100" {
		t.Errorf("copied (4) = %q", got)
	}
	// Make April add up: 148 received, 140 processed, 8 in progress.
	typeCell(s, 0, domain.ColEarly, "98")
	typeCell(s, 0, domain.ColWithin, "7")
	typeCell(s, 0, domain.ColOverdue, "1")
	if s.problemsBox.Visible() {
		t.Fatalf("problems = %q", s.problems.Text)
	}
	test.Tap(s.finalB)
	settle(t, s)
	if !strings.Contains(s.state.Text, "0 dòng nháp") {
		t.Fatalf("state = %q, message %q", s.state.Text, s.message.Text)
	}
	test.Tap(s.closeB)
	if len(a.Win.Canvas().Overlays().List()) == 0 {
		t.Fatal("closing did not ask for confirmation")
	}
	a.Win.Canvas().Overlays().Remove(a.Win.Canvas().Overlays().Top())
	s.closePeriod(s.spec)
	settle(t, s)
	if !s.pt.Closed() {
		t.Fatalf("not closed: %q", s.message.Text)
	}
	if !s.rows[0].cells[domain.ColOnline].entry.Disabled() || !s.finalB.Disabled() || !s.reopenB.Visible() || s.closeB.Visible() {
		t.Error("a closed period must be read only, with Reopen offered")
	}
	if !strings.Contains(s.state.Text, "Đã chốt") {
		t.Errorf("state = %q", s.state.Text)
	}
	s.reopen(s.spec, "Bổ sung hồ sơ đất đai")
	settle(t, s)
	if s.pt.Closed() {
		t.Fatal("still closed after reopening")
	}
	if s.rows[0].cells[domain.ColOnline].entry.Disabled() || !strings.Contains(s.history.Text, "Lý do: Bổ sung hồ sơ đất đai") {
		t.Errorf("after reopening: disabled %v, history %q", s.rows[0].cells[domain.ColOnline].entry.Disabled(), s.history.Text)
	}
}

func TestTallyCardAndFieldSettings(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	fields, _ := a.St.TallyFields(ctx, "")
	var c domain.Counts
	c[domain.ColReceived], c[domain.ColProcessed], c[domain.ColInProgress] = domain.V(25723), domain.V(25487), domain.V(326)
	spec := domain.MonthPeriod(2024, 4, 15)
	if _, err := a.St.SaveTallies(ctx, store.System, spec, []store.TallyInput{{FieldID: fields[0].ID, Counts: c}}); err != nil {
		t.Fatal(err)
	}
	pt, _ := a.St.PeriodTallies(ctx, "", spec)
	lines, probs := tallyCardLines([]store.PeriodTallies{pt}, 2)
	if len(lines) != 1 || !strings.Contains(lines[0], "Tháng 4/2024: đã nhập 1 lĩnh vực (1 nháp), chưa chốt; hạn gửi 16/04/2024") {
		t.Errorf("card lines = %q", lines)
	}
	if len(probs) != 1 || !strings.Contains(probs[0], "lệch 90") {
		t.Errorf("card problems = %q", probs)
	}

	fs := newTallyFieldSettings(a)
	idle := func() { waitIdle(t, a) }
	obj := fs.content()
	idle()
	a.Win.SetContent(obj)
	if got := len(fs.list.Objects); got != len(store.DefaultTallyFields) {
		t.Fatalf("%d fields listed", got)
	}
	test.Type(fs.newName, "Công thương")
	test.Tap(fs.addB)
	idle()
	if got := len(fs.list.Objects); got != len(store.DefaultTallyFields)+1 || fs.newName.Text != "" {
		t.Fatalf("%d fields listed after adding", got)
	}
	fs.uses[fields[2].ID].SetChecked(false)
	idle()
	shot(t, a, "tally-fields-settings")
	if got, _ := a.St.TallyFields(ctx, ""); !got[2].Disabled {
		t.Error("unticking In use did not disable the field")
	}
}

// Chốt on a period that cannot be closed says why at once, without first
// asking "close?".
func TestCloseRefusedBeforeAsking(t *testing.T) {
	a := newTestApp(t)
	s := openTallies(t, a, "2024-M04")
	test.Tap(s.closeB)
	settle(t, s)
	if len(a.dialogs) != 1 {
		t.Fatalf("%d dialogs after Chốt, want the one saying why", len(a.dialogs))
	}
	if _, asked := a.dialogs[0].(*dialog.ConfirmDialog); asked {
		t.Fatal("Chốt asked for confirmation on an empty period")
	}
}

// The period arrows step with the store's calendar (PeriodSpec.Next and
// Previous): forward then back lands where it started.
func TestPeriodPickerSteps(t *testing.T) {
	newTestApp(t)
	for _, start := range []string{"2024-M12", "2024-Q4", "2024-H2", "2024-9M", "2024-Y", "2023-04-15..2024-04-14"} {
		p, err := domain.ParsePeriod(start, 15)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		pp := newPeriodPicker(15, p, func(s domain.PeriodSpec) { got = append(got, s.Code()) }, func(error) {})
		pp.row()
		pp.onNext()
		want := p.Next(15).Code()
		if pp.spec.Code() != want || len(got) != 1 || got[0] != want {
			t.Errorf("%s → %s (reported %v), want %s", start, pp.spec.Code(), got, want)
		}
		if back := pp.spec.Previous(15); back.Code() != start {
			t.Errorf("%s → %s → back %s", start, pp.spec.Code(), back.Code())
		}
	}
}

// The period's form goes out to a spreadsheet and comes back from one, on
// the page: the export is the blank form; a file with the published
// figures (which do not add up) is previewed with its problem, stores the
// row as a draft only when the officer presses Import, and the grid then
// shows it; a file with a bad cell stores nothing and says why.
func TestTalliesScreenSpreadsheetOutAndIn(t *testing.T) {
	a := newTestApp(t)
	dir := t.TempDir()
	a.savePath = func(name string) string { return filepath.Join(dir, name) }
	s := openTallies(t, a, "2024-M04")

	s.onExportFile()
	settle(t, s)
	out := filepath.Join(dir, "bieu-06-2024-M04.xlsx")
	tb, err := sheet.ReadFile(out)
	if err != nil {
		t.Fatalf("the exported form: %v", err)
	}
	if len(tb.Rows) != len(store.DefaultTallyFields) || tb.Cell(0, 0) != "2024-M04" || tb.Cell(0, 1) != "Hộ tịch" {
		t.Fatalf("the exported form has %d rows, first %q %q", len(tb.Rows), tb.Cell(0, 0), tb.Cell(0, 1))
	}
	for len(a.dialogs) > 0 {
		a.escape()
	}

	// Filled in as the published figures: (3) 25.723, (7) 25.487, (11) 326.
	filled := filepath.Join(dir, "da-dien.csv")
	os.WriteFile(filled, []byte("Kỳ báo cáo;Lĩnh vực;Cột (3);Cột (4);Cột (5);Cột (6);Cột (7);Cột (8);Cột (9);Cột (10);Cột (11);Cột (12);Cột (13)\n"+
		"2024-M04;Hộ tịch;25.723;;;;25.487;;;20;326;;\n"), 0o600)
	s.importFrom(filled)
	settle(t, s)
	top := a.Win.Canvas().Overlays().Top()
	if findLabel(top, "1 dòng số liệu; khi nhập, 0 dòng lưu chính thức, 1 dòng lưu nháp") == nil || findLabel(top, "lệch 90") == nil {
		t.Fatal("the preview does not say what importing stores, and why the row is a draft")
	}
	if rows, _ := a.St.PeriodTallies(a.Ctx(), "", s.spec); len(rows.Rows) != 0 {
		t.Fatal("the preview stored rows")
	}
	test.Tap(findButton(top, "Nhập 1 dòng"))
	settle(t, s)
	if got := s.rows[0].cells[domain.ColReceived].entry.Text; got != "25.723" {
		t.Errorf("after the import the grid shows (3) = %q", got)
	}
	pt, _ := a.St.PeriodTallies(a.Ctx(), "", s.spec)
	var hoTich store.Tally
	for _, r := range pt.Rows {
		hoTich = r
	}
	if len(pt.Rows) != 1 || hoTich.Final {
		t.Errorf("stored %d rows, final %v; want one draft", len(pt.Rows), hoTich.Final)
	}

	// The same row emptied in the file clears it, as emptying it on the
	// page does; the other fields' blank rows store nothing.
	cleared := filepath.Join(dir, "xoa.csv")
	os.WriteFile(cleared, []byte("Kỳ báo cáo;Lĩnh vực;Cột (3);Cột (4);Cột (5);Cột (6);Cột (7);Cột (8);Cột (9);Cột (10);Cột (11);Cột (12);Cột (13)\n"+
		"2024-M04;Hộ tịch;;;;;;;;;;;\n2024-M04;Chứng thực;;;;;;;;;;;\n2024-M04;Lĩnh vực đã bỏ;;;;;;;;;;;\n"), 0o600)
	s.importFrom(cleared)
	settle(t, s)
	top = a.Win.Canvas().Overlays().Top()
	if b := findButton(top, "Nhập 1 dòng"); b == nil {
		t.Fatal("the preview of a file that empties one stored row does not offer 1 row")
	} else {
		test.Tap(b)
	}
	settle(t, s)
	if pt, _ := a.St.PeriodTallies(a.Ctx(), "", s.spec); len(pt.Rows) != 0 {
		t.Errorf("an emptied row was kept: %d rows", len(pt.Rows))
	}

	// A cell that is no count: nothing stored, the row and column named.
	bad := filepath.Join(dir, "sai.csv")
	os.WriteFile(bad, []byte("Kỳ báo cáo;Lĩnh vực;Cột (3);Cột (4);Cột (5);Cột (6);Cột (7);Cột (8);Cột (9);Cột (10);Cột (11);Cột (12);Cột (13)\n"+
		"2024-M04;Chứng thực;mười;;;;;;;;;;\n2024-M05;Đất đai;1;;;;;;;;;;\n"), 0o600)
	s.importFrom(bad)
	settle(t, s)
	top = a.Win.Canvas().Overlays().Top()
	for _, want := range []string{"Tệp có 2 lỗi", "Dòng 2, cột (3)", "Dòng 3: kỳ 2024-M05 khác kỳ đang nhập (2024-M04)"} {
		if findLabel(top, want) == nil {
			t.Errorf("the refusal does not say %q", want)
		}
	}
	if b := findButton(top, "Nhập"); b == nil || !b.Disabled() {
		t.Error("a file with problems can still be imported")
	}
	a.escape()
	if len(a.dialogs) != 0 {
		t.Error("Esc did not close the refusal")
	}
}
