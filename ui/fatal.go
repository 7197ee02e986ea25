package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
)

// newFatalView says why the data folder cannot be used and offers to close.
// The file is never touched from here.
func newFatalView(a *App, err error) fyne.CanvasObject {
	msg := widget.NewLabel(i18n.Err(err))
	msg.Wrapping = fyne.TextWrapWord
	msg.Alignment = fyne.TextAlignCenter
	closeB := widget.NewButtonWithIcon(i18n.T("common.close"), theme.CancelIcon(), a.Fyne.Quit)
	closeB.Importance = widget.HighImportance
	box := container.NewVBox(
		widget.NewIcon(theme.ErrorIcon()),
		widget.NewLabelWithStyle(i18n.T("common.error_title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		msg,
		container.NewCenter(closeB),
	)
	return container.NewPadded(container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 260), box)))
}
