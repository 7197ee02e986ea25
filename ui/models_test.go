package ui

import (
	"danvan/internal/domain"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/report/modelsfile"
	"danvan/report/sheet"
	"danvan/store"
)

// seedDistrict stores the seed district's 315 models through the import.
func seedDistrict(t *testing.T, a *App) {
	t.Helper()
	header := []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColPerson, domain.ColContent, domain.ColLocation}
	var rows [][]string
	for _, f := range []struct {
		label string
		n     int
	}{{"Kinh tế", 101}, {"Văn hóa - Xã hội", 184}, {"Quốc phòng - An ninh", 25}, {"Xây dựng hệ thống chính trị", 5}} {
		for i := 0; i < f.n; i++ {
			place := []string{"Suối Hoa", "Mãn Đức", "Phú Vinh", "Đông Lai"}[i%4]
			rows = append(rows, []string{"Mô hình", fmt.Sprintf("%s số %d", f.label, i+1), f.label, fmt.Sprint(2019 + i%6), "UBND", "Bùi Văn Thắng", "Nội dung", "xã " + place})
		}
	}
	if _, err := a.St.ImportModels(a.Ctx(), a.Actor, header, rows, nil, store.ModelImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

func showModels(t *testing.T, a *App) *modelsScreen {
	t.Helper()
	s := newModelsScreen(a)
	s.queue = &[]bgJob{}
	a.Win.SetContent(s.content())
	s.onShow()
	settleModels(s)
	return s
}

func TestModelsScreenShowsSeedCounts(t *testing.T) {
	a := newTestApp(t)
	seedDistrict(t, a)
	s := showModels(t, a)
	checkModels(t, s, "step 1", func() bool { return s.total.Text == "Tổng số: 315" && s.rows == 315 })
	want := map[domain.Field]string{
		domain.FieldEconomy:   "Kinh tế: 101",
		domain.FieldCulture:   "Văn hóa - Xã hội: 184",
		domain.FieldDefence:   "Quốc phòng - An ninh: 25",
		domain.FieldPolitical: "Xây dựng hệ thống chính trị: 5",
	}
	for f, w := range want {
		if got := s.counts[f].Text; got != w {
			t.Errorf("count label %s = %q, want %q", f, got, w)
		}
	}
	// The list fills its rows from pages loaded in the background.
	s.rowAt(0)
	checkModels(t, s, "first page loaded", func() bool { _, ok := s.rowAt(0); return ok })
	m, _ := s.rowAt(0)
	if m.Year != 2024 {
		t.Errorf("first row year %d, want the newest (2024)", m.Year)
	}
	// Filtering by field narrows the list but the four counts stay.
	s.field.SetSelectedIndex(4) // Xây dựng hệ thống chính trị
	checkModels(t, s, "step 2", func() bool { return s.rows == 5 })
	if s.counts[domain.FieldCulture].Text != want[domain.FieldCulture] {
		t.Error("the counts changed with the filter")
	}
}

func TestModelsSearchIgnoresDiacritics(t *testing.T) {
	a := newTestApp(t)
	seedDistrict(t, a)
	s := showModels(t, a)
	checkModels(t, s, "step 3", func() bool { return s.rows == 315 })
	tests := []struct {
		query string
		rows  int
	}{
		{"suoi hoa", 81},
		{"SUỐI HOA", 81},
		{"dong lai kinh te", 25},
		{"không có mô hình này", 0},
		{"", 315},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			s.search.SetText("")
			test.Type(s.search, tt.query)
			checkModels(t, s, "step 4", func() bool { return s.rows == tt.rows && s.search.Text == tt.query && s.filter.Query == tt.query })
		})
	}
	// Ctrl+F puts the cursor in the search box.
	a.Win.Canvas().Focus(nil)
	s.handleShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	if a.Win.Canvas().Focused() != s.search {
		t.Error("Ctrl+F did not focus the search box")
	}
}

