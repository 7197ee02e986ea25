package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/assets"
	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

// shell is the frame around every page: the navigation on the left, the
// page in the middle and the status line at the bottom.
type shell struct {
	a       *App
	defs    []screenDef
	built   map[string]screen
	views   map[string]fyne.CanvasObject
	nav     *widget.List
	title   *widget.Label
	body    *fyne.Container
	status  *statusBar
	current string
}

func newShell(a *App) *shell {
	s := &shell{
		a:     a,
		defs:  orderedScreens(a.Self.Role == "collector"),
		built: map[string]screen{},
		views: map[string]fyne.CanvasObject{},
	}
	return s
}

func (s *shell) content() fyne.CanvasObject {
	s.nav = widget.NewList(
		func() int { return len(s.defs) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("Mô hình Dân vận khéo"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Icon).SetResource(theme.Icon(s.defs[id].Icon))
			box.Objects[1].(*widget.Label).SetText(i18n.T(s.defs[id].TitleKey))
		})
	s.nav.OnSelected = func(id widget.ListItemID) { s.show(s.defs[id].ID) }

	logo := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(36, 36))
	appName := widget.NewLabelWithStyle(i18n.T("app.name"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	office := widget.NewLabel(s.a.Self.Name)
	office.Wrapping = fyne.TextWrapWord // the whole name: a commune's is long, and cut short it names nobody
	brand := container.NewBorder(nil, nil, logo, nil, container.NewVBox(appName, office))
	side := container.NewBorder(container.NewVBox(brand, widget.NewSeparator()), nil, nil, nil, s.nav)

	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.body = container.NewStack()
	s.status = newStatusBar(s.a)
	main := container.NewBorder(container.NewVBox(s.title, widget.NewSeparator()), nil, nil, nil, s.body)
	split := container.NewHSplit(side, container.NewPadded(main))
	split.SetOffset(0.2)
	s.addShortcuts()
	return container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), s.status.content()), nil, nil, split)
}

// navigate selects a page as if its entry was clicked.
func (s *shell) navigate(id string) {
	for i, d := range s.defs {
		if d.ID == id {
			s.nav.Select(i)
			return
		}
	}
}

func (s *shell) show(id string) {
	var def screenDef
	for _, d := range s.defs {
		if d.ID == id {
			def = d
		}
	}
	if def.New == nil {
		return
	}
	scr, ok := s.built[id]
	if !ok {
		scr = def.New(s.a)
		s.built[id] = scr
		s.views[id] = scr.content()
	}
	s.current = id
	s.title.SetText(i18n.T(def.TitleKey))
	s.body.Objects = []fyne.CanvasObject{s.views[id]}
	s.body.Refresh()
	if sh, ok := scr.(shower); ok {
		sh.onShow()
	}
}

// addShortcuts binds Ctrl+1…9 to the pages in order.
func (s *shell) addShortcuts() {
	c := s.a.Win.Canvas()
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	for i, d := range s.defs {
		if i >= len(keys) {
			break
		}
		id := d.ID
		c.AddShortcut(&desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { s.navigate(id) })
	}
}

// statusBar is the line at the bottom: office, user, unsent changes and the
// theme switch.
type statusBar struct {
	a      *App
	office *widget.Label
	user   *widget.Label
	unsent *widget.Label
	themeB *widget.Button
}

func newStatusBar(a *App) *statusBar {
	return &statusBar{
		a:      a,
		office: widget.NewLabel(""),
		user:   widget.NewLabel(""),
		unsent: widget.NewLabel(""),
	}
}

func (b *statusBar) content() fyne.CanvasObject {
	b.themeB = widget.NewButtonWithIcon("", theme.ColorPaletteIcon(), b.toggleTheme)
	b.setThemeLabel()
	b.office.SetText(i18n.T("status.office", i18n.Args{"Name": b.a.Self.Name, "Code": b.a.Self.Code}))
	// A long office name ("Ban Tuyên giáo và Dân vận Tỉnh ủy …") is cut
	// with "…" rather than widening the window past a 1024 px screen; the
	// sidebar shows it whole.
	b.office.Truncation = fyne.TextTruncateEllipsis
	right := container.NewHBox(widget.NewSeparator(), b.user, widget.NewSeparator(), b.unsent, widget.NewSeparator(), b.themeB)
	return container.NewBorder(nil, nil, nil, right, b.office)
}

func (b *statusBar) setThemeLabel() {
	if b.a.theme.dark {
		b.themeB.SetText(i18n.T("theme.light"))
	} else {
		b.themeB.SetText(i18n.T("theme.dark"))
	}
}

func (b *statusBar) toggleTheme() {
	dark := !b.a.theme.dark
	b.a.theme.setDark(dark)
	b.a.Fyne.Settings().SetTheme(b.a.theme)
	b.setThemeLabel()
	pref := "light"
	if dark {
		pref = "dark"
	}
	// Off the UI goroutine: the database may be held by an import for a
	// few seconds, and the window must not freeze meanwhile.
	b.a.Background(func() error {
		return b.a.St.SetPreference(b.a.ctx, "theme", pref)
	}, b.a.ShowError)
}

// refresh recounts the unsent changes off the UI goroutine.
func (b *statusBar) refresh() {
	b.user.SetText(i18n.T("status.user", i18n.Args{"Name": b.a.Actor.Name}))
	var n int
	var sent []store.SentBatch
	b.a.Background(func() (err error) {
		if sent, err = b.a.St.SentBatches(b.a.Ctx()); err != nil {
			return err
		}
		n, err = b.a.St.UnsentChanges(b.a.Ctx())
		return err
	}, func(err error) {
		if err != nil {
			b.a.ShowError(err)
			return
		}
		// Before the first batch every record is "unsent", the list of
		// TTHC fields a new office starts with too: a count then reads as
		// changes nobody made.
		if len(sent) == 0 {
			b.unsent.SetText(i18n.T("status.never_sent"))
			return
		}
		b.unsent.SetText(i18n.T("status.unsent", i18n.Args{"Count": vn.FormatInt(int64(n))}))
	})
}
