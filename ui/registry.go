package ui

import (
	"sort"

	"fyne.io/fyne/v2"
)

// screen is one page of the shell. Optional extras: onShow() runs each time
// the page is shown, so it can reload its data.
type screen interface {
	content() fyne.CanvasObject
}

type shower interface{ onShow() }

// screenDef describes a page for the navigation list.
type screenDef struct {
	ID        string
	Order     int
	TitleKey  string
	Icon      fyne.ThemeIconName // resolved when the shell is built, not at init
	Collector bool               // only for an office whose role is collector
	New       func(a *App) screen
}

var screenDefs = map[string]screenDef{}

// registerScreen adds a page.
func registerScreen(d screenDef) {
	if _, ok := screenDefs[d.ID]; ok {
		panic("ui: screen registered twice: " + d.ID)
	}
	screenDefs[d.ID] = d
}

func orderedScreens(collector bool) []screenDef {
	var out []screenDef
	for _, d := range screenDefs {
		if d.Collector && !collector {
			continue
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

type cardDef struct {
	order int
	build func(a *App) fyne.CanvasObject
}

var dashboardCards []cardDef

// registerDashboardCard adds a card to Tổng quan. Each feature adds its own
// from its own file, so the dashboard never needs to know them.
func registerDashboardCard(order int, build func(a *App) fyne.CanvasObject) {
	dashboardCards = append(dashboardCards, cardDef{order, build})
	sort.SliceStable(dashboardCards, func(i, j int) bool { return dashboardCards[i].order < dashboardCards[j].order })
}

type sectionDef struct {
	order    int
	titleKey string
	build    func(a *App) fyne.CanvasObject
}

var settingsSections []sectionDef

// registerSettingsSection adds a section to Cài đặt.
func registerSettingsSection(order int, titleKey string, build func(a *App) fyne.CanvasObject) {
	settingsSections = append(settingsSections, sectionDef{order, titleKey, build})
	sort.SliceStable(settingsSections, func(i, j int) bool { return settingsSections[i].order < settingsSections[j].order })
}
