package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/ui/i18n"
)

// The shell lists every page from the first day; a page that is not built
// yet says so plainly instead of being missing. A real page registered
// under the same ID replaces its placeholder.
func init() {
	for _, p := range []struct {
		id        string
		order     int
		icon      fyne.ThemeIconName
		collector bool
	}{
		{"models", 20, theme.IconNameList, false},
		{"tallies", 30, theme.IconNameGrid, false},
		{"reports", 40, theme.IconNameDocumentPrint, false},
		{"exchange", 50, theme.IconNameMailSend, false},
		{"offices", 60, theme.IconNameAccount, true},
		{"inbox", 70, theme.IconNameDownload, true},
		{"completeness", 80, theme.IconNameConfirm, true},
	} {
		p := p
		registerScreen(screenDef{
			ID: p.id, Order: p.order, TitleKey: "nav." + p.id, Icon: p.icon, Collector: p.collector,
			New:         func(a *App) screen { return placeholderScreen{titleKey: "nav." + p.id} },
			placeholder: true,
		})
	}
}

type placeholderScreen struct{ titleKey string }

func (p placeholderScreen) content() fyne.CanvasObject {
	msg := widget.NewLabel(i18n.T("common.coming", i18n.Args{"What": i18n.T(p.titleKey)}))
	msg.Wrapping = fyne.TextWrapWord
	msg.Alignment = fyne.TextAlignCenter
	return container.NewCenter(container.NewVBox(widget.NewIcon(theme.InfoIcon()), msg))
}
