package ui

import (
	"danvan/internal/domain"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerScreen(screenDef{ID: "tallies", Order: 30, TitleKey: "nav.tallies", Icon: theme.IconNameGrid,
		New: func(a *App) screen { return newTalliesScreen(a) }})
}

// talliesScreen (Hồ sơ TTHC) is Biểu 06 for one period: a grid shaped like
// the paper form, checked as the officer types.
type talliesScreen struct {
	a *App

	picker      *periodPicker
	periodInfo  *widget.Label
	state       *widget.Label
	rowsBox     *fyne.Container
	rows        []*tallyGridRow
	totals      [14]*widget.Label
	problems    *widget.Label
	problemsBox *container.Scroll
	head, foot  *fyne.Container
	rates       *widget.Label
	history     *widget.Label
	message     *widget.Label

	copyB, draftB, finalB, closeB, reopenB *widget.Button

	spec  domain.PeriodSpec
	pt    store.PeriodTallies
	dirty bool
}

func newTalliesScreen(a *App) *talliesScreen { return &talliesScreen{a: a} }

func (s *talliesScreen) content() fyne.CanvasObject {
	s.spec = domain.PeriodOf(domain.PeriodMonth, time.Now(), s.a.Settings.CutoffDay)
	s.picker = newPeriodPicker(s.a.Settings.CutoffDay, s.spec, s.onPeriod, s.a.ShowError)
	s.periodInfo = widget.NewLabel("")
	s.periodInfo.Wrapping = fyne.TextWrapWord
	s.state = widget.NewLabel("")
	s.state.TextStyle = fyne.TextStyle{Bold: true}
	s.problems = widget.NewLabel("")
	s.problems.Wrapping = fyne.TextWrapWord
	s.problems.Importance = widget.DangerImportance
	s.rates = widget.NewLabel("")
	s.rates.Wrapping = fyne.TextWrapWord
	s.history = widget.NewLabel("")
	s.history.Wrapping = fyne.TextWrapWord
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.rowsBox = container.NewVBox()

	s.copyB = widget.NewButtonWithIcon(i18n.T("tally.ui.copy_previous"), theme.ContentCopyIcon(), s.onCopyPrevious)
	s.draftB = widget.NewButtonWithIcon(i18n.T("tally.ui.save_draft"), theme.DocumentSaveIcon(), func() { s.onSave(false) })
	s.finalB = widget.NewButtonWithIcon(i18n.T("tally.ui.save_final"), theme.ConfirmIcon(), func() { s.onSave(true) })
	s.finalB.Importance = widget.HighImportance
	s.closeB = widget.NewButtonWithIcon(i18n.T("tally.ui.close"), theme.CheckButtonCheckedIcon(), s.onClose)
	s.reopenB = widget.NewButtonWithIcon(i18n.T("tally.ui.reopen"), theme.ViewRefreshIcon(), s.onReopen)

	s.head = container.NewVBox(
		container.NewBorder(nil, nil, nil, s.fileButton(), s.picker.row()),
		container.NewBorder(nil, nil, nil, s.state, s.periodInfo),
	)
	head := s.head
	buttons := container.NewHBox(s.copyB, s.draftB, s.finalB, s.closeB, s.reopenB)
	grid := container.NewVBox(s.headerRows()...)
	grid.Add(s.rowsBox)
	grid.Add(s.totalsRow())
	// The rates, the problems and the buttons stay in sight below the
	// grid, which scrolls; a long list of problems scrolls on its own.
	s.problemsBox = container.NewVScroll(s.problems)
	s.problemsBox.SetMinSize(fyne.NewSize(0, 72))
	s.problemsBox.Hide()
	ratesBox := container.NewVScroll(s.rates)
	ratesBox.SetMinSize(fyne.NewSize(0, 60))
	s.foot = container.NewVBox(widget.NewSeparator(), ratesBox, s.problemsBox, buttons, s.message)
	// The 13 columns scroll sideways too on a narrow screen (1024×768 at
	// 125 %), the heading rows with them.
	return container.NewBorder(head, s.foot, nil, nil, container.NewScroll(container.NewVBox(grid, s.history)))
}

