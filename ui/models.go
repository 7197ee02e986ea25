package ui

import (
	"danvan/internal/domain"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerScreen(screenDef{ID: "models", Order: 20, TitleKey: "nav.models", Icon: theme.IconNameList,
		New: func(a *App) screen { return newModelsScreen(a) }})
}

// modelsPageSize is how many rows one background query brings. The list
// asks only for the pages it shows, so 100.000 models never become 100.000
// widgets or one 100.000-row query.
const modelsPageSize = 200

// modelsScreen (Mô hình Dân vận khéo) lists, finds, registers and follows
// the models. The widgets are fields so that tests can drive them.
type modelsScreen struct {
	a *App

	counts      map[domain.Field]*widget.Label
	total       *widget.Label
	search      *keyEntry
	field       *enumSelect[domain.Field]
	status      *enumSelect[domain.ModelStatus]
	kind        *enumSelect[domain.ModelKind]
	body        *enumSelect[domain.Body]
	year        *widget.Select
	found       *widget.Label
	table       *widget.Table
	newB        *widget.Button
	importB     *widget.Button
	exportB     *widget.Button
	detail      *modelDetail
	form        *modelForm
	split       *container.Split
	listView    fyne.CanvasObject
	stack       *fyne.Container
	shortcutsOn bool

	filter  store.ModelFilter
	gen     int // bumps when the filter changes, so late pages are dropped
	rows    int
	pages   map[int][]domain.Model
	loading map[int]bool
	searchT *time.Timer
	// queue, when set (tests), holds background work until the test runs
	// it on its own goroutine with settle, so that tests are deterministic
	// and free of races with Fyne's test driver, which has no UI thread.
	queue *[]bgJob
}

func newModelsScreen(a *App) *modelsScreen {
	return &modelsScreen{a: a, pages: map[int][]domain.Model{}, loading: map[int]bool{}}
}

var modelColumnKeys = []string{"field.model_name", "field.model_field", "field.model_kind", "field.model_status", "field.model_year", "field.model_person_name"}
var modelColumnWidths = []float32{270, 170, 90, 140, 60, 160}

func (s *modelsScreen) content() fyne.CanvasObject {
	s.counts = map[domain.Field]*widget.Label{}
	countBox := container.NewHBox()
	for _, f := range domain.Fields {
		l := widget.NewLabel("")
		s.counts[f] = l
		countBox.Add(l)
		countBox.Add(widget.NewSeparator())
	}
	s.total = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	countBox.Add(s.total)

	s.search = newKeyEntry(false)
	s.search.SetPlaceHolder(i18n.T("models.search_hint"))
	s.search.onShortcut = s.handleShortcut
	s.search.OnChanged = func(string) { s.searchSoon() }
	s.field = newEnumSelect("models.field.", domain.Fields, true, s.applyFilter)
	s.status = newEnumSelect("models.status.", domain.ModelStatuses, true, s.applyFilter)
	s.kind = newEnumSelect("models.kind.", []domain.ModelKind{domain.KindModel, domain.KindExemplar}, true, s.applyFilter)
	s.body = newEnumSelect("models.body.", domain.Bodies, true, s.applyFilter)
	s.year = widget.NewSelect([]string{i18n.T("common.all")}, func(string) { s.applyFilter() })
	s.year.SetSelectedIndex(0)
	labelled := func(key string, w fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(i18n.T(key)), nil, w)
	}
	filters := container.NewGridWithColumns(3,
		labelled("field.model_field", s.field), labelled("field.model_status", s.status), labelled("field.model_year", s.year),
		labelled("field.model_kind", s.kind), labelled("field.model_body", s.body))

	s.newB = widget.NewButtonWithIcon(i18n.T("models.new"), theme.ContentAddIcon(), s.onNew)
	s.newB.Importance = widget.HighImportance
	s.importB = widget.NewButtonWithIcon(i18n.T("models.import"), theme.DownloadIcon(), s.onImport)
	s.exportB = widget.NewButtonWithIcon(i18n.T("models.export"), theme.UploadIcon(), s.onExport)
	s.found = widget.NewLabel("")
	// The counts and the search box span the whole width, above the list and
	// the detail pane, so that they are always in view.
	head := container.NewVBox(
		countBox,
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), container.NewHBox(s.newB, s.importB, s.exportB), s.search),
		filters,
	)
	top := s.found

	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return s.rows, len(modelColumnKeys) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = newHeaderCell
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(modelColumnKeys) {
			o.(*widget.Label).SetText(i18n.T(modelColumnKeys[id.Col]))
		}
	}
	for i, w := range modelColumnWidths {
		s.table.SetColumnWidth(i, w)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if m, ok := s.rowAt(id.Row); ok {
			s.detail.show(m)
		}
	}
	s.detail = newModelDetail(s)
	s.split = container.NewHSplit(container.NewBorder(top, nil, nil, nil, s.table), s.detail.content())
	s.split.Offset = 0.7
	s.listView = container.NewBorder(head, nil, nil, nil, s.split)
	s.form = newModelForm(s)
	s.stack = container.NewStack(s.listView)
	return s.stack
}

