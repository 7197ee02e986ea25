package ui

import (
	"danvan/internal/domain"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
)

// keyEntry is an entry that hands the screen's shortcuts (Ctrl+S, Ctrl+N,
// Ctrl+F) and Esc to the screen. A plain Entry keeps every shortcut for
// itself while it has the focus, so the form's keys would only work when no
// field is focused, which is never while typing.
type keyEntry struct {
	widget.Entry
	onShortcut func(fyne.Shortcut) bool // true when it handled the shortcut
	onEscape   func()
	onFocus    func() // e.g. scroll the form so the field is in sight
}

func (e *keyEntry) FocusGained() {
	e.Entry.FocusGained()
	if e.onFocus != nil {
		e.onFocus()
	}
}

func newKeyEntry(multiLine bool) *keyEntry {
	e := &keyEntry{}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
	} else {
		e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewEntry: long text scrolls, the field does not grow
	}
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab is false even for a multi-line field: Tab moves to the next
// field, as the form's hint says; a tab character has no place in a
// model's description, and an officer entering by keyboard must not be
// stopped at the first multi-line field.
func (e *keyEntry) AcceptsTab() bool { return false }

// newSecretEntry is a password field that hands the window its shortcuts.
func newSecretEntry() *keyEntry {
	e := &keyEntry{}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut runs the screen's shortcut, or the entry's own (copy,
// paste, select all …), or else the window's: Fyne gives a focused entry
// every shortcut and drops those it does not know, so without this
// Ctrl+Q and Ctrl+1…9 did nothing while the cursor was in any field.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	if cs, ok := s.(*desktop.CustomShortcut); ok {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(interface{ TypedShortcut(fyne.Shortcut) }); ok {
			c.TypedShortcut(cs)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if e.onEscape != nil {
			e.onEscape()
			return
		}
		// No Esc of its own: close the dialog it is in, like the window
		// does when no field has the focus.
		if passEscape(e, k) {
			return
		}
	}
	e.Entry.TypedKey(k)
}

// passEscape gives Esc, typed in a focused widget that has no use for it,
// to the window, which closes the newest dialog or pop-up: Fyne gives a
// focused widget every key, and a drop-down or a check box drops Esc.
func passEscape(o fyne.CanvasObject, k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape {
		return false
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil && c.OnTypedKey() != nil {
		c.OnTypedKey()(k)
		return true
	}
	return false
}

// escSelect is a drop-down that lets Esc close the dialog it is in.
type escSelect struct{ widget.Select }

func newEscSelect(options []string, changed func(string)) *escSelect {
	s := &escSelect{}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if !passEscape(s, k) {
		s.Select.TypedKey(k)
	}
}

// scrollIntoView scrolls sc, if needed, so that o is wholly in sight.
func scrollIntoView(sc *container.Scroll, o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc).Y + sc.Offset.Y
	bottom := top + o.Size().Height
	view := sc.Size().Height
	switch {
	case top < sc.Offset.Y:
		sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, max(0, top-8)))
	case bottom > sc.Offset.Y+view:
		sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, bottom-view+8))
	}
}

// enumSelect is a drop-down over an enumerated store value, showing each
// value's translation (prefix + code) and, optionally, "all" first. It
// embeds the Select by value and extends it, so the canvas finds the
// widget that is in the layout: a pop-up opened by a tap needs that canvas,
// and Refresh must redraw the renderer on screen.
type enumSelect[T ~string] struct {
	widget.Select
	codes []T
	all   bool
}

func newEnumSelect[T ~string](prefix string, codes []T, all bool, changed func()) *enumSelect[T] {
	var opts []string
	if all {
		opts = append(opts, i18n.T("common.all"))
	}
	for _, c := range codes {
		opts = append(opts, i18n.T(prefix+string(c)))
	}
	e := &enumSelect[T]{codes: codes, all: all}
	e.Options = opts
	e.OnChanged = func(string) {
		if changed != nil {
			changed()
		}
	}
	e.PlaceHolder = i18n.T("models.choose")
	e.ExtendBaseWidget(e)
	if all {
		e.Select.SetSelectedIndex(0)
	}
	return e
}

// TypedKey lets Esc close the dialog the drop-down is in.
func (e *enumSelect[T]) TypedKey(k *fyne.KeyEvent) {
	if !passEscape(e, k) {
		e.Select.TypedKey(k)
	}
}

// selectWidget is the drop-down itself, for tests that drive it.
func (e *enumSelect[T]) selectWidget() *widget.Select { return &e.Select }

// value is the chosen code, or "" for "all" or nothing chosen.
func (e *enumSelect[T]) value() T {
	i := e.SelectedIndex()
	if e.all {
		i--
	}
	if i < 0 || i >= len(e.codes) {
		return ""
	}
	return e.codes[i]
}

// set chooses v; "" clears the choice (or picks "all").
func (e *enumSelect[T]) set(v T) {
	for i, c := range e.codes {
		if c == v {
			if e.all {
				i++
			}
			e.SetSelectedIndex(i)
			return
		}
	}
	if e.all {
		e.SetSelectedIndex(0)
	} else {
		e.ClearSelected()
	}
}

// newPersonalSelect chooses how much of the responsible persons' personal
// data a list that leaves the office carries (domain.Personal), starting
// at def.
func newPersonalSelect(def domain.Personal) *enumSelect[domain.Personal] {
	e := newEnumSelect("personal.", domain.Personals, false, nil)
	e.set(def)
	return e
}
