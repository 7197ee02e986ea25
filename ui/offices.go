package ui

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

func init() {
	registerScreen(screenDef{ID: "offices", Order: 60, TitleKey: "nav.offices", Icon: theme.IconNameAccount, Collector: true,
		New: func(a *App) screen { return newOfficesScreen(a) }})
}

// officesScreen (Đơn vị) lists the units enrolled here: their key, the
// state of their batch chain, their parent and merger. From it the clerk
// enrolls a unit from its enrollment file, marks a unit merged into
// another, and looks into one unit's records, read-only.
type officesScreen struct {
	a *App

	list     []store.OfficeOverview
	selected int // -1 when none

	table    *widget.Table
	summary  *widget.Label
	enrollB  *widget.Button
	mergeB   *widget.Button
	unmergeB *widget.Button
	viewB    *widget.Button
}

func newOfficesScreen(a *App) *officesScreen { return &officesScreen{a: a, selected: -1} }

// officeCols are the table's columns: title key and width.
var officeCols = []tableCol{
	{"collector.col.code", 50}, {"collector.col.unit", 150}, {"collector.col.kind", 70}, {"collector.col.fingerprint", 165},
	{"collector.col.last_seq", 55}, {"collector.col.arrived", 130}, {"collector.col.missing", 90}, {"collector.col.parent", 230},
}

func (s *officesScreen) content() fyne.CanvasObject {
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	s.enrollB = widget.NewButtonWithIcon(i18n.T("collector.offices.enroll"), theme.ContentAddIcon(), s.onEnroll)
	s.enrollB.Importance = widget.HighImportance
	s.mergeB = widget.NewButtonWithIcon(i18n.T("collector.offices.merge"), theme.MoveUpIcon(), s.onMerge)
	s.unmergeB = widget.NewButtonWithIcon(i18n.T("collector.offices.unmerge"), theme.ContentUndoIcon(), s.onUnmerge)
	s.viewB = widget.NewButtonWithIcon(i18n.T("collector.offices.view"), theme.SearchIcon(), s.onView)
	s.table = newTextTable(officeCols, func() int { return len(s.list) }, s.cell)
	s.table.OnSelected = func(id widget.TableCellID) {
		s.selected = id.Row
		s.updateButtons()
	}
	s.updateButtons()
	bar := container.NewHBox(s.enrollB, s.mergeB, s.unmergeB, s.viewB)
	return container.NewBorder(container.NewVBox(bar, s.summary), nil, nil, nil, s.table)
}

func (s *officesScreen) onShow() { s.refresh() }

// cell is the text of one cell: row r of the list, column c.
func (s *officesScreen) cell(r, c int) string {
	if r < 0 || r >= len(s.list) {
		return ""
	}
	o := s.list[r]
	switch c {
	case 0:
		return o.Code
	case 1:
		return o.Name
	case 2:
		return i18n.T("kind." + string(o.Kind))
	case 3:
		return dsync.Fingerprint(o.KeyID)
	case 4:
		if o.LastSeq == 0 {
			return "—"
		}
		return vn.FormatInt(o.LastSeq)
	case 5:
		if o.LastArrived.IsZero() {
			return i18n.T("collector.offices.never")
		}
		return vn.FormatDateTime(o.LastArrived.Local())
	case 6:
		if len(o.Missing) == 0 {
			return ""
		}
		return store.SeqRanges(o.Missing)
	case 7:
		if o.Merger != nil {
			return i18n.T("collector.offices.merged_into", i18n.Args{"Into": o.MergedInto, "Date": vn.FormatDate(o.Merger.From)})
		}
		return o.Parent
	}
	return ""
}

func (s *officesScreen) current() (store.OfficeOverview, bool) {
	if s.selected < 0 || s.selected >= len(s.list) {
		return store.OfficeOverview{}, false
	}
	return s.list[s.selected], true
}

func (s *officesScreen) updateButtons() {
	o, ok := s.current()
	for _, b := range []*widget.Button{s.mergeB, s.viewB} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if ok && o.Merger != nil {
		s.unmergeB.Enable()
	} else {
		s.unmergeB.Disable()
	}
}

// refresh reloads the list off the UI goroutine.
func (s *officesScreen) refresh() {
	var list []store.OfficeOverview
	s.a.Background(func() error {
		var err error
		list, err = s.a.St.OfficesOverview(s.a.Ctx())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.list = list
		s.selected = -1
		s.table.UnselectAll()
		gaps, merged := 0, 0
		for _, o := range list {
			if len(o.Missing) > 0 {
				gaps++
			}
			if o.Merger != nil {
				merged++
			}
		}
		if len(list) == 0 {
			s.summary.SetText(i18n.T("collector.offices.none"))
		} else {
			s.summary.SetText(i18n.T("collector.offices.summary", i18n.Args{"Count": vn.FormatInt(int64(len(list))), "Gaps": gaps, "Merged": merged}))
		}
		s.table.Refresh()
		s.updateButtons()
	})
}