func TestModelsFormKeepsTextAndShowsErrors(t *testing.T) {
	a := newTestApp(t)
	s := showModels(t, a)
	ctrl := func(k fyne.KeyName) fyne.Shortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	name := func() *keyEntry { return s.form.text["model_name"] }
	// Ctrl+N from the search box opens an empty form.
	s.search.TypedShortcut(ctrl(fyne.KeyN))
	if !s.form.open {
		t.Fatal("Ctrl+N did not open the form")
	}
	test.Type(name(), "Trồng bưởi đỏ")
	test.Type(s.form.text["model_budget"], "-5")
	test.Type(s.form.text["model_start_date"], "31/02/2024")
	// Ctrl+S from inside an entry saves; this one must fail field by field.
	name().TypedShortcut(ctrl(fyne.KeyS))
	checkModels(t, s, "step 5", func() bool { return s.form.rows["model_person_name"].err.Visible() })
	for key, want := range map[string]string{
		"model_field":       "Chưa nhập",
		"model_body":        "Chưa nhập",
		"model_person_name": "Chưa nhập",
		"model_content":     "nội dung thực hiện hoặc nhiệm vụ",
		"model_start_date":  "dd/mm/yyyy",
	} {
		if got := s.form.rows[key].err.Text; !strings.Contains(got, want) {
			t.Errorf("error under %s = %q, want it to say %q", key, got, want)
		}
	}
	if name().Text != "Trồng bưởi đỏ" || s.form.text["model_budget"].Text != "-5" {
		t.Error("a failed save lost what was typed")
	}
	// Fix the problems and save.
	s.form.field.set(domain.FieldEconomy)
	s.form.body.set(domain.BodyFarmers)
	test.Type(s.form.text["model_person_name"], "Đinh Công Sơn")
	test.Type(s.form.text["model_content"], "Trồng 5 ha bưởi đỏ")
	s.form.text["model_budget"].SetText("25.000.000")
	s.form.text["model_start_date"].SetText("05/01/2024")
	s.form.onSave()
	checkModels(t, s, "step 6", func() bool { return !s.form.open && s.total.Text == "Tổng số: 1" })
	ms, _ := a.St.SearchModels(a.Ctx(), store.ModelFilter{})
	if len(ms) != 1 || ms[0].Budget != 25_000_000 || ms[0].StartDate.Day() != 5 || ms[0].PersonName != "Đinh Công Sơn" {
		t.Fatalf("stored %+v", ms)
	}
	checkModels(t, s, "step 7", func() bool { return s.detail.has && s.detail.title.Text == "Trồng bưởi đỏ" })

	// Esc leaves the form without saving.
	s.form.edit(ms[0])
	s.form.text["model_name"].SetText("Đổi tên")
	s.form.text["model_name"].TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s.form.open {
		t.Error("Esc did not close the form")
	}
	if got, _ := a.St.Model(a.Ctx(), ms[0].ID); got.Name != "Trồng bưởi đỏ" {
		t.Error("Esc saved the change")
	}
}