func (s *modelsScreen) onShow() {
	s.addShortcuts()
	s.reload()
}

// addShortcuts binds Ctrl+F (search), Ctrl+N (new) and Ctrl+S (save) on the
// window, for when no entry has the focus; keyEntry passes them on when one
// does.
func (s *modelsScreen) addShortcuts() {
	if s.shortcutsOn {
		return
	}
	s.shortcutsOn = true
	c := s.a.Win.Canvas()
	for _, k := range []fyne.KeyName{fyne.KeyF, fyne.KeyN, fyne.KeyS} {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
		c.AddShortcut(sc, func(sc fyne.Shortcut) { s.handleShortcut(sc) })
	}
}

// handleShortcut runs Ctrl+F, Ctrl+N and Ctrl+S when this screen is the one
// shown, and says whether it did.
func (s *modelsScreen) handleShortcut(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierShortcutDefault || !s.visible() {
		return false
	}
	switch cs.KeyName {
	case fyne.KeyF:
		s.stack.Objects = []fyne.CanvasObject{s.listView}
		s.stack.Refresh()
		s.a.Win.Canvas().Focus(s.search)
	case fyne.KeyN:
		s.onNew()
	case fyne.KeyS:
		if !s.form.open {
			return false
		}
		s.form.onSave()
	default:
		return false
	}
	return true
}

func (s *modelsScreen) visible() bool {
	return s.stack != nil && s.stack.Visible() && screenShown(s.a, "models")
}

// reload refreshes the counts, the year list and the list, keeping the
// filters.
func (s *modelsScreen) reload() {
	var counts store.ModelCounts
	var years []int
	s.bg(func() error {
		var err error
		if counts, err = s.a.St.CountModelsByField(s.a.Ctx(), store.ModelFilter{}); err != nil {
			return err
		}
		years, err = s.a.St.ModelYears(s.a.Ctx())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.showCounts(counts)
		opts := []string{i18n.T("common.all")}
		for _, y := range years {
			opts = append(opts, strconv.Itoa(y))
		}
		sel := s.year.Selected
		s.year.Options = opts
		s.year.Refresh()
		if sel == "" {
			s.year.SetSelectedIndex(0)
		}
	})
	s.applyFilter()
}

func (s *modelsScreen) showCounts(c store.ModelCounts) {
	for _, f := range domain.Fields {
		s.counts[f].SetText(i18n.T("models.count", i18n.Args{"Field": i18n.T("models.field." + string(f)), "Count": vn.FormatInt(int64(c.ByField[f]))}))
	}
	s.total.SetText(i18n.T("models.total", i18n.Args{"Count": vn.FormatInt(int64(c.Total))}))
}