// onShow reloads the period each time the page is shown, unless the
// officer has typed something not saved yet.
func (s *talliesScreen) onShow() {
	if !s.dirty {
		s.load()
	}
}

// headerRows are the form's headings: the three groups, the column names
// and the column numbers (1)…(13).
func (s *talliesScreen) headerRows() []fyne.CanvasObject {
	head := func(key string) fyne.CanvasObject {
		l := widget.NewLabel(i18n.T(key))
		l.Wrapping = fyne.TextWrapWord
		l.Alignment = fyne.TextAlignCenter
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}
	groups := newGridRow([]int{1, 1, 4, 4, 3},
		head("tally.ui.col.1"), head("tally.ui.col.2"),
		head("tally.ui.group.received"), head("tally.ui.group.processed"), head("tally.ui.group.in_progress"))
	names := []fyne.CanvasObject{widget.NewLabel(""), widget.NewLabel("")}
	nums := []fyne.CanvasObject{}
	for c := 1; c <= 13; c++ {
		n := widget.NewLabel("(" + strconv.Itoa(c) + ")")
		n.Alignment = fyne.TextAlignCenter
		nums = append(nums, n)
		if c >= domain.FirstCol {
			l := widget.NewLabel(i18n.T("tally.ui.col." + strconv.Itoa(c)))
			l.Wrapping = fyne.TextWrapWord
			l.Alignment = fyne.TextAlignCenter
			// Caption size: a word such as "Overdue" fits a count column
			// whole instead of breaking inside the word.
			l.SizeName = theme.SizeNameCaptionText
			names = append(names, l)
		}
	}
	return []fyne.CanvasObject{groups, newGridRow(nil, names...), newGridRow(nil, nums...)}
}

