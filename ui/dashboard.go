package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
)

func init() {
	registerScreen(screenDef{ID: "dashboard", Order: 10, TitleKey: "nav.dashboard", Icon: theme.IconNameHome,
		New: func(a *App) screen { return newDashboardScreen(a) }})
	registerDashboardCard(0, newOfficeCard)
}

// dashboardScreen (Tổng quan) shows the cards each feature registers. It
// rebuilds them each time it is shown, so the figures are current.
type dashboardScreen struct {
	a    *App
	grid *fyne.Container
}

func newDashboardScreen(a *App) *dashboardScreen { return &dashboardScreen{a: a} }

func (s *dashboardScreen) content() fyne.CanvasObject {
	s.grid = container.New(flowGrid{gap: theme.Padding()})
	return container.NewVScroll(container.NewVBox(s.grid))
}

func (s *dashboardScreen) onShow() {
	objs := make([]fyne.CanvasObject, 0, len(dashboardCards))
	for _, c := range dashboardCards {
		// A card that does not apply to this office (nil) takes no space.
		if o := c.build(s.a); o != nil {
			objs = append(objs, o)
		}
	}
	s.grid.Objects = objs
	s.grid.Refresh()
	s.a.RefreshStatus()
}

// newOfficeCard says who this installation is and where its reports go.
func newOfficeCard(a *App) fyne.CanvasObject {
	role := i18n.T("role." + string(a.Self.Role))
	lines := container.NewVBox(
		widget.NewLabelWithStyle(a.Self.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(i18n.T("field.office_code")+": "+a.Self.Code),
		widget.NewLabel(i18n.T("field.office_role")+": "+role),
		widget.NewLabel(i18n.T("field.collector_name")+": "+a.Settings.CollectorName),
	)
	for _, l := range lines.Objects {
		l.(*widget.Label).Wrapping = fyne.TextWrapWord
	}
	// With several collecting offices, each and what it receives.
	to := lines.Objects[3].(*widget.Label)
	var dests []store.Destination
	a.Background(func() (err error) {
		dests, err = a.St.Destinations(a.Ctx())
		return err
	}, func(err error) {
		if err != nil || len(dests) < 2 {
			return
		}
		var parts []string
		for _, d := range dests {
			parts = append(parts, d.Office.Code+" — "+d.Office.Name+" ("+i18n.DataKindNames(d.Kinds)+")")
		}
		to.SetText(i18n.T("dashboard.destinations") + ":\n" + strings.Join(parts, "\n"))
	})
	return widget.NewCard(i18n.T("dashboard.office"), "", lines)
}
