package ui

import (
	"danvan/internal/domain"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store/vn"
)

// modelForm is the registration form, in sections that follow the ten
// parts of the registration (domain.md §1). A failed save keeps every typed
// value and puts each problem under its field.
type modelForm struct {
	s    *modelsScreen
	open bool
	m    domain.Model // what is being edited: ID and revision, and the life-cycle fields

	rows     fieldRows
	title    *widget.Label
	kind     *enumSelect[domain.ModelKind]
	field    *enumSelect[domain.Field]
	body     *enumSelect[domain.Body]
	text     map[string]*keyEntry // by field key: every entry of the form
	saveB    *widget.Button
	cancelB  *widget.Button
	view     fyne.CanvasObject
	scroller *container.Scroll
	draft    *formDraft // typed values kept while the form is open (draft_models.go)
}

func newModelForm(s *modelsScreen) *modelForm { return &modelForm{s: s} }

// The form's sections in page order, each with its fields (domain.ModelFields
// with EditForm; TestModelFormCoversTheDeclaration holds the two together).
var modelFormSections = []struct {
	titleKey string
	fields   []string
}{
	{"models.part1", []string{"model_name", "model_kind", "model_field", "model_year", "model_body", "model_body_other", "model_person_name", "model_person_title", "model_person_phone"}},
	{"models.part2", []string{"model_reason"}},
	{"models.part3", []string{"model_goals"}},
	{"models.part4", []string{"model_content", "model_tasks"}},
	{"models.part5", []string{"model_location", "model_target_group", "model_households", "model_people"}},
	{"models.part6", []string{"model_force_lead", "model_force_coord", "model_force_take_part"}},
	{"models.part7", []string{"model_budget", "model_workdays", "model_contributions"}},
	{"models.part8", []string{"model_start_date", "model_eval_date"}},
	{"models.part9", []string{"model_outputs"}},
	{"models.part10", []string{"model_sustainability", "model_note"}},
}

func (f *modelForm) content() fyne.CanvasObject {
	if f.view != nil {
		return f.view
	}
	f.rows = fieldRows{}
	f.text = map[string]*keyEntry{}
	f.kind = newEnumSelect("models.kind.", []domain.ModelKind{domain.KindModel, domain.KindExemplar}, false, nil)
	f.field = newEnumSelect("models.field.", domain.Fields, false, nil)
	f.body = newEnumSelect("models.body.", domain.Bodies, false, f.onBodyChanged)
	sections := container.NewVBox()
	for _, sec := range modelFormSections {
		form := widget.NewForm()
		for _, key := range sec.fields {
			var input fyne.CanvasObject
			switch key {
			case "model_kind":
				input = f.kind
			case "model_field":
				input = f.field
			case "model_body":
				input = f.body
			default:
				fd, _ := domain.ModelFieldByKey(key)
				e := newKeyEntry(fd.Type == domain.TypeLong)
				e.onShortcut = f.s.handleShortcut
				e.onEscape = f.onCancel
				e.onFocus = func() {
					if f.scroller != nil {
						scrollIntoView(f.scroller, e)
					}
				}
				if fd.Type == domain.TypeDate {
					e.SetPlaceHolder("dd/mm/yyyy")
				}
				f.text[key] = e
				input = e
			}
			form.AppendItem(f.rows.add(key, input).formItem())
		}
		head := widget.NewLabelWithStyle(i18n.T(sec.titleKey), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		sections.Add(head)
		sections.Add(form)
		sections.Add(widget.NewSeparator())
	}
	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.saveB = widget.NewButtonWithIcon(i18n.T("models.save"), theme.DocumentSaveIcon(), f.onSave)
	f.saveB.Importance = widget.HighImportance
	f.cancelB = widget.NewButtonWithIcon(i18n.T("models.cancel"), theme.CancelIcon(), f.onCancel)
	hint := widget.NewLabel(i18n.T("models.form_keys"))
	hint.Importance = widget.LowImportance
	f.scroller = container.NewVScroll(container.NewPadded(sections))
	f.view = container.NewBorder(container.NewHBox(f.title, hint), container.NewHBox(f.saveB, f.cancelB), nil, nil, f.scroller)
	return f.view
}

func (f *modelForm) onBodyChanged() {
	if f.rows == nil {
		return
	}
	if r := f.rows["model_body_other"]; r != nil {
		if f.body.value() == domain.BodyOther {
			r.input.(*keyEntry).Enable()
		} else {
			r.input.(*keyEntry).Disable()
		}
	}
}

// edit fills the form from m and shows it.
func (f *modelForm) edit(m domain.Model) {
	f.content()
	f.m = m
	f.open = true
	f.rows.clear()
	if m.ID == "" {
		f.title.SetText(i18n.T("models.new_title"))
	} else {
		f.title.SetText(i18n.T("models.edit_title", i18n.Args{"Name": m.Name}))
	}
	f.kind.set(m.Kind)
	f.field.set(m.Field)
	f.body.set(m.Body)
	for k, e := range f.text {
		e.SetText(formText(&m, k))
	}
	f.onBodyChanged()
	f.s.showForm()
	f.scroller.ScrollToTop()
	f.s.a.Win.Canvas().Focus(f.text["model_name"])
	f.draft.discard()
	f.draft = keepDraft(f.s.a, "model", m.ID, f.draftValues, f.applyDraft)
}

// read builds the model from the widgets, each read as the interchange
// file's import reads it (domain.ModelField.SetText): a number or a date that
// cannot be read is a problem of its own field, reported with the store's.
func (f *modelForm) read() (domain.Model, *domain.ValidationError) {
	m := f.m
	v := &domain.ValidationError{}
	m.Kind, m.Field, m.Body = f.kind.value(), f.field.value(), f.body.value()
	for k, e := range f.text {
		fd, _ := domain.ModelFieldByKey(k)
		if p := fd.SetText(&m, e.Text); p != nil {
			v.Fields = append(v.Fields, *p)
		}
	}
	return m, v
}

// formText is the form's text for the field key of m: amounts grouped the
// Vietnamese way (1.500.000).
func formText(m *domain.Model, key string) string {
	fd, _ := domain.ModelFieldByKey(key)
	s := fd.Text(m)
	if fd.Type == domain.TypeWhole && s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return vn.FormatInt(n)
		}
	}
	return s
}

