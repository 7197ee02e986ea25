package ui

import (
	"context"
	"danvan/internal/domain"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/internal/tanlac"
	"danvan/report"
	"danvan/store"
	dsync "danvan/sync"
)

const demoPass = "mật khẩu ký demo"

var (
	demoOnce stdsync.Once
	demoRoot string
	demoErr  error
)

// demoCopy is a copy of the sixteen Tân Lạc communes and their collecting
// office, built once per test run, for one test to change freely.
func demoCopy(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		demoRoot, demoErr = os.MkdirTemp("", "danvan-tanlac-")
		if demoErr == nil {
			_, demoErr = tanlac.Build(context.Background(), demoRoot, tanlac.Options{Year: 2024, Passphrase: demoPass})
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(demoRoot)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoRoot != "" {
		os.RemoveAll(demoRoot)
	}
	os.Exit(code)
}

// newCollectorApp opens the demo's collecting office as the window would.
func newCollectorApp(t *testing.T, root string) *App {
	t.Helper()
	if err := i18n.Use("vi"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(root, tanlac.CollectorCode))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	self, err := st.SelfOffice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fa := test.NewTempApp(t)
	a := &App{Fyne: fa, St: st, Self: self, Settings: set, Actor: store.System, ctx: ctx, theme: newAppTheme(false), inline: true}
	a.Win = fa.NewWindow("test")
	a.Win.Resize(fyne.NewSize(1200, 760))
	t.Cleanup(a.Win.Close)
	return a
}

func rowOf(t *testing.T, s *officesScreen, code string) int {
	t.Helper()
	for i := range s.list {
		if s.cell(i, 0) == code {
			return i
		}
	}
	t.Fatalf("no row for %s", code)
	return -1
}

func TestOfficesScreen(t *testing.T) {
	a := newCollectorApp(t, demoCopy(t))
	s := newOfficesScreen(a)
	a.Win.SetContent(s.content())
	s.onShow()
	waitFor(t, func() bool { return len(s.list) == len(tanlac.Units) })
	if !strings.Contains(s.summary.Text, "16 đơn vị") {
		t.Errorf("summary %q", s.summary.Text)
	}
	r := rowOf(t, s, "NL")
	if got := s.cell(r, 1); got != "Xã Ngổ Luông" {
		t.Errorf("name %q", got)
	}
	if got := s.cell(r, 3); len(got) != 19 || strings.Count(got, " ") != 3 {
		t.Errorf("fingerprint %q", got)
	}
	if got := s.cell(r, 4); got != "3" {
		t.Errorf("NL's last batch %q, want 3 (it never sent Q4)", got)
	}
	if !s.mergeB.Disabled() || !s.viewB.Disabled() {
		t.Error("merge and view need a selected unit")
	}
	s.table.Select(fyneCell(r, 1))
	if s.mergeB.Disabled() || s.viewB.Disabled() || !s.unmergeB.Disabled() {
		t.Error("a selected unit that is not merged can be merged and viewed, not un-merged")
	}

	// Merged from a date: the list says so, and a batch the unit makes
	// after that date is refused in words.
	ids := map[string]string{}
	for _, o := range s.list {
		ids[o.Code] = o.ID
	}
	if err := a.St.MergeOffice(a.Ctx(), a.Actor, ids["MH"], ids["PC"], time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s.refresh()
	waitFor(t, func() bool {
		return strings.Contains(s.cell(rowOf(t, s, "MH"), 7), "Sáp nhập vào PC từ 01/07/2025")
	})
	s.table.Select(fyneCell(rowOf(t, s, "MH"), 0))
	if s.unmergeB.Disabled() {
		t.Error("a merged unit can be un-merged")
	}
}

func TestInboxScreen(t *testing.T) {
	root := demoCopy(t)
	ctx := context.Background()

	// Suối Hoa makes one more batch; Mỹ Hòa, merged into Phú Cường from
	// 01/07/2025, makes one after that day; and a stray file is no batch.
	inbox := t.TempDir()
	newBatch := func(code string, at time.Time) string {
		st, sg := openDemoUnit(t, root, code)
		defer st.Close()
		st.Now = func() time.Time { return at }
		if _, err := st.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: "Nuôi ong lấy mật " + code, Field: domain.FieldEconomy,
			Year: at.Year(), Body: domain.BodyFarmers, PersonName: "Đinh Văn Sơn", Tasks: "Hướng dẫn kỹ thuật nuôi ong"}); err != nil {
			t.Fatal(err)
		}
		res, err := dsync.Export(ctx, st, store.System, sg, st.Dir(), dsync.ExportOptions{Extra: inbox, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		return res.ExtraPath
	}
	good := newBatch("SH", time.Date(2025, 3, 20, 2, 0, 0, 0, time.UTC))
	merged := newBatch("MH", time.Date(2025, 8, 1, 2, 0, 0, 0, time.UTC))
	junk := filepath.Join(inbox, "ghi-chu.zip")
	if err := os.WriteFile(junk, []byte("không phải lô dữ liệu"), 0o644); err != nil {
		t.Fatal(err)
	}

	a := newCollectorApp(t, root)
	offices, _ := a.St.Offices(ctx)
	ids := map[string]string{}
	for _, o := range offices {
		ids[o.Code] = o.ID
	}
	if err := a.St.MergeOffice(ctx, a.Actor, ids["MH"], ids["PC"], time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s := newInboxScreen(a)
	a.Win.SetContent(s.content())
	// The batches are encrypted to the collecting office: without the
	// passphrase each says so and waits, where it is.
	s.add([]string{inbox, junk})
	waitFor(t, func() bool { return len(s.items) == 3 && !s.busy })
	if n := len(s.locked()); n != 2 || !strings.Contains(s.status.Text, "2 lô đã được mã hóa") {
		t.Errorf("without the passphrase: %d locked, status %q", n, s.status.Text)
	}
	if _, err := os.Stat(good); err != nil {
		t.Errorf("a batch waiting for the key was moved: %v", err)
	}
	shot(t, a, "inbox-locked")
	test.Type(s.pass, demoPass)
	s.pass.OnSubmitted(s.pass.Text)
	waitFor(t, func() bool { return !s.busy && len(s.locked()) == 0 })
	byName := map[string]*inboxItem{}
	for _, it := range s.items {
		byName[filepath.Base(it.path)] = it
	}
	g, m, j := byName[filepath.Base(good)], byName[filepath.Base(merged)], byName["ghi-chu.zip"]
	if g == nil || m == nil || j == nil {
		t.Fatalf("items %v", byName)
	}
	if g.res.Err != nil || g.res.Import.Counts.New != 1 || !strings.Contains(g.detail, "Hợp lệ") {
		t.Errorf("good batch: %v, %+v, %q", g.res.Err, g.res.Import.Counts, g.detail)
	}
	if !strings.Contains(m.detail, "sau khi MH đã sáp nhập vào PC") {
		t.Errorf("merged-away batch: %q", m.detail)
	}
	if j.res.Err == nil || j.detail == "" {
		t.Errorf("stray file: %v %q", j.res.Err, j.detail)
	}
	if got, _ := a.St.ReceivedBatches(ctx, ids["SH"]); len(got) != 4 {
		t.Fatalf("the dry run imported something: %d batches", len(got))
	}
	shot(t, a, "inbox-checked")
	if !strings.Contains(s.importB.Text, "1 lô hợp lệ") {
		t.Errorf("import button %q", s.importB.Text)
	}

	test.Type(s.pass, demoPass)
	test.Tap(s.importB)
	waitFor(t, func() bool { return !s.busy })
	if g.state != "imported" {
		t.Fatalf("status %q; good %s %q; merged %s %q; junk %s %q", s.status.Text, g.state, g.detail, m.state, m.detail, j.state, j.detail)
	}
	if got, _ := a.St.ReceivedBatches(ctx, ids["SH"]); len(got) != 5 {
		t.Errorf("SH has %d batches after the import, want 5", len(got))
	}
	if got, _ := a.St.ReceivedBatches(ctx, ids["MH"]); len(got) != 4 {
		t.Errorf("MH has %d batches: the refused one was applied", len(got))
	}
	q, _ := os.ReadDir(filepath.Join(a.St.Dir(), "quarantine"))
	var zips, notes int
	for _, e := range q {
		switch {
		case strings.HasSuffix(e.Name(), ".zip.txt"), strings.HasSuffix(e.Name(), ".zip.age.txt"):
			notes++
			body, _ := os.ReadFile(filepath.Join(a.St.Dir(), "quarantine", e.Name()))
			if len(body) < 20 {
				t.Errorf("reason %s: %q", e.Name(), body)
			}
		case strings.HasSuffix(e.Name(), ".zip"), strings.HasSuffix(e.Name(), ".zip.age"):
			zips++
		}
	}
	if zips != 2 || notes != 2 {
		t.Errorf("quarantine holds %d files and %d reasons: %v", zips, notes, q)
	}
	for _, p := range []string{merged, junk} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was not moved away", filepath.Base(p))
		}
	}
	shot(t, a, "inbox-imported")
	if !strings.Contains(s.status.Text, "1 biên nhận") {
		t.Errorf("status %q", s.status.Text)
	}
	rc, _ := os.ReadDir(filepath.Join(a.St.Dir(), "receipts"))
	found := false
	for _, e := range rc {
		found = found || strings.Contains(e.Name(), "-receipt-SH-")
	}
	if !found {
		t.Errorf("no receipt for SH in %v", rc)
	}
}

func TestCompletenessScreen(t *testing.T) {
	a := newCollectorApp(t, demoCopy(t))
	a.St.Now = func() time.Time { return time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC) }
	s := newCompletenessScreen(a)
	a.Win.SetContent(s.content())
	s.onShow()
	waitFor(t, func() bool { return len(s.m.Rows) == len(tanlac.Units) })
	if s.year.Text != "2024" || s.kind.Selected != "Quý" {
		t.Errorf("opened on %s %s, want the units' latest: 2024, quarters", s.kind.Selected, s.year.Text)
	}
	want := map[string]string{tanlac.LateUnit: "Đã chốt, muộn", tanlac.DraftUnit: "Nháp, quá hạn", tanlac.MissingUnit: "Chưa nhận, quá hạn", "SH": "Đã chốt, đúng hạn"}
	for _, r := range s.m.Rows {
		if w, ok := want[r.Office.Code]; ok {
			if got := cellText(r.Cells[3]); got != w {
				t.Errorf("%s Q4: %q, want %q", r.Office.Code, got, w)
			}
		}
	}
	if !strings.Contains(s.summary.Text, "đã nhận 63 báo cáo") || !strings.Contains(s.summary.Text, "đã chốt 62") {
		t.Errorf("summary %q", s.summary.Text)
	}
}

