package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
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
	return widget.NewCard(i18n.T("dashboard.office"), "", lines)
}