// onSave checks the form, warns about a model that may be the same, and
// saves in the background.
func (f *modelForm) onSave() {
	if !f.open {
		return
	}
	m, local := f.read()
	if len(local.Fields) > 0 {
		// Show the store's problems too, so the officer sees all at once.
		probe := m
		probe.Normalize()
		if err := probe.Validate(time.Now()); err != nil {
			var ve *domain.ValidationError
			if errors.As(err, &ve) {
				for _, fe := range ve.Fields {
					if _, dup := local.For(fe.Field); !dup {
						local.Fields = append(local.Fields, fe)
					}
				}
			}
		}
		f.showProblems(local)
		return
	}
	f.saveB.Disable()
	var similar []domain.Model
	a := f.s.a
	f.s.bg(func() error {
		var err error
		similar, err = a.St.SimilarModels(a.Ctx(), m)
		return err
	}, func(err error) {
		if err != nil || len(similar) == 0 {
			f.save(m)
			return
		}
		f.warnSimilar(m, similar)
	})
}

// warnSimilar shows "có thể trùng với …" and lets the officer save anyway
// or open the other model.
func (f *modelForm) warnSimilar(m domain.Model, similar []domain.Model) {
	a := f.s.a
	var names []string
	for _, o := range similar {
		names = append(names, "• "+o.Name+" ("+strconv.Itoa(o.Year)+", "+o.PersonName+")")
	}
	msg := widget.NewLabel(i18n.T("models.similar", i18n.Args{"Names": strings.Join(names, "\n")}))
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	saveB := widget.NewButton(i18n.T("models.similar_save"), func() { d.Hide(); f.save(m) })
	saveB.Importance = widget.HighImportance
	openB := widget.NewButton(i18n.T("models.similar_open"), func() {
		d.Hide()
		f.saveB.Enable()
		f.open = false
		f.s.showList()
		f.s.detail.show(similar[0])
	})
	backB := widget.NewButton(i18n.T("models.similar_back"), func() { d.Hide(); f.saveB.Enable() })
	d = dialog.NewCustomWithoutButtons(i18n.T("models.similar_title"), container.NewVBox(msg, container.NewHBox(saveB, openB, backB)), a.Win)
	d.Resize(fyne.NewSize(560, 260))
	a.show(d)
}

func (f *modelForm) save(m domain.Model) {
	a := f.s.a
	var saved domain.Model
	f.saveB.Disable()
	f.s.bg(func() error {
		var err error
		saved, err = a.St.SaveModel(a.Ctx(), a.Actor, m)
		return err
	}, func(err error) {
		f.saveB.Enable()
		if err != nil {
			var ve *domain.ValidationError
			if errors.As(err, &ve) {
				f.showProblems(ve)
				return
			}
			a.ShowError(err) // the typed values stay in the form
			return
		}
		f.open = false
		f.draft.discard()
		f.rows.clear()
		f.s.showList()
		f.s.reload()
		f.s.detail.show(saved)
		a.RefreshStatus()
	})
}

func (f *modelForm) showProblems(ve *domain.ValidationError) {
	rest, _ := f.rows.show(ve)
	if len(rest) > 0 {
		f.s.a.inform(i18n.T("common.error_title"), strings.Join(rest, "\n"))
	}
	// Bring the first problem into view.
	for _, sec := range modelFormSections {
		for _, k := range sec.fields {
			if r := f.rows[k]; r != nil && r.err.Visible() {
				if e, ok := f.text[k]; ok {
					f.s.a.Win.Canvas().Focus(e)
				}
				// The field and the line saying what is wrong with it, laid
				// out again first: the line has just appeared.
				f.scroller.Refresh()
				scrollIntoView(f.scroller, r.box)
				return
			}
		}
	}
}

// onCancel leaves the form. Esc is the same.
func (f *modelForm) onCancel() {
	f.open = false
	f.draft.discard()
	f.rows.clear()
	f.s.showList()
}