func TestModelsSimilarWarningAndStatus(t *testing.T) {
	a := newTestApp(t)
	first, err := a.St.SaveModel(a.Ctx(), a.Actor, domain.Model{Kind: domain.KindModel, Name: "Nuôi cá lồng trên sông Đà", Field: domain.FieldEconomy,
		Year: 2024, Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Nuôi cá"})
	if err != nil {
		t.Fatal(err)
	}
	s := showModels(t, a)
	s.onNew()
	s.form.text["model_name"].SetText("nuoi ca long tren song da")
	s.form.field.set(domain.FieldEconomy)
	s.form.body.set(domain.BodyWomen)
	s.form.text["model_person_name"].SetText("Lò Thị Mai")
	s.form.text["model_content"].SetText("Nuôi cá")
	s.form.onSave()
	var warn *widget.Label
	checkModels(t, s, "step 8", func() bool {
		for _, o := range a.Win.Canvas().Overlays().List() {
			warn = findLabel(o, "có thể trùng với")
			if warn != nil {
				return true
			}
		}
		return false
	})
	if !strings.Contains(warn.Text, "Nuôi cá lồng trên sông Đà") {
		t.Errorf("warning = %q", warn.Text)
	}
	if n, _ := a.St.CountModels(a.Ctx(), store.ModelFilter{}); n != 1 {
		t.Error("saved before the officer answered the warning")
	}
	a.Win.Canvas().Overlays().Top().Hide()

	// The status dialog moves the model on and the history shows it.
	s.form.onCancel()
	s.detail.show(first)
	checkModels(t, s, "step 9", func() bool { return s.detail.has })
	sd := s.detail.newStatusDialog()
	if got := sd.to.Selected; got != "Đang thực hiện" {
		t.Errorf("first next status = %q", got)
	}
	sd.to.SetSelectedIndex(1) // Dừng thực hiện
	if !sd.rows["status_reason"].box.Visible() || sd.rows["model_rating"].box.Visible() {
		t.Error("the dialog does not show the reason for stopping")
	}
	sd.onApply()
	checkModels(t, s, "step 10", func() bool { return sd.rows["status_reason"].err.Visible() })
	test.Type(sd.reason, "Hộ dân chuyển sang nghề khác")
	sd.onApply()
	checkModels(t, s, "step 11", func() bool { return strings.Contains(s.detail.history.Text, "Dừng thực hiện") })
	if !strings.Contains(s.detail.history.Text, "Hộ dân chuyển sang nghề khác") {
		t.Errorf("history = %q", s.detail.history.Text)
	}
}

func TestModelsDashboardCard(t *testing.T) {
	a := newTestApp(t)
	seedDistrict(t, a)
	card := newModelsCard(a)
	a.Win.SetContent(card)
	if findLabel(card, "Tổng số: 315") == nil {
		t.Fatal("the card does not show the total")
	}
	for _, want := range []string{"101", "184", "25", "5"} {
		if findLabelExact(card, want) == nil {
			t.Errorf("card lacks %s", want)
		}
	}
}

// settleModels runs the screen's queued background work, and what that work
// queues in turn, on the test's goroutine.
func settleModels(s *modelsScreen) {
	for len(*s.queue) > 0 {
		j := (*s.queue)[0]
		*s.queue = (*s.queue)[1:]
		j.done(j.work())
	}
}

// checkModels settles the screen and then tests cond.
func checkModels(t *testing.T, s *modelsScreen, what string, cond func() bool) {
	t.Helper()
	settleModels(s)
	if !cond() {
		t.Fatalf("not so: %s", what)
	}
}

// find is the first object of type T inside o that match accepts.
func find[T fyne.CanvasObject](o fyne.CanvasObject, match func(T) bool) T {
	var found T
	done := false
	walk(o, func(o fyne.CanvasObject) {
		if w, ok := o.(T); ok && !done && match(w) {
			found, done = w, true
		}
	})
	return found
}

func findLabel(o fyne.CanvasObject, part string) *widget.Label {
	return find(o, func(l *widget.Label) bool { return strings.Contains(l.Text, part) })
}

func findLabelExact(o fyne.CanvasObject, text string) *widget.Label {
	return find(o, func(l *widget.Label) bool { return l.Text == text })
}

// findButton finds a button whose text holds part.
func findButton(o fyne.CanvasObject, part string) *widget.Button {
	return find(o, func(b *widget.Button) bool { return strings.Contains(b.Text, part) })
}

// walk visits o and everything inside it, including widgets' renderers.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		if _, isLabel := v.(*widget.Label); isLabel {
			return
		}
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, visit)
		}
	}
}

func TestModelsImportExportFromScreen(t *testing.T) {
	a := newTestApp(t)
	s := showModels(t, a)
	dir := t.TempDir()
	path := filepath.Join(dir, "mo-hinh.csv")
	csv := "\xef\xbb\xbfLoại;Tên mô hình;Lĩnh vực;Năm đăng ký;Đơn vị đăng ký;Người phụ trách;Nội dung thực hiện\n" +
		"Mô hình;Nuôi cá lồng;Kinh tế;2024;Hội Nông dân;Bùi Văn Thắng;Nuôi cá\n" +
		"Mô hình;Camera an ninh;Quốc phòng - An ninh;20250;Công an xã;Hà Văn Sơn;Lắp camera\n" +
		"Điển hình;Tổ hòa giải;Quốc phòng - An ninh;2023;MTTQ;Lò Thị Mai;Hòa giải\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	s.importFrom(path)
	settleModels(s)
	top := a.Win.Canvas().Overlays().Top()
	if top == nil || findLabel(top, "Dòng 3, cột \"Năm đăng ký\"") == nil || findLabel(top, "sẽ thêm mới 2") == nil {
		t.Fatal("the preview does not list the problem and what would be imported")
	}
	if n, _ := a.St.CountModels(a.Ctx(), store.ModelFilter{}); n != 0 {
		t.Fatal("the preview stored models")
	}
	top.Hide()
	s.runImport(path, true)
	checkModels(t, s, "two imported", func() bool { return s.total.Text == "Tổng số: 2" })
	rej, err := os.ReadFile(filepath.Join(dir, "mo-hinh-loi.csv"))
	if err != nil || !strings.Contains(string(rej), "Camera an ninh") || strings.Contains(string(rej), "Nuôi cá lồng") {
		t.Errorf("rejects file = %q, %v", rej, err)
	}
	out := filepath.Join(dir, "xuat.xlsx")
	s.exportTo(out, domain.PersonalAll)
	settleModels(s)
	tb, err := sheet.ReadFile(out)
	if err != nil || len(tb.Rows) != 2 {
		t.Fatalf("export: %v rows, %v", tb, err)
	}
}