func TestCollectorCardOnlyForCollectors(t *testing.T) {
	if newCollectorCard(newTestApp(t)) != nil {
		t.Error("a commune got the collecting office's card")
	}
	a := newCollectorApp(t, demoCopy(t))
	card := newCollectorCard(a)
	if card == nil {
		t.Fatal("no card for a collecting office")
	}
	waitFor(t, func() bool {
		return strings.Contains(fmtCard(card), "báo cáo quý")
	})
	if got := fmtCard(card); !strings.Contains(got, "Năm 2024 — 16 đơn vị") || !strings.Contains(got, "62/64 báo cáo quý") {
		t.Errorf("card says %q", got)
	}
}

func fyneCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

// fmtCard is the text of every label in a card.
func fmtCard(card fyne.CanvasObject) string {
	var parts []string
	if c, ok := card.(*widget.Card); ok {
		parts = append(parts, c.Subtitle)
	}
	for _, o := range test.LaidOutObjects(card) {
		if l, ok := o.(*widget.Label); ok {
			parts = append(parts, l.Text)
		}
	}
	return strings.Join(parts, " | ")
}

// shot saves what the window shows as DANVAN_SHOT_DIR/name.png, when that
// is set, so that a person can look at a screen filled by a test.
func shot(t *testing.T, a *App, name string) {
	t.Helper()
	dir := os.Getenv("DANVAN_SHOT_DIR")
	if dir == "" {
		return
	}
	var img image.Image
	fyne.DoAndWait(func() {
		uiMu.Lock()
		defer uiMu.Unlock()
		img = a.Win.Canvas().Capture()
	})
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// TestInboxGapWithinOneLot: two new batches of one unit brought together
// are previewed without "missing" the first; the second alone does miss it.
func TestInboxGapWithinOneLot(t *testing.T) {
	root := demoCopy(t)
	ctx := context.Background()
	lot := t.TempDir()
	st, sg := openDemoUnit(t, root, "SH")
	var paths []string
	for i, name := range []string{"Nuôi ong lấy mật", "Trồng chè"} {
		at := time.Date(2025, 3, 20+i, 2, 0, 0, 0, time.UTC)
		st.Now = func() time.Time { return at }
		if _, err := st.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy,
			Year: 2025, Body: domain.BodyFarmers, PersonName: "Đinh Văn Sơn", Tasks: "Hướng dẫn kỹ thuật"}); err != nil {
			t.Fatal(err)
		}
		res, err := dsync.Export(ctx, st, store.System, sg, st.Dir(), dsync.ExportOptions{Extra: lot, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, res.ExtraPath)
	}
	st.Close()

	a := newCollectorApp(t, root)
	s := newInboxScreen(a)
	a.Win.SetContent(s.content())
	test.Type(s.pass, demoPass)
	s.add([]string{lot})
	waitFor(t, func() bool { return len(s.items) == 2 && !s.busy })
	for _, it := range s.items {
		if it.res.Err != nil || strings.Contains(it.detail, "Thiếu") || it.state != "checked" {
			t.Errorf("%s: %v %q", filepath.Base(it.path), it.res.Err, it.detail)
		}
	}
	s.onClear()
	s.add([]string{paths[1]})
	waitFor(t, func() bool { return len(s.items) == 1 && !s.busy })
	if d := s.items[0].detail; !strings.Contains(d, "5") || !strings.Contains(d, "Thiếu lô số 5") {
		t.Errorf("the second batch alone: %q", d)
	}
}