// searchSoon waits for a pause in typing before searching, so that each
// key press does not start a query over 100.000 rows.
func (s *modelsScreen) searchSoon() {
	if s.queue != nil || s.a.inline {
		// Screen tests: Fyne's test driver runs fyne.Do on the timer's
		// goroutine, racing the test's own taps.
		s.applyFilter()
		return
	}
	if s.searchT != nil {
		s.searchT.Stop()
	}
	s.searchT = time.AfterFunc(250*time.Millisecond, func() { fyne.Do(s.applyFilter) })
}

// currentFilter reads the filter widgets.
func (s *modelsScreen) currentFilter() store.ModelFilter {
	f := store.ModelFilter{Query: s.search.Text, Field: s.field.value(), Status: s.status.value(), Kind: s.kind.value(), Body: s.body.value()}
	if y, err := strconv.Atoi(s.year.Selected); err == nil {
		f.Year = y
	}
	return f
}

// applyFilter starts over: counts the matches and drops the loaded pages.
func (s *modelsScreen) applyFilter() {
	if s.table == nil {
		return
	}
	f := s.currentFilter()
	s.gen++
	gen := s.gen
	var n int
	s.bg(func() error {
		var err error
		n, err = s.a.St.CountModels(s.a.Ctx(), f)
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.filter = f
		s.rows = n
		s.pages = map[int][]domain.Model{}
		s.loading = map[int]bool{}
		s.found.SetText(i18n.T("models.found", i18n.Args{"Count": vn.FormatInt(int64(n))}))
		s.table.UnselectAll()
		s.table.ScrollToTop()
		s.table.Refresh()
	})
}

// rowAt returns the model on a list row if its page is loaded, and starts
// loading the page if not.
func (s *modelsScreen) rowAt(row int) (domain.Model, bool) {
	p := row / modelsPageSize
	page, ok := s.pages[p]
	if ok {
		if i := row % modelsPageSize; i < len(page) {
			return page[i], true
		}
		return domain.Model{}, false
	}
	if s.loading[p] {
		return domain.Model{}, false
	}
	s.loading[p] = true
	f := s.filter
	f.Limit, f.Offset = modelsPageSize, p*modelsPageSize
	gen := s.gen
	var got []domain.Model
	s.bg(func() error {
		var err error
		got, err = s.a.St.SearchModels(s.a.Ctx(), f)
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		delete(s.loading, p)
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.pages[p] = got
		s.table.Refresh()
	})
	return domain.Model{}, false
}

func (s *modelsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	m, ok := s.rowAt(id.Row)
	if !ok {
		l.SetText("…")
		return
	}
	l.SetText(modelCell(&m, id.Col))
}

// modelCell is the text of one list column.
func modelCell(m *domain.Model, col int) string {
	switch col {
	case 0:
		return m.Name
	case 1:
		return i18n.T("models.field." + string(m.Field))
	case 2:
		return i18n.T("models.kind." + string(m.Kind))
	case 3:
		return i18n.T("models.status." + string(m.Status))
	case 4:
		return strconv.Itoa(m.Year)
	case 5:
		return m.PersonName
	}
	return ""
}

// onNew opens an empty form.
func (s *modelsScreen) onNew() {
	s.form.edit(domain.Model{Kind: domain.KindModel, Year: time.Now().Year()})
}

// showForm and showList switch between the list and the form.
func (s *modelsScreen) showForm() {
	s.stack.Objects = []fyne.CanvasObject{s.form.content()}
	s.stack.Refresh()
}

func (s *modelsScreen) showList() {
	s.stack.Objects = []fyne.CanvasObject{s.listView}
	s.stack.Refresh()
}

// screenShown reports whether the shell shows page id (always true in
// tests, which build a screen without the shell).
func screenShown(a *App, id string) bool { return a.shell == nil || a.shell.current == id }

// bg runs work off the UI goroutine like App.Background, counting it so
// that a test can wait for the screen to be idle before closing the store.
func (s *modelsScreen) bg(work func() error, done func(err error)) {
	if s.queue != nil {
		*s.queue = append(*s.queue, bgJob{work, done})
		return
	}
	s.a.Background(work, done)
}

type bgJob struct {
	work func() error
	done func(error)
}