func (s *talliesScreen) totalsRow() fyne.CanvasObject {
	objs := []fyne.CanvasObject{widget.NewLabel(""), widget.NewLabelWithStyle(i18n.T("tally.ui.total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for c := domain.FirstCol; c <= domain.LastCol; c++ {
		s.totals[c] = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		objs = append(objs, s.totals[c])
	}
	return newGridRow(nil, objs...)
}

func (s *talliesScreen) onPeriod(p domain.PeriodSpec) {
	s.message.SetText("")
	if s.dirty {
		s.a.confirm(i18n.T("tally.ui.discard_title"), i18n.T("tally.ui.discard"), func(ok bool) {
			if ok {
				s.spec, s.dirty = p, false
				s.load()
			} else {
				s.picker.set(s.spec)
			}
		})
		return
	}
	s.spec = p
	s.load()
}

// load reads the period's form off the UI goroutine and shows it.
func (s *talliesScreen) load() {
	spec := s.spec
	var pt store.PeriodTallies
	var events []store.PeriodEvent
	s.a.Background(func() error {
		var err error
		if pt, err = s.a.St.PeriodTallies(s.a.Ctx(), "", spec); err != nil {
			return err
		}
		if pt.Stored {
			events, err = s.a.St.PeriodEvents(s.a.Ctx(), pt.Period.ID)
		}
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		if spec.Code() != s.spec.Code() {
			return // the person picked another period meanwhile
		}
		s.show(pt, events)
	})
}

// show fills the grid from a loaded form.
func (s *talliesScreen) show(pt store.PeriodTallies, events []store.PeriodEvent) {
	s.pt = pt
	s.dirty = false
	s.periodInfo.SetText(i18n.T("tally.ui.period_info", i18n.Args{
		"Label": periodLabel(pt.Spec), "Start": vn.FormatDate(pt.Spec.Start), "End": vn.FormatDate(pt.Spec.End),
		"Due": vn.FormatDate(pt.Spec.Due(s.a.Settings.DueWorkingDays)),
	}))
	s.rows = nil
	var objs []fyne.CanvasObject
	for i, f := range pt.Fields {
		r := s.newRow(i+1, f)
		if t, ok := pt.Rows[f.ID]; ok {
			for c := domain.FirstCol; c <= domain.LastCol; c++ {
				if v, ok := t.Counts.Get(c); ok {
					r.cells[c].entry.SetText(vn.FormatInt(v))
				}
			}
		}
		s.rows = append(s.rows, r)
		objs = append(objs, s.rowObject(r))
	}
	s.rowsBox.Objects = objs
	s.rowsBox.Refresh()
	s.dirty = false // filling the cells above is not an edit
	s.wireFocus()
	closed := pt.Closed()
	for _, r := range s.rows {
		for c := domain.FirstCol; c <= domain.LastCol; c++ {
			if closed {
				r.cells[c].entry.Disable()
			} else {
				r.cells[c].entry.Enable()
			}
		}
	}
	show(s.closeB, !closed)
	show(s.reopenB, closed)
	for _, b := range []*widget.Button{s.copyB, s.draftB, s.finalB, s.closeB} {
		if closed {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	s.showState(events)
	s.recheck()
	s.head.Refresh()
}

func (s *talliesScreen) showState(events []store.PeriodEvent) {
	pt := s.pt
	drafts := 0
	for _, r := range pt.Rows {
		if !r.Final {
			drafts++
		}
	}
	switch {
	case pt.Closed():
		s.state.SetText(i18n.T("tally.ui.state_closed", i18n.Args{"At": vn.FormatDateTime(pt.Period.ClosedAt.Local()), "By": pt.Period.ClosedBy}))
	case len(pt.Rows) == 0:
		s.state.SetText(i18n.T("tally.ui.state_empty"))
	default:
		s.state.SetText(i18n.T("tally.ui.state_open", i18n.Args{"Rows": len(pt.Rows), "Drafts": drafts}))
	}
	var lines []string
	for _, e := range events {
		key := "tally.ui.event_" + e.Action
		lines = append(lines, i18n.T(key, i18n.Args{"At": vn.FormatDateTime(e.At.Local()), "By": e.UserName, "Reason": e.Reason}))
	}
	s.history.SetText(strings.Join(lines, "\n"))
}

func (s *talliesScreen) newRow(n int, f store.TallyField) *tallyGridRow {
	r := &tallyGridRow{field: f}
	r.name = widget.NewLabel(f.Name)
	r.name.Wrapping = fyne.TextWrapWord
	for c := domain.FirstCol; c <= domain.LastCol; c++ {
		cell := newTallyCell(c)
		if domain.IsTotal(c) {
			cell.entry.TextStyle = fyne.TextStyle{Bold: true}
		}
		cell.entry.OnChanged = func(string) {
			s.dirty = true
			s.recheck()
		}
		r.cells[c] = cell
	}
	r.state = widget.NewLabel(strconv.Itoa(n))
	r.state.Alignment = fyne.TextAlignCenter
	return r
}

func (s *talliesScreen) rowObject(r *tallyGridRow) fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.state, r.name}
	for c := domain.FirstCol; c <= domain.LastCol; c++ {
		objs = append(objs, r.cells[c].box)
	}
	return newGridRow(nil, objs...)
}

// wireFocus makes Enter move to the next cell, across the row and then to
// the next row, the way Tab does.
func (s *talliesScreen) wireFocus() {
	var cells []*tallyCell
	for _, r := range s.rows {
		for c := domain.FirstCol; c <= domain.LastCol; c++ {
			cells = append(cells, r.cells[c])
		}
	}
	for i, c := range cells {
		next := cells[(i+1)%len(cells)]
		c.entry.OnSubmitted = func(string) { s.a.Win.Canvas().Focus(next.entry) }
	}
}

// cellError is a cell whose text is not a count.
type cellError struct {
	field string
	col   int
	err   error
}

// readRow parses a row's cells.
func readRow(r *tallyGridRow) (domain.Counts, []cellError) {
	var c domain.Counts
	var bad []cellError
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		v, err := domain.ParseCount(r.cells[col].entry.Text)
		if err != nil {
			bad = append(bad, cellError{field: r.field.Name, col: col, err: err})
			continue
		}
		c[col] = v
	}
	return c, bad
}

// recheck runs the rules over what is typed now: failing cells turn red,
// each problem is written out, blank totals show their computed value, and
// the totals row and rates follow.
func (s *talliesScreen) recheck() {
	var lines []string
	var all []domain.Counts
	var names []string
	for _, r := range s.rows {
		c, bad := readRow(r)
		failing := map[int]bool{}
		for _, b := range bad {
			failing[b.col] = true
			lines = append(lines, i18n.T("tally.ui.cell_problem", i18n.Args{"Field": b.field, "Column": b.col, "Problem": i18n.Err(b.err)}))
		}
		if len(bad) == 0 {
			for _, p := range c.Problems(s.pt.Prev[r.field.ID], false) {
				for _, col := range p.Cells {
					failing[col] = true
				}
				lines = append(lines, i18n.T("tally.ui.row_problem", i18n.Args{"Field": r.field.Name, "Problem": i18n.Err(p)}))
			}
			all = append(all, c)
			names = append(names, r.field.Name)
		}
		eff := c.Effective()
		for col := domain.FirstCol; col <= domain.LastCol; col++ {
			r.cells[col].setBad(failing[col])
			if domain.IsTotal(col) || col == domain.ColCarried {
				ph := ""
				if v, ok := eff.Get(col); ok && c[col] == nil {
					ph = vn.FormatInt(v)
				} else if col == domain.ColCarried && c[col] == nil && s.pt.Prev[r.field.ID] != nil {
					// What saving will put in (6): the store's rule, shown
					// even before the row has figures.
					ph = vn.FormatInt(*s.pt.Prev[r.field.ID])
				}
				if r.cells[col].entry.PlaceHolder != ph {
					r.cells[col].entry.SetPlaceHolder(ph)
				}
			}
		}
	}
	total := domain.SumRows(all)
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		text := ""
		if v, ok := total.Get(col); ok {
			text = vn.FormatInt(v)
		}
		s.totals[col].SetText(text)
	}
	rateLines := []string{rateLine(i18n.T("tally.ui.total"), total)}
	for i, c := range all {
		if !c.Empty() {
			rateLines = append(rateLines, rateLine(names[i], c))
		}
	}
	s.rates.SetText(i18n.T("tally.ui.rates_title") + "\n" + strings.Join(rateLines, "\n"))
	s.problems.SetText(strings.Join(lines, "\n"))
	if s.problemsBox.Visible() != (len(lines) > 0) {
		show(s.problemsBox, len(lines) > 0)
		s.foot.Refresh()
	}
}