// The officer chooses, for each export, how much of the responsible
// persons' personal data leaves with the file (the setting first); the
// columns left out are not written, and importing the file back keeps the
// names and phone numbers stored.
func TestModelsExportLeavesOutPersonalData(t *testing.T) {
	a := newTestApp(t)
	ctx := a.Ctx()
	if _, err := a.St.SaveModel(ctx, a.Actor, domain.Model{Kind: domain.KindModel, Name: "Nuôi cá lồng", Field: domain.FieldEconomy, Year: 2025,
		Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", PersonPhone: "0989001103", Content: "Nuôi cá."}); err != nil {
		t.Fatal(err)
	}
	s := showModels(t, a)
	dir := t.TempDir()
	out := filepath.Join(dir, "xuat.csv")
	a.savePath = func(string) string { return out }

	s.onExport()
	top := a.Win.Canvas().Overlays().Top()
	var sel *enumSelect[domain.Personal]
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*enumSelect[domain.Personal]); ok {
			sel = e
		}
	}
	if sel == nil {
		t.Fatal("the export dialog offers no choice of personal data")
	}
	if sel.value() != domain.PersonalAll || sel.Selected != "Ghi họ tên, chức vụ và số điện thoại" {
		t.Fatalf("a commune's default: %q", sel.Selected)
	}
	test.Tap(sel) // the drop-down opens under the mouse, and Down, Down, Enter picks the second
	menu, ok := a.Win.Canvas().Focused().(*widget.PopUpMenu)
	if !ok {
		t.Fatal("the drop-down did not open")
	}
	menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if sel.value() != domain.PersonalNames || sel.Selected != "Ghi họ tên, chức vụ; bỏ số điện thoại" {
		t.Fatalf("chose %q", sel.value())
	}
	confirmYes(t, a)
	settleModels(s)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if text := string(data); strings.Contains(text, "Điện thoại") || strings.Contains(text, "0989001103") || !strings.Contains(text, "Bùi Văn Thắng") {
		t.Fatalf("export without phone numbers:\n%s", text)
	}
	// The file, imported back, changes nothing: the phone number stays.
	res, _, err := modelsfile.Import(ctx, a.St, a.Actor, out, store.ModelImportOptions{})
	if err != nil || res.Unchanged != 1 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	ms, _ := a.St.SearchModels(ctx, store.ModelFilter{})
	if len(ms) != 1 || ms[0].PersonPhone != "0989001103" {
		t.Fatalf("after re-import: %+v", ms)
	}
	// The audit trail says what left.
	entries, err := a.St.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		if e.Action == store.ActionExport && strings.Contains(e.New, `"personal":"names"`) {
			found = true
		}
	}
	if !found {
		t.Error("no audit row records the export and its personal data")
	}
}

// "2.024" (a year as a spreadsheet with thousands grouping shows it) is
// read as 2024 by the form, exactly as by the spreadsheet import.
func TestYearReadTheSameInFormAndSpreadsheet(t *testing.T) {
	a := newTestApp(t)
	s := showModels(t, a)
	s.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"2024", 2024, true}, {"2.024", 2024, true}, {" 2025 ", 2025, true}, {"0", 0, false}, {"-1", 0, false}, {"hai nghìn", 0, false}} {
		s.form.text["model_year"].SetText(tc.in)
		m, v := s.form.read()
		_, formBad := v.For("model_year")
		y, code, _ := domain.ParseYear(tc.in, time.Now())
		if m.Year != tc.want || formBad == tc.ok || y != tc.want || (code == "") != tc.ok {
			t.Errorf("%q: form %d (problem %v), spreadsheet %d %q", tc.in, m.Year, formBad, y, code)
		}
	}
}