// The collecting office prints the same roll-ups in the window as
// `danvan rollup`: Biểu 06 over its units for a quarter they sent, and the
// models by field compared with a year.
func TestCollectorReportsRollUps(t *testing.T) {
	a := newCollectorApp(t, demoCopy(t))
	s := newReportsScreen(a)
	a.Win.SetContent(s.content())
	for _, k := range s.kinds {
		if k == report.KindTally || k == report.KindModels || k == report.KindSummary {
			t.Errorf("a collecting office is offered its own %s, which would be empty", k)
		}
	}
	out := t.TempDir()
	for _, c := range []struct {
		kind   report.Kind
		period string
		by     int
		want   []string
	}{
		{report.KindRollupTally, "2024-Q1", 0, []string{"Xã Suối Hoa", "Thị trấn Mãn Đức"}},
		{report.KindRollupModels, "2024-Y", 1, []string{"Kinh tế", "Văn hóa"}},
	} {
		s.choose(c.kind)
		if s.by.Disabled() {
			t.Errorf("%s: the by-unit/by-field choice is disabled", c.kind)
		}
		s.period.set(mustPeriod(t, c.period))
		s.by.SetSelectedIndex(c.by)
		req, err := s.request()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(out, report.FileName(req, report.CSV))
		s.saveTo(req, report.CSV, path)
		waitIdle(t, a)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (%s)", c.kind, err, s.result.Text)
		}
		want, err := report.BuildRollupTally(a.Ctx(), a.St, req, req.By)
		if c.kind == report.KindRollupModels {
			want, err = report.BuildRollupModels(a.Ctx(), a.St, req, req.By)
		}
		if err != nil {
			t.Fatal(err)
		}
		wantPath := filepath.Join(out, "cli-"+filepath.Base(path))
		if err := want.WriteFile(wantPath, report.CSV); err != nil {
			t.Fatal(err)
		}
		cli, _ := os.ReadFile(wantPath)
		if string(data) != string(cli) {
			t.Errorf("%s: the window's file differs from the command line's", c.kind)
		}
		for _, w := range c.want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s: no %q in\n%s", c.kind, w, data)
			}
		}
	}
}