// inputs collects the rows to save, or the first unreadable cell.
func (s *talliesScreen) inputs(final bool) ([]store.TallyInput, error) {
	var out []store.TallyInput
	for _, r := range s.rows {
		c, bad := readRow(r)
		if len(bad) > 0 {
			return nil, bad[0].err
		}
		if _, stored := s.pt.Rows[r.field.ID]; c.Empty() && !stored {
			continue
		}
		out = append(out, store.TallyInput{FieldID: r.field.ID, Counts: c, Final: final && !c.Empty()})
	}
	return out, nil
}

func (s *talliesScreen) onSave(final bool) {
	rows, err := s.inputs(final)
	if err != nil {
		s.a.ShowError(err)
		return
	}
	spec := s.spec
	var res store.SaveResult
	s.a.Background(func() error {
		var err error
		res, err = s.a.St.SaveTallies(s.a.Ctx(), s.a.Actor, spec, rows)
		return err
	}, func(err error) {
		if err != nil {
			s.showRuleError(err)
			return
		}
		s.dirty = false
		s.message.SetText(i18n.T("tally.ui.saved", i18n.Args{"Rows": res.Written, "Drafts": len(res.Drafts)}))
		s.a.RefreshStatus()
		s.load()
	})
}

// showRuleError explains a refused save or close: every failing row's
// problems, in words.
func (s *talliesScreen) showRuleError(err error) {
	var re *store.TallyRulesError
	if !errors.As(err, &re) {
		s.a.ShowError(err)
		return
	}
	lines := []string{i18n.Err(err)}
	for _, r := range re.Rows {
		for _, p := range r.Problems {
			lines = append(lines, i18n.T("tally.ui.row_problem", i18n.Args{"Field": r.FieldName, "Problem": i18n.Err(p)}))
		}
	}
	msg := widget.NewLabel(strings.Join(lines, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(i18n.T("common.error_title"), i18n.T("common.close"), container.NewVScroll(msg), s.a.Win)
	d.Resize(fyne.NewSize(720, 360))
	s.a.show(d)
	s.message.SetText(lines[0])
}

// onCopyPrevious fills the empty rows from the period before, as a start:
// the parts are copied, (6) takes the previous (11), totals are left to be
// computed. Nothing is saved until the officer saves.
func (s *talliesScreen) onCopyPrevious() {
	prev := s.spec.Previous(s.a.Settings.CutoffDay)
	var pt store.PeriodTallies
	s.a.Background(func() error {
		var err error
		pt, err = s.a.St.PeriodTallies(s.a.Ctx(), "", prev)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		if len(pt.Rows) == 0 {
			s.message.SetText(i18n.T("tally.ui.no_previous", i18n.Args{"Period": periodLabel(prev)}))
			return
		}
		copied := 0
		for _, r := range s.rows {
			t, ok := pt.Rows[r.field.ID]
			if c, _ := readRow(r); !ok || !c.Empty() {
				continue
			}
			eff := t.Counts.Effective()
			for col := domain.FirstCol; col <= domain.LastCol; col++ {
				text := ""
				if v, ok := eff.Get(col); ok && !domain.IsTotal(col) {
					text = vn.FormatInt(v)
				}
				if col == domain.ColCarried {
					text = ""
					if v := t.Counts.CarriedOut(); v != nil {
						text = vn.FormatInt(*v)
					}
				}
				r.cells[col].entry.SetText(text)
			}
			copied++
		}
		s.message.SetText(i18n.T("tally.ui.copied", i18n.Args{"Rows": copied, "Period": periodLabel(prev)}))
	})
}

func (s *talliesScreen) onClose() {
	if s.dirty {
		s.message.SetText(i18n.T("tally.ui.save_first"))
		return
	}
	spec := s.spec
	// Whether it can be closed is said first: asking "close?" and then
	// refusing would waste the officer's answer.
	s.a.Background(func() error {
		return s.a.St.CanClosePeriod(s.a.Ctx(), spec)
	}, func(err error) {
		if err != nil {
			s.showRuleError(err)
			return
		}
		s.a.confirm(i18n.T("tally.ui.close"), i18n.T("tally.ui.close_confirm", i18n.Args{"Period": periodLabel(spec)}), func(ok bool) {
			if ok {
				s.closePeriod(spec)
			}
		})
	})
}

func (s *talliesScreen) closePeriod(spec domain.PeriodSpec) {
	s.a.Background(func() error {
		return s.a.St.ClosePeriod(s.a.Ctx(), s.a.Actor, spec)
	}, func(err error) {
		if err != nil {
			s.showRuleError(err)
			return
		}
		s.a.RefreshStatus()
		s.load()
	})
}

func (s *talliesScreen) onReopen() {
	reason := newKeyEntry(true)
	reason.SetPlaceHolder(i18n.T("tally.ui.reopen_hint"))
	spec := s.spec
	d := dialog.NewForm(i18n.T("tally.ui.reopen"), i18n.T("tally.ui.reopen"), i18n.T("common.cancel"),
		[]*widget.FormItem{widget.NewFormItem(i18n.T("field.reopen_reason"), reason)}, func(ok bool) {
			if !ok {
				return
			}
			s.reopen(spec, reason.Text)
		}, s.a.Win)
	d.Resize(fyne.NewSize(560, 260))
	s.a.show(d)
}

func (s *talliesScreen) reopen(spec domain.PeriodSpec, reason string) {
	s.a.Background(func() error {
		return s.a.St.ReopenPeriod(s.a.Ctx(), s.a.Actor, spec, reason)
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.a.RefreshStatus()
		s.load()
	})
}

// rateLine writes the three computed rates of a row (or of the totals).
func rateLine(label string, c domain.Counts) string {
	r := c.Rates()
	return i18n.T("tally.ui.rates", i18n.Args{
		"Label": label, "OnTime": vn.FormatPercent(r.OnTime), "Late": vn.FormatPercent(r.Late), "Overdue": vn.FormatPercent(r.Overdue),
	})
}
