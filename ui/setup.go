package ui

import (
	"danvan/internal/domain"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
)

// setupScreen is first-run set-up: the office, where reports go, the print
// header and the language. The store validates; problems appear under each
// field and nothing is stored until all are right.
type setupScreen struct {
	a    *App
	done func()

	name, code, collector, place, parent *keyEntry
	authority, title, signer             *keyEntry
	headUser, headName                   *keyEntry
	password, password2                  *keyEntry
	passphrase, passphrase2              *keyEntry
	kind, language                       *widget.Select
	role                                 *widget.RadioGroup
	rows                                 fieldRows
	submit                               *widget.Button
	summary                              *widget.Label
	scroll                               *container.Scroll
	kinds                                []domain.OfficeKind
}

func newSetupScreen(a *App, done func()) *setupScreen {
	return &setupScreen{a: a, done: done, rows: fieldRows{}}
}

func (s *setupScreen) content() fyne.CanvasObject {
	s.name = newKeyEntry(false)
	s.name.SetPlaceHolder(i18n.T("field.office_name.hint"))
	s.code = newKeyEntry(false)
	s.code.SetPlaceHolder(i18n.T("field.office_code.hint"))
	s.collector = newKeyEntry(false)
	s.collector.SetPlaceHolder(i18n.T("field.collector_name.hint"))
	s.place = newKeyEntry(false)
	s.parent = newKeyEntry(false)
	// The signature block of every printed report: asked here so that the
	// first report is not printed without it.
	s.authority = newKeyEntry(false)
	s.authority.SetPlaceHolder(i18n.T("settings.signer_authority.hint"))
	s.title = newKeyEntry(false)
	s.title.SetPlaceHolder(i18n.T("settings.signer_title.hint"))
	s.signer = newKeyEntry(false)

	s.kinds = domain.OfficeKinds
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

	s.headUser = newKeyEntry(false)
	s.headUser.SetPlaceHolder(i18n.T("setup.head_user.hint"))
	s.headName = newKeyEntry(false)
	s.password = newSecretEntry()
	s.password2 = newSecretEntry()
	s.passphrase = newSecretEntry()
	s.passphrase2 = newSecretEntry()

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
		s.rows.add("signer_authority", s.authority).formItem(),
		s.rows.add("signer_title", s.title).formItem(),
		s.rows.add("signer_name", s.signer).formItem(),
		s.rows.add("language", s.language).formItem(),
	)
	head := widget.NewForm(
		s.rows.add("username", s.headUser).formItem(),
		s.rows.add("full_name", s.headName).formItem(),
		s.rows.add("password", s.password).formItem(),
		s.rows.add("password_again", s.password2).formItem(),
	)
	keyIntro := widget.NewLabel(i18n.T("setup.key_intro"))
	keyIntro.Wrapping = fyne.TextWrapWord
	key := container.NewVBox(keyIntro, widget.NewForm(
		s.rows.add("passphrase", s.passphrase).formItem(),
		s.rows.add("passphrase_again", s.passphrase2).formItem(),
	))
	// Enter in any field starts, as the button does.
	for _, e := range []*keyEntry{s.name, s.code, s.collector, s.place, s.parent, s.authority, s.title, s.signer,
		s.headUser, s.headName, s.password, s.password2, s.passphrase, s.passphrase2} {
		e.OnSubmitted = func(string) {
			if !s.submit.Disabled() {
				s.onSubmit()
			}
		}
	}
	s.submit = widget.NewButton(i18n.T("setup.submit"), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	intro := widget.NewLabel(i18n.T("setup.intro"))
	intro.Wrapping = fyne.TextWrapWord

	title := widget.NewLabelWithStyle(i18n.T("setup.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	s.summary = widget.NewLabel("")
	s.summary.Importance = widget.DangerImportance
	s.summary.Wrapping = fyne.TextWrapWord
	s.summary.Hide()
	page := container.NewVBox(
		title, intro, s.summary,
		widget.NewCard(i18n.T("setup.section_office"), "", office),
		widget.NewCard(i18n.T("setup.section_collector"), "", collector),
		widget.NewCard(i18n.T("setup.section_print"), "", print),
		widget.NewCard(i18n.T("setup.section_head"), "", head),
		widget.NewCard(i18n.T("setup.section_key"), "", key),
		container.NewHBox(s.submit),
	)
	s.scroll = container.NewVScroll(container.NewPadded(container.New(maxWidth{720}, page)))
	return s.scroll
}

func (s *setupScreen) input() store.SetupInput {
	set := domain.DefaultSettings()
	set.CollectorName = s.collector.Text
	set.PlaceName = s.place.Text
	set.ParentBody = s.parent.Text
	set.SignerAuthority = s.authority.Text
	set.SignerTitle = s.title.Text
	set.SignerName = s.signer.Text
	set.Language = domain.Languages[max(0, s.language.SelectedIndex())]
	role := domain.RoleCommune
	if s.role.Selected == i18n.T("role.collector") {
		role = domain.RoleCollector
	}
	kind := domain.OfficeKind("")
	if i := s.kind.SelectedIndex(); i >= 0 {
		kind = s.kinds[i]
	}
	return store.SetupInput{
		Office:   domain.Office{Name: s.name.Text, Code: s.code.Text, Kind: kind, Role: role},
		Settings: set,
		Head:     &store.NewUser{Username: s.headUser.Text, FullName: s.headName.Text, Password: s.password.Text},
	}
}

// checkRepeats compares the typed-twice secrets; the store never sees the
// second copy, so this check lives here.
func (s *setupScreen) checkRepeats() bool {
	ok := true
	if s.password.Text != s.password2.Text {
		s.rows["password_again"].setError(i18n.T("err.password_mismatch"))
		ok = false
	}
	switch {
	case len([]rune(s.passphrase.Text)) < dsync.MinPassphrase:
		s.rows["passphrase"].setError(i18n.T("err.batch.passphrase_short", i18n.Args{"Min": dsync.MinPassphrase}))
		ok = false
	case s.passphrase.Text != s.passphrase2.Text:
		s.rows["passphrase_again"].setError(i18n.T("err.password_mismatch"))
		ok = false
	}
	return ok
}

// showSummary says at the top how many fields need correcting, and
// scrolls to the first of them: the button is at the bottom of a long
// page, and the first problem may be far above it.
func (s *setupScreen) showSummary() {
	n := s.rows.count()
	if n == 0 {
		s.summary.Hide()
		return
	}
	s.summary.SetText(i18n.T("form.problems", i18n.Args{"Count": n}))
	s.summary.Show()
	if r := s.rows.first(); r != nil && s.scroll != nil {
		d := fyne.CurrentApp().Driver()
		y := d.AbsolutePositionForObject(r.box).Y - d.AbsolutePositionForObject(s.scroll).Y + s.scroll.Offset.Y
		s.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-40)))
	}
}

func (s *setupScreen) onSubmit() {
	in := s.input()
	// Show every problem at once: the store's rules and the typed-twice
	// secrets, before anything slow starts.
	verr := in.Validate()
	rest, _ := s.rows.show(verr)
	repeatsOK := s.checkRepeats()
	if verr != nil || !repeatsOK {
		s.showSummary()
		if len(rest) > 0 {
			s.a.inform(i18n.T("common.error_title"), strings.Join(rest, "\n"))
		}
		return
	}
	passphrase := s.passphrase.Text
	s.submit.Disable()
	s.submit.SetText(i18n.T("setup.working"))
	// Key generation is deliberately slow (scrypt), so it runs off the UI
	// goroutine, followed by the store's set-up in one transaction.
	s.a.Background(func() error {
		km, err := dsync.GenerateKey(nil, passphrase)
		if err != nil {
			return err
		}
		in.Key = &km
		_, err = s.a.St.Setup(s.a.ctx, in)
		return err
	}, func(err error) {
		s.submit.Enable()
		s.submit.SetText(i18n.T("setup.submit"))
		if err != nil {
			if rest, handled := s.rows.show(err); !handled || len(rest) > 0 {
				s.a.ShowError(err)
			}
			return
		}
		s.done()
	})
}