// onEnroll reads an enrollment file, shows who it is from and the key's
// fingerprint to compare on the phone, and enrolls on confirmation.
func (s *officesScreen) onEnroll() {
	s.a.pickFile([]string{".zip"}, func(path string) {
		data, err := readFileLimited(path, 1<<20)
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.confirmEnroll(filepath.Base(path), data)
	})
}

func (s *officesScreen) confirmEnroll(name string, data []byte) {
	e, err := dsync.ReadEnrollment(name, data)
	if err != nil {
		s.a.ShowError(err)
		return
	}
	fp := dsync.Fingerprint(e.Current().KeyID)
	// A keyEntry, so Esc in it closes the dialog; its placeholder is a
	// pattern, not the fingerprint itself, which read as already filled in.
	typed := newKeyEntry(false)
	typed.SetPlaceHolder(i18n.T("collector.offices.enroll_type_hint"))
	msg := widget.NewLabel(i18n.T("collector.offices.enroll_confirm", i18n.Args{"Name": e.Office.Name, "Code": e.Office.Code, "Fingerprint": fp}))
	msg.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(msg, widget.NewLabel(i18n.T("collector.offices.enroll_type")), typed)
	dlg := dialog.NewCustomConfirm(i18n.T("collector.offices.enroll"), i18n.T("collector.offices.enroll_do"), i18n.T("common.cancel"), body, func(ok bool) {
		if !ok {
			return
		}
		given := strings.TrimSpace(typed.Text)
		var res store.EnrollResult
		s.a.Background(func() error {
			var err error
			_, res, err = dsync.Enroll(s.a.Ctx(), s.a.St, s.a.Actor, name, data, given)
			return err
		}, func(err error) {
			if err != nil {
				s.a.ShowError(err)
				return
			}
			key := "collector.offices.enrolled"
			if !res.New {
				key = "collector.offices.reenrolled"
			}
			s.a.inform(i18n.T("collector.offices.enroll"), i18n.T(key, i18n.Args{"Name": res.Office.Name, "Code": res.Office.Code}))
			s.refresh()
		})
	}, s.a.Win)
	dlg.Resize(fyne.NewSize(560, 300))
	s.a.show(dlg)
}

// onMerge asks which unit the selected one joined and from which day.
func (s *officesScreen) onMerge() {
	o, ok := s.current()
	if !ok {
		return
	}
	var names []string
	ids := map[string]string{}
	for _, other := range s.list {
		if other.ID == o.ID {
			continue
		}
		label := other.Code + " — " + other.Name
		names = append(names, label)
		ids[label] = other.ID
	}
	into := widget.NewSelect(names, nil)
	into.PlaceHolder = i18n.T("collector.offices.merge_pick_hint")
	from := newKeyEntry(false)
	from.SetPlaceHolder(i18n.T("collector.offices.date_hint"))
	form := []*widget.FormItem{
		widget.NewFormItem(i18n.T("collector.offices.merge_into"), into),
		widget.NewFormItem(i18n.T("field.merge_from"), from),
	}
	dlg := dialog.NewForm(i18n.T("collector.offices.merge_title", i18n.Args{"Name": o.Name}), i18n.T("collector.offices.merge_do"), i18n.T("common.cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		if into.Selected == "" {
			s.a.ShowError(&store.CollectorError{Code: "collector.merge_pick"})
			return
		}
		day, err := vn.ParseDate(strings.TrimSpace(from.Text))
		if err != nil {
			s.a.ShowError(&store.CollectorError{Code: "collector.bad_date", Args: map[string]any{"Given": from.Text}})
			return
		}
		target := ids[into.Selected]
		s.a.Background(func() error {
			return s.a.St.MergeOffice(s.a.Ctx(), s.a.Actor, o.ID, target, day)
		}, func(err error) {
			if err != nil {
				s.a.ShowError(err)
				return
			}
			s.refresh()
		})
	}, s.a.Win)
	dlg.Resize(fyne.NewSize(520, 240))
	s.a.show(dlg)
}

func (s *officesScreen) onUnmerge() {
	o, ok := s.current()
	if !ok || o.Merger == nil {
		return
	}
	s.a.confirm(i18n.T("collector.offices.unmerge"), i18n.T("collector.offices.unmerge_confirm", i18n.Args{"Name": o.Name, "Into": o.MergedInto}), func(yes bool) {
		if !yes {
			return
		}
		s.a.Background(func() error { return s.a.St.UnmergeOffice(s.a.Ctx(), s.a.Actor, o.ID) }, func(err error) {
			if err != nil {
				s.a.ShowError(err)
				return
			}
			s.refresh()
		})
	})
}

// onView opens the selected unit's records, read-only.
func (s *officesScreen) onView() {
	o, ok := s.current()
	if !ok {
		return
	}
	showUnitRecords(s.a, o.Office)
}