// The registration form and the status dialog edit exactly the fields
// domain.ModelFields declares for them: a declared field missing from the
// form's sections (or a section naming an undeclared one) fails here, and
// every form field survives being shown and read back.
func TestModelFormCoversTheDeclaration(t *testing.T) {
	a := newTestApp(t)
	s := showModels(t, a)
	s.onNew()
	inForm := map[string]bool{}
	for _, sec := range modelFormSections {
		for _, key := range sec.fields {
			if _, ok := domain.ModelFieldByKey(key); !ok {
				t.Errorf("the form shows %s, which domain.ModelFields does not declare", key)
			}
			inForm[key] = true
		}
	}
	var want domain.Model
	for _, f := range domain.ModelFields {
		if f.Editor == domain.EditForm && !inForm[f.Key] {
			t.Errorf("the registration form has no input for %s", f.Key)
		}
		if f.Editor == domain.EditStatus && inForm[f.Key] {
			t.Errorf("%s is edited by the status dialog, not the form", f.Key)
		}
		if f.Editor != domain.EditForm {
			continue
		}
		// A value of its own for each field, as an officer types it.
		text := map[domain.FieldType]string{domain.TypeText: "Chữ " + f.Key, domain.TypeLong: "Dòng một " + f.Key + "\nDòng hai",
			domain.TypeYear: "2.025", domain.TypeWhole: "1.500.000", domain.TypeDate: "05/03/2025"}[f.Type]
		if f.Type == domain.TypeEnum {
			codes := f.Codes()
			text = codes[len(codes)-1]
		}
		if p := f.SetText(&want, text); p != nil {
			t.Fatalf("%s: %v", f.Key, p)
		}
	}
	want.BodyOther = "Tổ hợp tác Suối Hoa"
	want.PersonPhone = "0912345678"
	s.form.edit(want)
	got, problems := s.form.read()
	if len(problems.Fields) > 0 {
		t.Fatalf("reading back what the form showed: %v", problems.Fields)
	}
	for _, f := range domain.ModelFields {
		if f.Editor == domain.EditForm && f.Text(&got) != f.Text(&want) {
			t.Errorf("the form loses %s: shows %q, reads back %q", f.Key, f.Text(&want), f.Text(&got))
		}
	}
	if s.form.text["model_budget"].Text != "1.500.000" {
		t.Errorf("an amount shows as %q, want 1.500.000", s.form.text["model_budget"].Text)
	}

	// The status dialog asks, for each status, what the declaration says
	// that status requires.
	saved, err := a.St.SaveModel(a.Ctx(), a.Actor, domain.Model{Kind: domain.KindModel, Name: "Nuôi cá lồng", Field: domain.FieldEconomy,
		Year: 2024, Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Nuôi cá"})
	if err != nil {
		t.Fatal(err)
	}
	if saved, err = a.St.ChangeModelStatus(a.Ctx(), a.Actor, saved.ID, saved.Revision, domain.StatusChange{To: domain.StatusImplementing}); err != nil {
		t.Fatal(err)
	}
	s.form.onCancel()
	s.detail.show(saved)
	sd := s.detail.newStatusDialog()
	for _, f := range domain.ModelFields {
		if f.Editor == domain.EditStatus && sd.rows[domain.StatusInput(f.Key)] == nil {
			t.Errorf("the status dialog has no input for %s", f.Key)
		}
	}
	for i, code := range sd.to.codes {
		sd.to.SetSelectedIndex(i)
		need := map[string]bool{}
		for _, f := range domain.RequiredFor(code) {
			need[domain.StatusInput(f.Key)] = true
		}
		for key, r := range sd.rows {
			if key == "model_status" || key == "status_date" {
				continue
			}
			if r.box.Visible() != need[key] {
				t.Errorf("moving to %s: %s shown %v, required %v", code, key, r.box.Visible(), need[key])
			}
		}
	}
	sd.dlg.Hide()
}
