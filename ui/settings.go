package ui

import (
	"danvan/internal/domain"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
)

func init() {
	registerScreen(screenDef{ID: "settings", Order: 90, TitleKey: "nav.settings", Icon: theme.IconNameSettings,
		New: func(a *App) screen { return newSettingsScreen(a) }})
	registerSettingsSection(10, "settings.office", func(a *App) fyne.CanvasObject { return newOfficeSettings(a).content() })
}

// settingsScreen (Cài đặt) stacks the sections every feature registers.
type settingsScreen struct{ a *App }

func newSettingsScreen(a *App) *settingsScreen { return &settingsScreen{a: a} }

func (s *settingsScreen) content() fyne.CanvasObject {
	items := make([]*widget.AccordionItem, 0, len(settingsSections))
	for _, sec := range settingsSections {
		items = append(items, widget.NewAccordionItem(i18n.T(sec.titleKey), sec.build(s.a)))
	}
	acc := widget.NewAccordion(items...)
	acc.MultiOpen = true
	if len(items) > 0 {
		acc.Open(0)
	}
	return container.NewVScroll(acc)
}

// officeSettings edits the office's settings: collecting office, print
// header, signer, language, cut-off day and due days.
type officeSettings struct {
	a                                                  *App
	collector, parent, place, authority, title, signer *keyEntry
	cutoff, due                                        *keyEntry
	recipients                                         *keyEntry // the report's "Nơi nhận", one a line
	periods                                            *widget.CheckGroup
	url                                                *keyEntry // the collecting office's address (communes)
	language                                           *widget.Select
	personal                                           *enumSelect[domain.Personal]
	rows                                               fieldRows
	saveB                                              *widget.Button
}

func newOfficeSettings(a *App) *officeSettings { return &officeSettings{a: a, rows: fieldRows{}} }

func (o *officeSettings) content() fyne.CanvasObject {
	st := o.a.Settings
	entry := func(v string) *keyEntry { e := newKeyEntry(false); e.SetText(v); return e }
	o.collector = entry(st.CollectorName)
	o.parent = entry(st.ParentBody)
	o.place = entry(st.PlaceName)
	o.authority = entry(st.SignerAuthority)
	o.authority.SetPlaceHolder(i18n.T("settings.signer_authority.hint"))
	o.title = entry(st.SignerTitle)
	o.title.SetPlaceHolder(i18n.T("settings.signer_title.hint"))
	o.signer = entry(st.SignerName)
	o.url = entry(st.CollectorURL)
	o.url.SetPlaceHolder(i18n.T("field.collector_url.hint"))
	o.cutoff = entry(strconv.Itoa(st.CutoffDay))
	o.due = entry(strconv.Itoa(st.DueWorkingDays))
	o.recipients = newKeyEntry(true)
	o.recipients.SetText(st.Recipients)
	o.recipients.SetPlaceHolder(i18n.T("settings.recipients.hint"))
	o.recipients.SetMinRowsVisible(3)
	var kindNames []string
	for _, k := range domain.ReportKinds {
		kindNames = append(kindNames, i18n.T("tally.kind."+string(k)))
	}
	o.periods = widget.NewCheckGroup(kindNames, nil)
	o.periods.Horizontal = true
	for _, k := range st.Periods() {
		o.periods.Selected = append(o.periods.Selected, i18n.T("tally.kind."+string(k)))
	}
	names := make([]string, len(domain.Languages))
	for i, l := range domain.Languages {
		names[i] = i18n.T("language." + l)
	}
	o.language = widget.NewSelect(names, nil)
	o.language.SetSelectedIndex(max(0, slices.Index(domain.Languages, st.Language)))
	o.personal = newPersonalSelect(st.ListPersonal(o.a.Self.Role))
	personalHint := widget.NewLabel(i18n.T("settings.personal.hint"))
	personalHint.Wrapping = fyne.TextWrapWord
	personalHint.Importance = widget.LowImportance
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("field.office_name"), widget.NewLabel(o.a.Self.Name+" ("+o.a.Self.Code+")")),
		o.rows.add("collector_name", o.collector).formItem(),
		o.rows.add("parent_body", o.parent).formItem(),
		o.rows.add("place_name", o.place).formItem(),
		o.rows.add("signer_authority", o.authority).formItem(),
		o.rows.add("signer_title", o.title).formItem(),
		o.rows.add("signer_name", o.signer).formItem(),
		o.rows.add("recipients", o.recipients).formItem(),
		o.rows.add("cutoff_day", o.cutoff).formItem(),
		o.rows.add("due_working_days", o.due).formItem(),
		o.rows.add("report_periods", o.periods).formItem(),
		o.rows.add("language", o.language).formItem(),
		o.rows.add("personal_in_lists", container.NewVBox(o.personal, personalHint)).formItem(),
	)
	if o.a.Self.Role != domain.RoleCollector {
		form.Items = append(form.Items[:2], append([]*widget.FormItem{o.rows.add("collector_url", o.url).formItem()}, form.Items[2:]...)...)
	}
	o.saveB = widget.NewButtonWithIcon(i18n.T("common.save"), theme.DocumentSaveIcon(), o.onSave)
	o.saveB.Importance = widget.HighImportance
	return container.NewVBox(form, container.NewHBox(o.saveB))
}

func (o *officeSettings) onSave() {
	st := o.a.Settings
	st.CollectorName = o.collector.Text
	st.ParentBody = o.parent.Text
	st.PlaceName = o.place.Text
	st.SignerAuthority = o.authority.Text
	st.SignerTitle = o.title.Text
	st.SignerName = o.signer.Text
	st.Recipients = o.recipients.Text
	var kinds []domain.PeriodKind
	for _, k := range domain.ReportKinds {
		if slices.Contains(o.periods.Selected, i18n.T("tally.kind."+string(k))) {
			kinds = append(kinds, k)
		}
	}
	st.ReportPeriods = domain.JoinReportPeriods(kinds)
	st.CollectorURL = o.url.Text
	st.Language = domain.Languages[max(0, o.language.SelectedIndex())]
	st.PersonalInLists = o.personal.value()
	o.rows.clear()
	bad := false
	for _, f := range []struct {
		key string
		in  *keyEntry
		out *int
	}{{"cutoff_day", o.cutoff, &st.CutoffDay}, {"due_working_days", o.due, &st.DueWorkingDays}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.in.Text))
		if err != nil {
			o.rows[f.key].setError(i18n.T("err.not_number"))
			bad = true
			continue
		}
		*f.out = n
	}
	if bad {
		return
	}
	langChanged := st.Language != o.a.Settings.Language
	o.saveB.Disable()
	o.a.Background(func() error {
		return o.a.St.SaveSettings(o.a.ctx, o.a.Actor, st)
	}, func(err error) {
		o.saveB.Enable()
		if err != nil {
			if rest, handled := o.rows.show(err); !handled || len(rest) > 0 {
				o.a.ShowError(err)
			}
			return
		}
		if err := o.a.ReloadSettings(); err != nil {
			o.a.ShowError(err)
			return
		}
		if langChanged {
			// Rebuild every page in the new language and come back here.
			o.a.start("")
			o.a.Navigate("settings")
			return
		}
		o.a.inform(i18n.T("nav.settings"), i18n.T("common.saved"))
	})
}