// A batch from a commune not enrolled yet is set aside; once the commune is
// enrolled, Hộp thư đến offers it again ("Lô đang chờ"), and importing it
// releases it.
func TestInboxWaitingBatchesAfterEnrolling(t *testing.T) {
	root := demoCopy(t)
	ctx := context.Background()
	// A new commune, Xuân Yên, with its key; no collecting office enrolled
	// there, so its batch goes in clear.
	xyDir := t.TempDir()
	xy, err := store.Open(ctx, xyDir)
	if err != nil {
		t.Fatal(err)
	}
	defer xy.Close()
	km, err := dsync.GenerateKey(nil, demoPass)
	if err != nil {
		t.Fatal(err)
	}
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
	if _, err := xy.Setup(ctx, store.SetupInput{Office: domain.Office{Code: "XY", Name: "UBND xã Xuân Yên", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: set, Key: &km}); err != nil {
		t.Fatal(err)
	}
	sg, err := dsync.Unlock(km, demoPass)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xy.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: "Nuôi ong lấy mật", Field: domain.FieldEconomy,
		Year: 2025, Body: domain.BodyFarmers, PersonName: "Đinh Văn Sơn", Tasks: "Hướng dẫn kỹ thuật nuôi ong"}); err != nil {
		t.Fatal(err)
	}
	inbox := t.TempDir()
	if _, err := dsync.Export(ctx, xy, store.System, sg, xyDir, dsync.ExportOptions{Extra: inbox}); err != nil {
		t.Fatal(err)
	}

	a := newCollectorApp(t, root)
	s := newInboxScreen(a)
	a.Win.SetContent(s.content())
	s.onShow()
	waitIdle(t, a)
	if !s.waitingB.Disabled() {
		t.Errorf("nothing waits, yet %q is enabled", s.waitingB.Text)
	}
	s.add([]string{inbox})
	waitFor(t, func() bool { return len(s.items) == 1 && !s.busy })
	test.Tap(s.importB)
	waitFor(t, func() bool { return !s.busy })
	waitIdle(t, a)
	if s.items[0].state != "quarantined" || !s.waitingB.Disabled() || !strings.Contains(s.waitingB.Text, "0 nhập được / 1") {
		t.Fatalf("a batch from an office not enrolled: %s %q; button %q", s.items[0].state, s.items[0].detail, s.waitingB.Text)
	}

	data, err := dsync.ExportEnrollmentFrom(ctx, xy, sg, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dsync.Enroll(ctx, a.St, a.Actor, "XY-enrollment.zip", data, ""); err != nil {
		t.Fatal(err)
	}
	s.onClear()
	s.onShow() // coming back to the page
	waitIdle(t, a)
	if s.waitingB.Disabled() || s.waitingB.Text != "Lô đang chờ (1)" {
		t.Fatalf("after enrolling XY the button says %q (disabled %v)", s.waitingB.Text, s.waitingB.Disabled())
	}
	// The quarantine's list shows it, from whom, and that it imports now;
	// its button takes it in, as "Lô đang chờ" does.
	if s.quarB.Text != "Lô bị cách ly (1)" {
		t.Errorf("the quarantine button says %q", s.quarB.Text)
	}
	test.Tap(s.quarB)
	waitIdle(t, a)

	for _, want := range []string{"XY — UBND xã Xuân Yên", "đơn vị đã đăng ký: nhập được", "XY-000001-"} {
		if findLabel(a.Win.Canvas().Overlays().Top(), want) == nil {
			t.Errorf("the quarantine list does not show %q", want)
		}
	}
	imp := findButton(a.Win.Canvas().Overlays().Top(), "Nhập 1 lô nhập được")
	if imp == nil || imp.Disabled() {
		t.Fatal("no enabled import button in the quarantine list")
	}
	test.Tap(imp)
	waitFor(t, func() bool { return len(s.items) == 1 && !s.busy })
	if s.items[0].res.Err != nil {
		t.Fatalf("the waiting batch checks as %v", s.items[0].res.Err)
	}
	test.Tap(s.importB)
	waitFor(t, func() bool { return !s.busy })
	waitIdle(t, a)
	if s.items[0].state != "imported" {
		t.Fatalf("import: %s %q", s.items[0].state, s.items[0].detail)
	}
	if left, _ := a.St.QuarantinedBatches(ctx); len(left) != 0 || !s.waitingB.Disabled() {
		t.Errorf("still waiting: %+v; button %q", left, s.waitingB.Text)
	}
	if s.quarB.Text != "Lô bị cách ly (0)" {
		t.Errorf("after the import the quarantine button says %q", s.quarB.Text)
	}
	// Esc closes the list.
	test.Tap(s.quarB)
	waitIdle(t, a)
	if n := len(a.dialogs); n != 1 || findLabel(a.Win.Canvas().Overlays().Top(), "Không có lô nào bị cách ly") == nil {
		t.Fatalf("the empty quarantine list: %d dialogs", n)
	}
	a.escape()
	if len(a.dialogs) != 0 {
		t.Error("Esc did not close the quarantine list")
	}
}

