package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"danvan/ui/i18n"
)

// newOpeningView is what the window shows while the data folder opens.
func newOpeningView() fyne.CanvasObject {
	bar := widget.NewProgressBarInfinite()
	label := widget.NewLabelWithStyle(i18n.T("app.opening"), fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 80), container.NewVBox(label, bar)))
}
