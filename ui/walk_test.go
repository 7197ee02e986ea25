package ui

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
)

// The smallest screen danvan is used on: many commune PCs are 1024×768.
var smallScreen = fyne.NewSize(1024, 768)

// TestEveryScreenUnderTheMouse drives every page of both roles, in both
// languages, at 1024×768 as an officer would: it opens every drop-down and
// picks each option with the keyboard, types into every entry, taps every
// button, check box and radio option, selects the first row of every table
// and list, and closes every dialog that opens with Esc. It fails on a
// panic, on a drop-down that does not show what was picked, on a dialog
// that Esc does not close, and on a page or dialog that needs more than
// 1024×768.
func TestEveryScreenUnderTheMouse(t *testing.T) {
	if testing.Short() {
		t.Skip("drives every screen")
	}
	for _, role := range []domain.OfficeRole{domain.RoleCommune, domain.RoleCollector} {
		for _, lang := range []string{"vi", "en"} {
			t.Run(string(role)+"/"+lang, func(t *testing.T) {
				var a *App
				if role == domain.RoleCollector {
					a = newCollectorApp(t, demoCopy(t))
				} else {
					a = newTestApp(t)
					seedWalk(t, a)
				}
				if err := i18n.Use(lang); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { i18n.Use("vi") })
				a.installEscape()
				a.Win.Resize(smallScreen)
				a.shell = newShell(a)
				a.Win.SetContent(a.shell.content())
				for _, d := range a.shell.defs {
					w := &walker{t: t, a: a, page: d.ID, done: map[string]bool{}}
					a.Navigate(d.ID)
					w.fits("opened")
					w.walk()
					t.Logf("%s: used %d controls", d.ID, len(w.done))
				}
			})
		}
	}
}

// seedWalk gives the commune a few models in every state and a month of
// tallies, so that the detail pane's buttons and the grid are there.
func seedWalk(t *testing.T, a *App) {
	t.Helper()
	header := []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColPerson, domain.ColContent, domain.ColLocation}
	var rows [][]string
	for i, f := range []string{"Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"} {
		rows = append(rows, []string{"Mô hình", fmt.Sprintf("Mô hình %s số %d", f, i+1), f, "2025", "UBND", "Lò Văn Thắng", "Nội dung", "bản Huổi Sứa"})
	}
	if _, err := a.St.ImportModels(context.Background(), a.Actor, header, rows, nil, store.ModelImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

type walker struct {
	t      *testing.T
	a      *App
	page   string
	done   map[string]bool // controls used, by what they are and where
	taps   int
	fails  int
	tooBig bool // reported once a page
	keep   int  // overlays settle leaves open: the dialog being walked
}

// visible lists the objects on screen: the window's content and the top
// overlay, skipping hidden subtrees and the navigation list (tapping it
// changes page, which the test does itself).
func (w *walker) visible(root fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if w.a.shell != nil && o == fyne.CanvasObject(w.a.shell.nav) {
			return
		}
		out = append(out, o)
		w.extendsItself(o)
		switch o.(type) {
		case *widget.Table, *widget.List, *widget.Select, *widget.Entry, *widget.Button:
			return // their insides are theirs: cells come and go as they scroll
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				visit(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				visit(c)
			}
		}
	}
	visit(root)
	return out
}

// extendsItself fails for a widget of ours that is not its own base
// widget: one that embeds a Fyne widget by pointer, or by value without
// calling ExtendBaseWidget. Fyne then cannot find the canvas of what is on
// screen (a drop-down's list crashed the window) and Refresh redraws a
// renderer nobody shows. Fyne's test driver hands every object the one
// canvas, so the crash itself cannot happen here; this is its cause.
func (w *walker) extendsItself(o fyne.CanvasObject) {
	w.t.Helper()
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().PkgPath() != "danvan/ui" {
		return
	}
	base := v.Elem().FieldByName("BaseWidget")
	if !base.IsValid() {
		return
	}
	impl := base.FieldByName("impl")
	if !impl.IsValid() || impl.IsNil() || impl.Elem().Pointer() != v.Pointer() {
		w.fail("page %s: %T is on screen but is not its own widget (embed the Fyne widget by value and call ExtendBaseWidget)", w.page, o)
	}
}

