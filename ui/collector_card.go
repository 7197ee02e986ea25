package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
	"danvan/store/vn"
	"danvan/ui/i18n"
)

func init() {
	registerDashboardCard(40, newCollectorCard)
}

// newCollectorCard shows a collecting office its units' totals for the
// latest year they report in, and how complete their reports are. It also
// makes files dropped on the window go to Hộp thư đến from any page.
func newCollectorCard(a *App) fyne.CanvasObject {
	if a.Self.Role != store.RoleCollector {
		return nil
	}
	a.Win.SetOnDropped(func(pos fyne.Position, uris []fyne.URI) {
		a.Navigate("inbox")
		if a.shell != nil {
			if in, ok := a.shell.built["inbox"].(*inboxScreen); ok {
				in.onDropped(pos, uris)
			}
		}
	})
	wrap := func() *widget.Label {
		l := widget.NewLabel(i18n.T("common.loading"))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	head, models, tallies, reports := wrap(), wrap(), wrap(), wrap()
	head.TextStyle = fyne.TextStyle{Bold: true}
	open := widget.NewButton(i18n.T("collector.card.open"), func() { a.Navigate("completeness") })
	var year int
	var kind store.PeriodKind
	var mr store.ModelsRollup
	var tr store.TallyRollup
	var cm store.Completeness
	a.Background(func() error {
		ctx := a.Ctx()
		var err error
		if year, kind, err = a.St.UnitsLatest(ctx); err != nil {
			return err
		}
		if mr, err = a.St.RollupModels(ctx, year, 0); err != nil {
			return err
		}
		if tr, err = a.St.RollupTallies(ctx, store.YearPeriod(year, a.Settings.CutoffDay)); err != nil {
			return err
		}
		cm, err = a.St.Completeness(ctx, kind, year)
		return err
	}, func(err error) {
		if err != nil {
			head.SetText(i18n.Err(err))
			models.SetText("")
			tallies.SetText("")
			reports.SetText("")
			return
		}
		head.SetText(i18n.T("collector.card.head", i18n.Args{"Year": year, "Units": len(cm.Rows)}))
		var parts []string
		for _, f := range store.Fields {
			parts = append(parts, i18n.T("models.field."+string(f))+" "+vn.FormatInt(int64(mr.ByField[f])))
		}
		models.SetText(i18n.T("collector.card.models", i18n.Args{"Total": vn.FormatInt(int64(mr.Total)), "ByField": strings.Join(parts, "; ")}))
		tallies.SetText(tallyCardLine(tr))
		reports.SetText(i18n.T("collector.card.reports", i18n.Args{"Kind": strings.ToLower(kindLabel(kind)), "Closed": vn.FormatInt(int64(cm.Closed)),
			"Expected": vn.FormatInt(int64(cm.Expected)), "Rate": vn.FormatPercent(cm.Rate()), "OnTime": vn.FormatInt(int64(cm.OnTime))}))
	})
	return widget.NewCard(i18n.T("collector.card.title"), "", container.NewVBox(head, models, tallies, reports, open))
}

// tallyCardLine is the year's dossiers over every unit in one sentence.
func tallyCardLine(r store.TallyRollup) string {
	if r.NoData {
		return i18n.T("collector.card.tallies_none")
	}
	get := func(c int) string {
		if v, ok := r.Total.Effective().Get(c); ok {
			return vn.FormatInt(v)
		}
		return "—"
	}
	return i18n.T("collector.card.tallies", i18n.Args{"Received": get(store.ColReceived), "Processed": get(store.ColProcessed),
		"OnTime": vn.FormatPercent(r.Rates.OnTime), "InProgress": get(store.ColInProgress), "Failures": len(r.Failures)})
}
