package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
	"danvan/ui/i18n"
)

// setupScreen is first-run set-up: the office, where reports go, the print
// header and the language. The store validates; problems appear under each
// field and nothing is stored until all are right.
type setupScreen struct {
	a    *App
	done func()

	name, code, collector, place, parent *widget.Entry
	kind, language                       *widget.Select
	role                                 *widget.RadioGroup
	rows                                 fieldRows
	submit                               *widget.Button
	kinds                                []store.OfficeKind
}

func newSetupScreen(a *App, done func()) *setupScreen {
	return &setupScreen{a: a, done: done, rows: fieldRows{}}
}

func (s *setupScreen) content() fyne.CanvasObject {
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(i18n.T("field.office_name.hint"))
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder(i18n.T("field.office_code.hint"))
	s.collector = widget.NewEntry()
	s.collector.SetPlaceHolder(i18n.T("field.collector_name.hint"))
	s.place = widget.NewEntry()
	s.parent = widget.NewEntry()

	s.kinds = store.OfficeKinds
	kindLabels := make([]string, len(s.kinds))
	for i, k := range s.kinds {
		kindLabels[i] = i18n.T("kind." + string(k))
	}
	s.kind = widget.NewSelect(kindLabels, nil)
	s.kind.SetSelectedIndex(0)

	s.role = widget.NewRadioGroup([]string{i18n.T("role.commune"), i18n.T("role.collector")}, nil)
	s.role.Required = true
	s.role.SetSelected(i18n.T("role.commune"))

	s.language = widget.NewSelect([]string{i18n.T("language.vi"), i18n.T("language.en")}, nil)
	s.language.SetSelectedIndex(0)

	office := widget.NewForm(
		s.rows.add("office_name", s.name).formItem(),
		s.rows.add("office_code", s.code).formItem(),
		s.rows.add("office_kind", s.kind).formItem(),
		s.rows.add("office_role", s.role).formItem(),
	)
	collector := widget.NewForm(s.rows.add("collector_name", s.collector).formItem())
	print := widget.NewForm(
		s.rows.add("parent_body", s.parent).formItem(),
		s.rows.add("place_name", s.place).formItem(),
		s.rows.add("language", s.language).formItem(),
	)
	s.submit = widget.NewButton(i18n.T("setup.submit"), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	intro := widget.NewLabel(i18n.T("setup.intro"))
	intro.Wrapping = fyne.TextWrapWord

	title := widget.NewLabelWithStyle(i18n.T("setup.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	page := container.NewVBox(
		title, intro,
		widget.NewCard(i18n.T("setup.section_office"), "", office),
		widget.NewCard(i18n.T("setup.section_collector"), "", collector),
		widget.NewCard(i18n.T("setup.section_print"), "", print),
		container.NewHBox(s.submit),
	)
	return container.NewVScroll(container.NewPadded(container.NewCenter(container.NewGridWrap(fyne.NewSize(720, page.MinSize().Height), page))))
}

func (s *setupScreen) input() store.SetupInput {
	set := store.DefaultSettings()
	set.CollectorName = s.collector.Text
	set.PlaceName = s.place.Text
	set.ParentBody = s.parent.Text
	set.Language = store.Languages[max(0, s.language.SelectedIndex())]
	role := store.RoleCommune
	if s.role.Selected == i18n.T("role.collector") {
		role = store.RoleCollector
	}
	kind := store.OfficeKind("")
	if i := s.kind.SelectedIndex(); i >= 0 {
		kind = s.kinds[i]
	}
	return store.SetupInput{
		Office:   store.Office{Name: s.name.Text, Code: s.code.Text, Kind: kind, Role: role},
		Settings: set,
	}
}

func (s *setupScreen) onSubmit() {
	in := s.input()
	s.submit.Disable()
	s.a.Background(func() error {
		_, err := s.a.St.Setup(s.a.ctx, in)
		return err
	}, func(err error) {
		s.submit.Enable()
		if err != nil {
			rest, handled := s.rows.show(err)
			if !handled {
				s.a.ShowError(err)
			} else if len(rest) > 0 {
				dialog.ShowInformation(i18n.T("common.error_title"), strings.Join(rest, "\n"), s.a.Win)
			}
			return
		}
		s.done()
	})
}