// fits fails when the window's content, or the dialog on top, needs more
// than the small screen.
func (w *walker) fits(after string) {
	w.t.Helper()
	if min := w.a.Win.Content().MinSize(); (min.Width > smallScreen.Width || min.Height > smallScreen.Height) && !w.tooBig {
		w.tooBig = true
		w.fail("page %s needs %.0f×%.0f after %s", w.page, min.Width, min.Height, after)
	}
	if top := w.a.Win.Canvas().Overlays().Top(); top != nil {
		if min := top.MinSize(); min.Width > smallScreen.Width || min.Height > smallScreen.Height {
			w.fail("a dialog on page %s needs %.0f×%.0f after %s", w.page, min.Width, min.Height, after)
		}
	}
}

func (w *walker) fail(format string, args ...any) {
	w.t.Helper()
	w.fails++
	if w.fails <= 20 {
		w.t.Errorf(format, args...)
	}
}

// settle closes the dialogs and pop-ups opened since the walk entered
// the current dialog, with Esc as a person would, and brings the page back
// if a button left it.
func (w *walker) settle(after string) {
	w.t.Helper()
	w.fits(after)
	c := w.a.Win.Canvas()
	for i := 0; len(c.Overlays().List()) > w.keep; i++ {
		if i == 10 || !w.a.escape() {
			w.fail("page %s: Esc does not close %T after %s", w.page, c.Overlays().Top(), after)
			for len(c.Overlays().List()) > w.keep {
				c.Overlays().Remove(c.Overlays().Top())
			}
			break
		}
	}
	if w.keep == 0 && w.a.shell.current != w.page {
		w.a.Navigate(w.page)
	}
}

func describe(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Button:
		return fmt.Sprintf("button %q", x.Text)
	case *widget.Check:
		return fmt.Sprintf("check %q", x.Text)
	case *widget.Entry:
		return fmt.Sprintf("entry %q", x.PlaceHolder)
	case *keyEntry:
		return fmt.Sprintf("entry %q", x.PlaceHolder)
	case *widget.Select:
		return fmt.Sprintf("select %q", x.Options)
	case selectHolder:
		return fmt.Sprintf("select %q", x.selectWidget().Options)
	}
	return reflect.TypeOf(o).String()
}

// walk interacts with each control of the page once, looking again after
// each one, since a tap may open a form with controls of its own.
func (w *walker) walk() {
	w.t.Helper()
	w.walkIn(w.a.Win.Content, w.done, 0)
}

// walkIn uses the controls under root until none is left unused. A
// control that opens a dialog has the dialog's controls used too (one
// level deep), before Esc closes it.
func (w *walker) walkIn(root func() fyne.CanvasObject, done map[string]bool, depth int) {
	w.t.Helper()
	for round := 0; round < 400; round++ {
		r := root()
		if r == nil {
			return
		}
		next, key := w.nextControl(r, done)
		if next == nil {
			return
		}
		done[key] = true
		w.use(next, depth)
		if depth > 0 && w.a.Win.Canvas().Overlays().Top() != r {
			return // the control closed the dialog
		}
	}
	w.fail("page %s: more than 400 controls", w.page)
}

// nextControl is the first control under root not used yet, and its key:
// its kind, its text and how many alike come before it. Pages rebuild
// their widgets when shown again, so a control is known by the key, not
// by its pointer.
func (w *walker) nextControl(root fyne.CanvasObject, done map[string]bool) (fyne.CanvasObject, string) {
	// Fields first, buttons last: a button may take the page elsewhere
	// (a form that stays open until it is saved), so what is on the page
	// now is used before any button is.
	seen := map[string]int{}
	var later []fyne.CanvasObject
	var laterKeys []string
	for _, o := range w.visible(root) {
		if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
			continue
		}
		button := false
		switch o.(type) {
		case *widget.Select, selectHolder, *widget.Entry, *keyEntry, *widget.Table, *widget.List, *widget.RadioGroup:
		case *widget.Button, *widget.Check:
			button = true
		default:
			continue
		}
		d := describe(o)
		key := fmt.Sprintf("%s#%d", d, seen[d])
		seen[d]++
		if done[key] {
			continue
		}
		if !button {
			return o, key
		}
		later, laterKeys = append(later, o), append(laterKeys, key)
	}
	if len(later) > 0 {
		return later[0], laterKeys[0]
	}
	return nil, ""
}

