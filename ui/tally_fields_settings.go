package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
)

func init() {
	registerSettingsSection(20, "tally.settings.title", func(a *App) fyne.CanvasObject { return newTallyFieldSettings(a).content() })
}

// tallyFieldSettings edits the TTHC fields (lĩnh vực) of Biểu 06: rename,
// stop using, add. Fields are never deleted, so past periods keep adding up.
type tallyFieldSettings struct {
	a       *App
	list    *fyne.Container
	newName *keyEntry
	addB    *widget.Button
	names   map[string]*keyEntry
	uses    map[string]*widget.Check
}

func newTallyFieldSettings(a *App) *tallyFieldSettings {
	return &tallyFieldSettings{a: a, names: map[string]*keyEntry{}, uses: map[string]*widget.Check{}}
}

func (t *tallyFieldSettings) content() fyne.CanvasObject {
	t.list = container.NewVBox()
	t.newName = newKeyEntry(false)
	t.newName.SetPlaceHolder(i18n.T("tally.settings.new_hint"))
	t.addB = widget.NewButtonWithIcon(i18n.T("tally.settings.add"), theme.ContentAddIcon(), t.onAdd)
	t.newName.OnSubmitted = func(string) { t.onAdd() }
	intro := widget.NewLabel(i18n.T("tally.settings.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.reload()
	return container.NewVBox(intro, t.list, container.NewBorder(nil, nil, nil, t.addB, t.newName))
}

func (t *tallyFieldSettings) reload() {
	var fields []store.TallyField
	t.a.Background(func() error {
		var err error
		fields, err = t.a.St.TallyFields(t.a.Ctx(), "")
		return err
	}, func(err error) {
		if err != nil {
			t.a.ShowError(err)
			return
		}
		t.show(fields)
	})
}

func (t *tallyFieldSettings) show(fields []store.TallyField) {
	var objs []fyne.CanvasObject
	for _, f := range fields {
		f := f
		name := newKeyEntry(false)
		name.SetText(f.Name)
		rename := widget.NewButtonWithIcon(i18n.T("tally.settings.rename"), theme.DocumentSaveIcon(), func() { t.onRename(f.ID, name.Text) })
		name.OnSubmitted = func(string) { t.onRename(f.ID, name.Text) }
		use := widget.NewCheck(i18n.T("tally.settings.in_use"), nil)
		use.SetChecked(!f.Disabled)
		use.OnChanged = func(on bool) { t.onUse(f.ID, on) }
		t.names[f.ID], t.uses[f.ID] = name, use
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(use, rename), name))
	}
	t.list.Objects = objs
	t.list.Refresh()
}

// change runs a change of the list off the UI goroutine, then shows the
// list again.
func (t *tallyFieldSettings) change(work func() error) {
	t.a.Background(work, func(err error) {
		if err != nil {
			t.a.ShowError(err)
		}
		t.reload()
	})
}

func (t *tallyFieldSettings) onRename(id, name string) {
	t.change(func() error { return t.a.St.RenameTallyField(t.a.Ctx(), t.a.Actor, id, name) })
}

func (t *tallyFieldSettings) onUse(id string, on bool) {
	t.change(func() error { return t.a.St.SetTallyFieldDisabled(t.a.Ctx(), t.a.Actor, id, !on) })
}

func (t *tallyFieldSettings) onAdd() {
	name := t.newName.Text
	t.a.Background(func() error {
		_, err := t.a.St.AddTallyField(t.a.Ctx(), t.a.Actor, name)
		return err
	}, func(err error) {
		if err != nil {
			t.a.ShowError(err)
			return
		}
		t.newName.SetText("")
		t.reload()
	})
}
