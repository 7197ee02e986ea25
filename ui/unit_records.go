package ui

import (
	"danvan/internal/domain"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

// unitRecords is the read-only look into one unit's records that the
// collecting office holds: its models and its dossier tallies by period.
// Nothing here can change them; only the unit itself edits its records.
type unitRecords struct {
	a      *App
	office domain.Office

	models  []domain.Model
	periods []store.Period
	pt      store.PeriodTallies

	modelList *widget.List
	periodSel *widget.Select
	tally     *widget.Table
	state     *widget.Label
}

// showUnitRecords opens the unit's records in a dialog.
func showUnitRecords(a *App, o domain.Office) {
	u := &unitRecords{a: a, office: o}
	d := dialog.NewCustom(i18n.T("collector.records.title", i18n.Args{"Name": o.Name, "Code": o.Code}), i18n.T("common.close"), u.content(), a.Win)
	d.Resize(fyne.NewSize(1000, 620))
	a.show(d)
	u.load()
}

// showUnitTally opens one unit's tally of one period.
func showUnitTally(a *App, o domain.Office, spec domain.PeriodSpec) {
	u := &unitRecords{a: a, office: o}
	body := u.tallyView()
	u.periodSel.Hide()
	d := dialog.NewCustom(i18n.T("collector.records.tally_title", i18n.Args{"Name": o.Name, "Period": strings.ToLower(periodLabel(spec))}), i18n.T("common.close"), body, a.Win)
	d.Resize(fyne.NewSize(1000, 520))
	a.show(d)
	u.loadTally(spec)
}

func (u *unitRecords) content() fyne.CanvasObject {
	u.modelList = widget.NewList(func() int { return len(u.models) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			m := u.models[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%d · %s · %s · %s", m.Year, m.Name,
				i18n.T("models.field."+string(m.Field)), i18n.T("models.status."+string(m.Status))))
		})
	return container.NewAppTabs(
		container.NewTabItem(i18n.T("collector.records.models"), u.modelList),
		container.NewTabItem(i18n.T("collector.records.tallies"), u.tallyView()),
	)
}

func (u *unitRecords) tallyView() fyne.CanvasObject {
	u.state = widget.NewLabel("")
	u.state.Wrapping = fyne.TextWrapWord
	u.periodSel = widget.NewSelect(nil, func(string) {
		if i := u.periodSel.SelectedIndex(); i >= 0 && i < len(u.periods) {
			u.loadTally(u.periods[i].PeriodSpec)
		}
	})
	u.tally = widget.NewTableWithHeaders(
		func() (int, int) { return len(u.pt.Fields), domain.LastCol - domain.FirstCol + 1 },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(u.tallyCell(id.Row, id.Col+domain.FirstCol))
		})
	u.tally.CreateHeader = newHeaderCell
	u.tally.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch {
		case id.Row < 0 && id.Col >= 0:
			l.SetText("(" + strconv.Itoa(id.Col+domain.FirstCol) + ")")
		case id.Col < 0 && id.Row >= 0 && id.Row < len(u.pt.Fields):
			l.SetText(u.pt.Fields[id.Row].Name)
		default:
			l.SetText("")
		}
	}
	u.tally.SetColumnWidth(-1, 230)
	for c := 0; c <= domain.LastCol-domain.FirstCol; c++ {
		u.tally.SetColumnWidth(c, 62)
	}
	return container.NewBorder(container.NewVBox(u.periodSel, u.state), nil, nil, nil, u.tally)
}

func (u *unitRecords) tallyCell(row, col int) string {
	if row < 0 || row >= len(u.pt.Fields) {
		return ""
	}
	t, ok := u.pt.Rows[u.pt.Fields[row].ID]
	if !ok {
		return ""
	}
	v, ok := t.Counts.Effective().Get(col)
	if !ok {
		return "·"
	}
	return vn.FormatInt(v)
}

func (u *unitRecords) load() {
	var models []domain.Model
	var periods []store.Period
	u.a.Background(func() error {
		var err error
		if models, err = u.a.St.SearchModels(u.a.Ctx(), store.ModelFilter{Owner: u.office.ID}); err != nil {
			return err
		}
		periods, err = u.a.St.Periods(u.a.Ctx(), u.office.ID)
		return err
	}, func(err error) {
		if err != nil {
			u.a.ShowError(err)
			return
		}
		u.models, u.periods = models, periods
		u.modelList.Refresh()
		var names []string // in words, in the order of u.periods
		for _, p := range periods {
			names = append(names, periodLabel(p.PeriodSpec))
		}
		u.periodSel.Options = names
		if len(names) > 0 {
			u.periodSel.SetSelectedIndex(0)
		} else {
			u.state.SetText(i18n.T("collector.records.no_periods"))
		}
	})
}

func (u *unitRecords) loadTally(spec domain.PeriodSpec) {
	var pt store.PeriodTallies
	u.a.Background(func() error {
		var err error
		pt, err = u.a.St.PeriodTallies(u.a.Ctx(), u.office.ID, spec)
		return err
	}, func(err error) {
		if err != nil {
			u.a.ShowError(err)
			return
		}
		u.pt = pt
		switch {
		case !pt.Stored:
			u.state.SetText(i18n.T("collector.records.not_received", i18n.Args{"Period": strings.ToLower(periodLabel(spec))}))
		case pt.Closed():
			u.state.SetText(i18n.T("collector.records.closed", i18n.Args{"Period": strings.ToLower(periodLabel(spec)), "Date": vn.FormatDateTime(pt.Period.ClosedAt)}))
		default:
			u.state.SetText(i18n.T("collector.records.draft", i18n.Args{"Period": strings.ToLower(periodLabel(spec))}))
		}
		u.tally.Refresh()
	})
}
