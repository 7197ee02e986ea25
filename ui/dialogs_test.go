package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Esc answers "no" to a question and closes a message, as on Windows; in a
// dialog's own field too.
func TestEscClosesDialogs(t *testing.T) {
	a := newTestApp(t)
	a.installEscape()
	esc := func() { a.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) }

	answer := "none"
	a.confirm("Chốt", "Chốt số liệu kỳ này?", func(ok bool) {
		if ok {
			answer = "yes"
		} else {
			answer = "no"
		}
	})
	a.inform("Đã lưu", "Đã lưu.")
	if got := len(a.dialogs); got != 2 {
		t.Fatalf("%d dialogs open, want 2", got)
	}
	esc()
	if got := len(a.dialogs); got != 1 || answer != "none" {
		t.Fatalf("after one Esc: %d open, answer %s; want the message closed first", got, answer)
	}
	esc()
	if len(a.dialogs) != 0 || answer != "no" {
		t.Fatalf("after two Esc: %d open, answer %s; want none open and no", len(a.dialogs), answer)
	}
	if a.Win.Canvas().Overlays().Top() != nil {
		t.Fatal("a dialog is still drawn")
	}

	e := newKeyEntry(false)
	a.Win.SetContent(e)
	a.inform("Đã lưu", "Đã lưu.")
	test.Type(e, "x")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(a.dialogs) != 0 {
		t.Fatal("Esc in a field did not close the dialog")
	}
}

// Tab leaves a multi-line field for the next one instead of typing a tab.
func TestTabLeavesMultiLineField(t *testing.T) {
	if newKeyEntry(true).AcceptsTab() {
		t.Fatal("a multi-line field keeps Tab")
	}
}

// Closing the window with typed, unsaved tally figures asks first; "no"
// keeps the window and the figures.
func TestQuitAsksWhenFiguresAreUnsaved(t *testing.T) {
	a := newTestApp(t)
	a.installEscape()
	a.shell = newShell(a)
	a.Win.SetContent(a.shell.content())
	a.Navigate("tallies")
	ts := a.shell.built["tallies"].(*talliesScreen)
	ts.dirty = true
	a.quit()
	if len(a.dialogs) != 1 {
		t.Fatal("quitting with unsaved figures asked nothing")
	}
	a.escape()
	if !ts.dirty || len(a.dialogs) != 0 {
		t.Fatal("answering no lost the figures or left the question open")
	}
}