// TestRemindUnreported: from the completeness matrix the collecting office
// writes the reminder of one period: the units that have not sent it closed,
// with why, ready to copy into e-mail or Zalo; another period picked from
// the drop-down rewrites it.
func TestRemindUnreported(t *testing.T) {
	a := newCollectorApp(t, demoCopy(t))
	a.St.Now = func() time.Time { return time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC) }
	s := newCompletenessScreen(a)
	onUI(func() { a.Win.SetContent(s.content()); s.onShow() })
	waitFor(t, func() bool {
		return ui(func() bool { return len(s.m.Rows) == len(tanlac.Units) && s.kind.Selected == "Quý" })
	})
	onUI(func() { showUnreported(a, s.m) })
	var sel *escSelect
	var text *widget.Entry
	onUI(func() {
		top := a.Win.Canvas().Overlays().Top()
		sel = find(top, func(*escSelect) bool { return true })
		text = find(top, func(e *widget.Entry) bool { return e.MultiLine })
	})
	onUI(func() { sel.SetSelectedIndex(3) }) // Quý 4/2024
	waitFor(t, func() bool {
		return ui(func() bool { return strings.Contains(text.Text, "Quý IV năm 2024") })
	})
	got := ""
	onUI(func() { got = text.Text })
	for _, want := range []string{tanlac.MissingUnit + "): Chưa gửi báo cáo.", tanlac.DraftUnit + "): Đã gửi bản nháp, chưa chốt số liệu."} {
		if !strings.Contains(got, want) {
			t.Errorf("the reminder lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "(SH)") || strings.Contains(got, "("+tanlac.LateUnit+")") {
		t.Errorf("the reminder names a unit that reported:\n%s", got)
	}
	onUI(func() { test.Tap(findButton(a.Win.Canvas().Overlays().Top(), "Chép")) })
	if ui(func() bool { return fyne.CurrentApp().Clipboard().Content() != got }) {
		t.Error("the copy button did not copy the reminder")
	}
}
