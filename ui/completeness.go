package ui

import (
	"danvan/internal/domain"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerScreen(screenDef{ID: "completeness", Order: 80, TitleKey: "nav.completeness", Icon: theme.IconNameConfirm, Collector: true,
		New: func(a *App) screen { return newCompletenessScreen(a) }})
}

// matrixKinds are the period kinds the matrix offers, in order.
var matrixKinds = []domain.PeriodKind{domain.PeriodMonth, domain.PeriodQuarter, domain.PeriodHalf, domain.PeriodNine, domain.PeriodYear}

// completenessScreen (Tình hình báo cáo) is the matrix of units × periods
// of one kind in one year: not received, draft or closed, on time or late.
// Opening a cell shows that unit's tally for the period.
type completenessScreen struct {
	a *App
	m store.Completeness

	kind    *widget.Select
	year    *keyEntry
	showB   *widget.Button
	summary *widget.Label
	table   *widget.Table
	loaded  bool
}

func newCompletenessScreen(a *App) *completenessScreen { return &completenessScreen{a: a} }

func kindLabel(k domain.PeriodKind) string { return i18n.T("collector.kind." + string(k)) }

func (s *completenessScreen) content() fyne.CanvasObject {
	var labels []string
	for _, k := range matrixKinds {
		labels = append(labels, kindLabel(k))
	}
	s.kind = widget.NewSelect(labels, func(string) { s.load() })
	s.year = newKeyEntry(false)
	s.year.OnSubmitted = func(string) { s.load() }
	s.showB = widget.NewButtonWithIcon(i18n.T("collector.matrix.show"), theme.ViewRefreshIcon(), s.load)
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	legend := widget.NewLabel(i18n.T("collector.matrix.legend", i18n.Args{"Days": s.a.Settings.DueWorkingDays}))
	legend.Wrapping = fyne.TextWrapWord
	s.table = widget.NewTableWithHeaders(
		func() (int, int) {
			if len(s.m.Rows) == 0 {
				return 0, 0
			}
			return len(s.m.Rows), len(s.m.Periods)
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(s.m.Rows) || id.Col >= len(s.m.Periods) {
				l.SetText("")
				return
			}
			cell := s.m.Rows[id.Row].Cells[id.Col]
			l.SetText(cellText(cell))
			l.Importance = cellImportance(cell)
			l.Refresh()
		})
	s.table.CreateHeader = newHeaderCell
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch {
		case id.Row < 0 && id.Col >= 0 && id.Col < len(s.m.Periods):
			p := s.m.Periods[id.Col]
			l.SetText(i18n.T("collector.period."+string(p.Kind), i18n.Args{"N": p.N}))
		case id.Col < 0 && id.Row >= 0 && id.Row < len(s.m.Rows):
			r := s.m.Rows[id.Row]
			if r.Via != "" {
				l.SetText(r.Via + " › " + r.Office.Code + " — " + r.Office.Name)
			} else {
				l.SetText(r.Office.Code + " — " + r.Office.Name)
			}
		default:
			l.SetText("")
		}
	}
	s.table.SetColumnWidth(-1, 220)
	s.table.OnSelected = s.onOpen
	remind := widget.NewButtonWithIcon(i18n.T("unreported.button"), theme.MailComposeIcon(), func() { showUnreported(s.a, s.m) })
	bar := container.NewHBox(widget.NewLabel(i18n.T("collector.matrix.kind")), s.kind,
		widget.NewLabel(i18n.T("collector.matrix.year")), container.NewGridWrap(fyne.NewSize(90, s.year.MinSize().Height), s.year), s.showB, remind)
	return container.NewBorder(container.NewVBox(bar, s.summary, legend), nil, nil, nil, s.table)
}

// onShow opens on the latest year and kind the units report in, the first
// time; later it keeps the person's choice and reloads.
func (s *completenessScreen) onShow() {
	if s.loaded {
		s.load()
		return
	}
	var year int
	var kind domain.PeriodKind
	s.a.Background(func() error {
		var err error
		year, kind, err = s.a.St.UnitsLatest(s.a.Ctx())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.loaded = true
		s.year.SetText(strconv.Itoa(year))
		s.kind.SetSelected(kindLabel(kind)) // loads
	})
}

