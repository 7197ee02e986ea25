package ui

import (
	"danvan/internal/domain"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerDashboardCard(20, newTallyCard)
}

// newTallyCard shows the current month's state on Tổng quan, and the month
// before while it is not closed: its due date and any problems.
func newTallyCard(a *App) fyne.CanvasObject {
	body := widget.NewLabel(i18n.T("common.loading"))
	body.Wrapping = fyne.TextWrapWord
	problems := widget.NewLabel("")
	problems.Wrapping = fyne.TextWrapWord
	problems.Importance = widget.DangerImportance
	problems.Hide()
	open := widget.NewButtonWithIcon(i18n.T("tally.card.open"), theme.GridIcon(), func() { a.Navigate("tallies") })
	// The periods whose reports are owed (monthly unless the collecting
	// office's settings say otherwise): each one's previous and current.
	var specs []domain.PeriodSpec
	for _, k := range a.Settings.Periods() {
		cur := domain.PeriodOf(k, time.Now(), a.Settings.CutoffDay)
		specs = append(specs, cur.Previous(a.Settings.CutoffDay), cur)
	}
	var forms []store.PeriodTallies
	a.Background(func() error {
		for _, p := range specs {
			pt, err := a.St.PeriodTallies(a.Ctx(), "", p)
			if err != nil {
				return err
			}
			forms = append(forms, pt)
		}
		return nil
	}, func(err error) {
		if err != nil {
			body.SetText(i18n.Err(err))
			return
		}
		lines, probs := tallyCardLines(forms, a.Settings.DueWorkingDays)
		body.SetText(strings.Join(lines, "\n"))
		if len(probs) > 0 {
			problems.SetText(strings.Join(probs, "\n"))
			problems.Show()
		}
	})
	return widget.NewCard(i18n.T("tally.card.title"), "", container.NewVBox(body, problems, open))
}

// tallyCardLines writes one line per period (the previous one only while
// it is still open) and the problems of their rows. forms come in pairs,
// the previous period then the current one, for each kind owed.
func tallyCardLines(forms []store.PeriodTallies, dueDays int) (lines, probs []string) {
	for i, pt := range forms {
		if i%2 == 0 && pt.Closed() {
			continue
		}
		args := i18n.Args{"Label": periodLabel(pt.Spec), "Due": vn.FormatDate(pt.Spec.Due(dueDays)), "Rows": len(pt.Rows)}
		drafts := 0
		for _, r := range pt.Rows {
			if !r.Final {
				drafts++
			}
		}
		args["Drafts"] = drafts
		switch {
		case pt.Closed():
			lines = append(lines, i18n.T("tally.card.closed", args))
		case len(pt.Rows) == 0:
			lines = append(lines, i18n.T("tally.card.empty", args))
		default:
			lines = append(lines, i18n.T("tally.card.open_state", args))
		}
		for _, f := range pt.Fields {
			for _, p := range pt.Problems[f.ID] {
				probs = append(probs, i18n.T("tally.card.problem", i18n.Args{"Label": periodLabel(pt.Spec), "Field": f.Name, "Problem": i18n.Err(p)}))
			}
		}
	}
	return lines, probs
}
