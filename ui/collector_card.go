package ui

import (
	"danvan/internal/domain"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerDashboardCard(40, newCollectorCard)
}

// newCollectorCard shows a collecting office its units' totals for the
// latest year they report in, and how complete their reports are. It also
// makes files dropped on the window go to Hộp thư đến from any page.
func newCollectorCard(a *App) fyne.CanvasObject {
	if a.Self.Role != domain.RoleCollector {
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
	value := func() *widget.Label {
		l := widget.NewLabel(i18n.T("common.loading"))
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	models, received, onTime, reports := value(), value(), value(), value()
	rows := container.New(layout.NewFormLayout(),
		widget.NewLabel(i18n.T("collector.card.models")), models,
		widget.NewLabel(i18n.T("collector.card.received")), received,
		widget.NewLabel(i18n.T("collector.card.on_time")), onTime,
		widget.NewLabel(i18n.T("collector.card.reports")), reports)
	open := widget.NewButton(i18n.T("collector.card.open"), func() { a.Navigate("completeness") })
	card := widget.NewCard(i18n.T("collector.card.title"), i18n.T("common.loading"), container.NewVBox(rows, open))
	var year int
	var kind domain.PeriodKind
	var mr store.ModelsRollup
	var tr store.TallyRollup
	var cm store.Completeness
	cutoff := a.Settings.CutoffDay // read here: Cài đặt may change the settings while the work runs
	a.Background(func() error {
		ctx := a.Ctx()
		var err error
		if year, kind, err = a.St.UnitsLatest(ctx); err != nil {
			return err
		}
		if mr, err = a.St.RollupModels(ctx, year, 0); err != nil {
			return err
		}
		if tr, err = a.St.RollupTallies(ctx, domain.YearPeriod(year, cutoff)); err != nil {
			return err
		}
		cm, err = a.St.Completeness(ctx, kind, year)
		return err
	}, func(err error) {
		if err != nil {
			card.SetSubTitle(i18n.Err(err))
			return
		}
		card.SetSubTitle(i18n.T("collector.card.head", i18n.Args{"Year": year, "Units": len(cm.Rows)}))
		models.SetText(vn.FormatInt(int64(mr.Total)))
		received.SetText(tallyCardReceived(tr))
		onTime.SetText(tallyCardOnTime(tr))
		reports.SetText(i18n.T("collector.card.reports_value", i18n.Args{"Kind": strings.ToLower(kindLabel(kind)), "Closed": vn.FormatInt(int64(cm.Closed)),
			"Arrived":  vn.FormatInt(int64(cm.Arrived)),
			"Expected": vn.FormatInt(int64(cm.Expected)), "Rate": vn.FormatPercent(cm.Rate())}))
	})
	return card
}

// tallyCardReceived is "received / processed" of the year over every
// unit, or "chưa có số liệu".
func tallyCardReceived(r store.TallyRollup) string {
	if r.NoData {
		return i18n.T("collector.card.no_data")
	}
	return i18n.T("collector.card.received_value", i18n.Args{"Received": countText(r.Total, domain.ColReceived), "Processed": countText(r.Total, domain.ColProcessed)})
}

func tallyCardOnTime(r store.TallyRollup) string {
	if r.NoData {
		return "—"
	}
	return i18n.T("collector.card.on_time_value", i18n.Args{"Rate": vn.FormatPercent(r.Rates.OnTime), "InProgress": countText(r.Total, domain.ColInProgress)})
}

func countText(c domain.Counts, col int) string {
	if v, ok := c.Effective().Get(col); ok {
		return vn.FormatInt(v)
	}
	return "—"
}
