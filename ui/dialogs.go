package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// closable is what every Fyne dialog, the file dialogs included, offers.
type closable interface {
	Show()
	Hide()
	SetOnClosed(func())
}

// show shows a dialog and lets Esc close it, as Windows programs do. Every
// dialog of the window goes through here (or through confirm and inform),
// so the open ones are known: Esc hides the newest, which answers "no" to a
// question, exactly as its Cancel button would.
func (a *App) show(d closable) {
	a.dialogs = append(a.dialogs, d)
	d.SetOnClosed(func() {
		for i := len(a.dialogs) - 1; i >= 0; i-- {
			if a.dialogs[i] == d {
				a.dialogs = append(a.dialogs[:i], a.dialogs[i+1:]...)
				break
			}
		}
	})
	d.Show()
}

// confirm asks a yes/no question; Esc and the close button answer no.
func (a *App) confirm(title, msg string, answer func(bool)) {
	a.show(dialog.NewConfirm(title, msg, answer, a.Win))
}

// inform shows a message with one button to close it.
func (a *App) inform(title, msg string) {
	a.show(dialog.NewInformation(title, msg, a.Win))
}

// escape closes what is on top: the newest dialog, or else a pop-up (a
// drop-down list hides itself). It says whether it closed anything.
func (a *App) escape() bool {
	if m := a.menu; m != nil && m.Visible() {
		m.Dismiss()
		a.menu = nil
		return true
	}
	if m, ok := a.Win.Canvas().Overlays().Top().(*widget.PopUpMenu); ok {
		m.Dismiss() // a drop-down's list, over a dialog or the page
		return true
	}
	if n := len(a.dialogs); n > 0 {
		a.dialogs[n-1].Hide()
		return true
	}
	if top := a.Win.Canvas().Overlays().Top(); top != nil {
		if p, ok := top.(*widget.PopUp); ok {
			p.Hide()
			return true
		}
	}
	return false
}

// installEscape makes Esc close dialogs when no entry has the focus;
// keyEntry passes Esc on to the same handler when one does.
func (a *App) installEscape() {
	a.Win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			a.escape()
		}
	})
}

// fileDialogSize fits a 1024×768 screen with room for the window's frame,
// and shows many rows at once (Fyne's default shows three).
var fileDialogSize = fyne.NewSize(820, 560)

// fileFilter limits a file dialog to the named extensions, when any.
func fileFilter(d *dialog.FileDialog, exts []string) {
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(fileDialogSize)
}

// showMenu opens a button's menu under it, its right edge on the button's
// (such a button sits at the page's right side), and lets Esc close it.
func (a *App) showMenu(m *fyne.Menu, under fyne.CanvasObject) {
	pm := widget.NewPopUpMenu(m, a.Win.Canvas())
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(under)
	a.menu = pm
	pm.ShowAtPosition(fyne.NewPos(max(0, at.X+under.Size().Width-pm.MinSize().Width), at.Y+under.Size().Height))
}
