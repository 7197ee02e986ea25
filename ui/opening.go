package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
)

// newOpeningView is what the window shows while the data folder opens.
// stop must be called when the view is replaced: an infinite progress bar
// animates until it is stopped, hidden or its renderer is destroyed, and a
// replaced one would go on asking for a new frame of the whole window,
// about one core's worth of work for nothing.
func newOpeningView() (view fyne.CanvasObject, stop func()) {
	bar := widget.NewProgressBarInfinite()
	label := widget.NewLabelWithStyle(i18n.T("app.opening"), fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 80), container.NewVBox(label, bar))), bar.Stop
}