// selectHolder is a widget that extends widget.Select (enumSelect).
type selectHolder interface {
	fyne.Tappable
	selectWidget() *widget.Select
}

func (w *walker) use(o fyne.CanvasObject, depth int) {
	w.t.Helper()
	defer func() {
		if r := recover(); r != nil {
			w.fail("page %s: panic using %s: %v", w.page, describe(o), r)
			w.settle("a panic")
		}
	}()
	switch x := o.(type) {
	case *widget.Select:
		w.pickEach(x, x)
	case selectHolder:
		w.pickEach(x, x.selectWidget())
	case *widget.Entry:
		w.typeInto(x, &x.Text)
	case *keyEntry:
		w.typeInto(x, &x.Text)
	case *widget.Button:
		before := len(w.a.dialogs)
		test.Tap(x)
		w.taps++
		if depth == 0 && len(w.a.dialogs) > before {
			w.inDialog(describe(x))
		}
		w.settle(describe(x))
	case *widget.Check:
		test.Tap(x)
		w.settle(describe(x))
	case *widget.RadioGroup:
		for _, opt := range x.Options {
			x.SetSelected(opt)
			w.settle("radio " + opt)
		}
	case *widget.Table:
		if r, c := x.Length(); r > 0 && c > 0 {
			x.Select(widget.TableCellID{Row: 0, Col: 0})
			w.settle("a table row")
		}
	case *widget.List:
		if x.Length() > 0 {
			x.Select(0)
			w.settle("a list row")
		}
	}
}

// inDialog uses the controls of the dialog a button opened. A file
// dialog is only closed: its controls are Fyne's, and its buttons would
// write files where the test runs.
func (w *walker) inDialog(after string) {
	w.t.Helper()
	w.fits(after)
	if _, ok := w.a.dialogs[len(w.a.dialogs)-1].(*dialog.FileDialog); ok {
		return
	}
	top := w.a.Win.Canvas().Overlays().Top()
	w.keep = len(w.a.Win.Canvas().Overlays().List())
	w.walkIn(func() fyne.CanvasObject {
		if t := w.a.Win.Canvas().Overlays().Top(); t == top {
			return t
		}
		return nil
	}, map[string]bool{}, 1)
	w.keep = 0
}

// typeInto focuses an entry and types, as the keyboard would.
func (w *walker) typeInto(e fyne.Focusable, text *string) {
	w.t.Helper()
	if d, ok := e.(interface{ Disabled() bool }); ok && d.Disabled() {
		return
	}
	before := *text
	test.Type(e, "1")
	if *text == before {
		w.fail("page %s: typing into an entry changed nothing", w.page)
	}
	w.settle("typing")
}

// pickEach opens the drop-down by a tap, moves down to each option and
// picks it with Enter, then checks that the drop-down on screen shows it.
func (w *walker) pickEach(tap fyne.Tappable, sel *widget.Select) {
	w.t.Helper()
	c := w.a.Win.Canvas()
	n := len(sel.Options)
	for i := 0; i < n && i < 40; i++ {
		if sel.Disabled() || !tap.(fyne.CanvasObject).Visible() {
			return
		}
		opts := append([]string(nil), sel.Options...)
		if i >= len(opts) {
			return
		}
		test.Tap(tap)
		menu, ok := c.Focused().(*widget.PopUpMenu)
		if !ok {
			w.fail("page %s: tapping the drop-down %q opened no list", w.page, sel.Selected)
			w.settle("a drop-down")
			return
		}
		for k := 0; k <= i; k++ {
			menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		}
		menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		picked := opts[i]
		if sel.Selected == picked && !shows(tap.(fyne.CanvasObject), picked) {
			w.fail("page %s: the drop-down holds %q but shows something else", w.page, picked)
		}
		if sel.Selected != picked && c.Overlays().Top() == nil {
			w.fail("page %s: picked %q, the drop-down holds %q", w.page, picked, sel.Selected)
		}
		w.settle("picking " + picked)
	}
}

// shows reports whether the object as rendered on screen shows text (or
// its start, when it is cut short with an ellipsis).
func shows(o fyne.CanvasObject, text string) bool {
	for _, x := range test.LaidOutObjects(o) {
		if t, ok := x.(*canvas.Text); ok && t.Text != "" {
			if t.Text == text || strings.HasPrefix(text, strings.TrimSuffix(t.Text, "…")) {
				return true
			}
		}
	}
	return false
}