func (s *completenessScreen) selectedKind() domain.PeriodKind {
	for _, k := range matrixKinds {
		if kindLabel(k) == s.kind.Selected {
			return k
		}
	}
	return domain.PeriodMonth
}

// load builds the matrix off the UI goroutine.
func (s *completenessScreen) load() {
	if s.kind == nil || s.kind.Selected == "" {
		return
	}
	y, err := strconv.Atoi(strings.TrimSpace(s.year.Text))
	if err != nil {
		s.a.ShowError(&store.CollectorError{Code: "collector.bad_matrix", Args: map[string]any{"Year": s.year.Text}})
		return
	}
	kind := s.selectedKind()
	var m store.Completeness
	s.showB.Disable()
	s.summary.SetText(i18n.T("common.loading"))
	s.a.Background(func() error {
		var err error
		m, err = s.a.St.Completeness(s.a.Ctx(), kind, y)
		return err
	}, func(err error) {
		s.showB.Enable()
		if err != nil {
			s.summary.SetText("")
			s.a.ShowError(err)
			return
		}
		s.m = m
		for c := range m.Periods {
			s.table.SetColumnWidth(c, 160)
		}
		s.summary.SetText(completenessLine(m) + viaLines(m))
		s.table.UnselectAll()
		s.table.Refresh()
	})
}

// completenessLine is the matrix's counts in one sentence.
func completenessLine(m store.Completeness) string {
	if len(m.Rows) == 0 {
		return i18n.T("collector.offices.none")
	}
	return i18n.T("collector.matrix.summary", i18n.Args{"Units": len(m.Rows), "Expected": vn.FormatInt(int64(m.Expected)),
		"Received": vn.FormatInt(int64(m.Received)), "Closed": vn.FormatInt(int64(m.Closed)),
		"Rate": vn.FormatPercent(m.Rate()), "OnTime": vn.FormatInt(int64(m.OnTime)), "Arrived": vn.FormatInt(int64(m.Arrived))})
}

// cellText is a matrix cell in words.
func cellText(c store.CompletenessCell) string {
	code, overdue := c.Mark()
	if overdue {
		code += "_overdue"
	}
	return i18n.T("collector.cell." + code)
}

func cellImportance(c store.CompletenessCell) widget.Importance {
	switch {
	case c.State == store.CellMerged:
		return widget.LowImportance
	case c.State == store.CellClosed && c.Timely == store.OnTime:
		return widget.SuccessImportance
	case c.Timely == store.Late && c.State != store.CellClosed:
		return widget.DangerImportance
	case c.Timely == store.Late || c.State == store.CellDraft:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// onOpen shows the unit's tally of the period the cell stands for.
func (s *completenessScreen) onOpen(id widget.TableCellID) {
	defer s.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.m.Rows) || id.Col < 0 || id.Col >= len(s.m.Periods) {
		return
	}
	showUnitTally(s.a, s.m.Rows[id.Row].Office, s.m.Periods[id.Col])
}

// viaLines is each province's share, at an office its units' reports reach
// through provinces (the centre); "" elsewhere.
func viaLines(m store.Completeness) string {
	by := m.ByVia()
	if len(by) == 0 || len(by) == 1 && by[0].Via == "" {
		return ""
	}
	var b strings.Builder
	for _, v := range by {
		via := v.Via
		if via == "" {
			via = i18n.T("collector.via_direct")
		}
		b.WriteString("\n" + i18n.T("collector.cli.via_summary", i18n.Args{"Via": via, "Units": v.Units, "Expected": vn.FormatInt(int64(v.Expected)),
			"Closed": vn.FormatInt(int64(v.Closed)), "Missing": vn.FormatInt(int64(v.Missing))}))
	}
	return b.String()
}
