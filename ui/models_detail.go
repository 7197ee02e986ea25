package ui

import (
	"danvan/internal/domain"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store/vn"
)

// modelDetail is the pane beside the list: the chosen model, its status
// history, and the buttons to edit it, move it along its life cycle or
// delete it.
type modelDetail struct {
	s       *modelsScreen
	m       domain.Model
	has     bool
	title   *widget.Label
	info    *widget.Label
	history *widget.Label
	editB   *widget.Button
	statusB *widget.Button
	deleteB *widget.Button
	body    *fyne.Container
	scroll  *container.Scroll
	box     fyne.CanvasObject
}

func newModelDetail(s *modelsScreen) *modelDetail {
	d := &modelDetail{s: s}
	d.title = widget.NewLabelWithStyle(i18n.T("models.pick"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.Wrapping = fyne.TextWrapWord
	d.info = widget.NewLabel("")
	d.info.Wrapping = fyne.TextWrapWord
	d.history = widget.NewLabel("")
	d.history.Wrapping = fyne.TextWrapWord
	d.editB = widget.NewButtonWithIcon(i18n.T("models.edit"), theme.DocumentCreateIcon(), func() { s.form.edit(d.m) })
	d.statusB = widget.NewButtonWithIcon(i18n.T("models.change_status"), theme.MediaSkipNextIcon(), d.onStatus)
	d.deleteB = widget.NewButtonWithIcon(i18n.T("models.delete"), theme.DeleteIcon(), d.onDelete)
	d.setButtons()
	head := widget.NewLabelWithStyle(i18n.T("models.history"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.body = container.NewVBox(d.info, widget.NewSeparator(), head, d.history)
	d.scroll = container.NewVScroll(d.body)
	d.box = container.NewBorder(container.NewVBox(d.title, container.NewHBox(d.editB, d.statusB, d.deleteB)), nil, nil, nil, d.scroll)
	return d
}

func (d *modelDetail) content() fyne.CanvasObject { return d.box }

func (d *modelDetail) setButtons() {
	own := d.has && d.m.OwnerOfficeID == d.s.a.Self.ID
	for _, b := range []*widget.Button{d.editB, d.statusB, d.deleteB} {
		if own {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if own && len(domain.NextStatuses(d.m.Status)) == 0 {
		d.statusB.Disable()
	}
}

// show loads m again (it may have changed) with its history.
func (d *modelDetail) show(m domain.Model) {
	a := d.s.a
	var hist []domain.StatusEvent
	d.s.bg(func() error {
		var err error
		if m, err = a.St.Model(a.Ctx(), m.ID); err != nil {
			return err
		}
		hist, err = a.St.ModelHistory(a.Ctx(), m.ID)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		d.m, d.has = m, true
		d.title.SetText(m.Name)
		d.info.SetText(modelSummary(&m))
		d.history.SetText(modelHistoryText(hist))
		d.setButtons()
		d.relayout()
	})
}

func (d *modelDetail) clear() {
	d.has = false
	d.title.SetText(i18n.T("models.pick"))
	d.info.SetText("")
	d.history.SetText("")
	d.setButtons()
	d.relayout()
}

// relayout measures the wrapped texts again: a scroll does not notice on
// its own that a label inside it grew.
func (d *modelDetail) relayout() {
	if d.box == nil {
		return
	}
	d.body.Refresh()
	d.scroll.Refresh()
	if c, ok := d.box.(*fyne.Container); ok {
		c.Refresh()
	}
	d.scroll.ScrollToTop()
}

// modelSummary lists the model's filled-in fields as "Name: value" lines.
func modelSummary(m *domain.Model) string {
	var b strings.Builder
	line := func(key, v string) {
		if strings.TrimSpace(v) == "" {
			return
		}
		b.WriteString(i18n.T("field."+key) + ": " + v + "\n")
	}
	num := func(n int64) string {
		if n == 0 {
			return ""
		}
		return vn.FormatInt(n)
	}
	line("model_status", i18n.T("models.status."+string(m.Status)))
	line("model_kind", i18n.T("models.kind."+string(m.Kind)))
	line("model_field", i18n.T("models.field."+string(m.Field)))
	line("model_year", strconv.Itoa(m.Year))
	body := i18n.T("models.body." + string(m.Body))
	if m.Body == domain.BodyOther {
		body = m.BodyOther
	}
	line("model_body", body)
	line("model_person_name", strings.Join(nonEmpty(m.PersonName, m.PersonTitle, m.PersonPhone), " · "))
	line("model_location", m.Location)
	line("model_reason", m.Reason)
	line("model_goals", m.Goals)
	line("model_content", m.Content)
	line("model_tasks", m.Tasks)
	line("model_target_group", m.TargetGroup)
	line("model_households", num(m.Households))
	line("model_people", num(m.People))
	line("model_force_lead", m.ForceLead)
	line("model_force_coord", m.ForceCoord)
	line("model_force_take_part", m.ForceTakePart)
	line("model_budget", num(m.Budget))
	line("model_workdays", num(m.Workdays))
	line("model_contributions", m.Contributions)
	line("model_start_date", vn.FormatDate(m.StartDate))
	line("model_eval_date", vn.FormatDate(m.EvalDate))
	line("model_outputs", m.Outputs)
	line("model_sustainability", m.Sustainability)
	if m.Rating != "" {
		line("model_rating", i18n.T("models.rating."+string(m.Rating)))
	}
	if m.Level != "" {
		line("model_level", i18n.T("models.level."+string(m.Level)))
	}
	line("model_decision_no", m.DecisionNo)
	line("model_decision_date", vn.FormatDate(m.DecisionDate))
	line("model_stop_reason", m.StopReason)
	line("model_note", m.Note)
	b.WriteString(i18n.T("models.updated", i18n.Args{"When": vn.FormatDateTime(m.UpdatedAt.Local()), "Who": m.UpdatedBy, "Revision": m.Revision}))
	return b.String()
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// modelHistoryText writes the status history, oldest first, one move a line.
func modelHistoryText(hist []domain.StatusEvent) string {
	var lines []string
	for _, e := range hist {
		l := vn.FormatDate(e.On) + ": " + i18n.T("models.status."+string(e.To))
		var extra []string
		if e.Rating != "" {
			extra = append(extra, i18n.T("models.rating."+string(e.Rating)))
		}
		if e.Level != "" {
			extra = append(extra, i18n.T("models.level."+string(e.Level)))
		}
		if e.DecisionNo != "" {
			extra = append(extra, e.DecisionNo+" "+vn.FormatDate(e.DecisionDate))
		}
		if e.Reason != "" {
			extra = append(extra, e.Reason)
		}
		if len(extra) > 0 {
			l += " (" + strings.Join(extra, "; ") + ")"
		}
		l += " — " + e.RecordedBy
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

func (d *modelDetail) onDelete() {
	if !d.has {
		return
	}
	a, m := d.s.a, d.m
	a.confirm(i18n.T("models.delete"), i18n.T("models.delete_confirm", i18n.Args{"Name": m.Name}), func(ok bool) {
		if !ok {
			return
		}
		d.s.bg(func() error {
			return a.St.DeleteModel(a.Ctx(), a.Actor, m.ID, m.Revision)
		}, func(err error) {
			if err != nil {
				a.ShowError(err)
				return
			}
			d.clear()
			d.s.reload()
			a.RefreshStatus()
		})
	})
}

// statusDialog is the life-cycle move: the next status, its date, and the
// details that status needs. It stays open, with what was typed, until the
// move is stored.
type statusDialog struct {
	d        *modelDetail
	to       *enumSelect[domain.ModelStatus]
	on       *keyEntry
	rating   *enumSelect[domain.Rating]
	level    *enumSelect[domain.Level]
	decision *keyEntry
	decDate  *keyEntry
	reason   *keyEntry
	rows     fieldRows
	labels   map[string]*widget.Label
	okB      *widget.Button
	dlg      *dialog.CustomDialog
}

func (d *modelDetail) onStatus() {
	if !d.has {
		return
	}
	d.s.a.show(d.newStatusDialog().dlg)
}

func (d *modelDetail) newStatusDialog() *statusDialog {
	sd := &statusDialog{d: d, rows: fieldRows{}}
	a := d.s.a
	sd.to = newEnumSelect("models.status.", domain.NextStatuses(d.m.Status), false, sd.onTo)
	sd.on = newKeyEntry(false)
	sd.on.SetText(vn.FormatDate(time.Now()))
	sd.rating = newEnumSelect("models.rating.", domain.Ratings, false, nil)
	sd.level = newEnumSelect("models.level.", domain.Levels, false, nil)
	sd.decision = newKeyEntry(false)
	sd.decDate = newKeyEntry(false)
	sd.decDate.SetPlaceHolder("dd/mm/yyyy")
	sd.reason = newKeyEntry(true)
	sd.reason.Wrapping = fyne.TextWrapWord
	// A form layout rather than widget.Form, so that the rows a status does
	// not need can be hidden whole, label included.
	form := container.New(layout.NewFormLayout())
	sd.labels = map[string]*widget.Label{}
	for _, it := range []struct {
		key   string
		input fyne.CanvasObject
	}{{"model_status", sd.to}, {"status_date", sd.on}, {"model_rating", sd.rating}, {"model_level", sd.level},
		{"model_decision_no", sd.decision}, {"model_decision_date", sd.decDate}, {"status_reason", sd.reason}} {
		r := sd.rows.add(it.key, it.input)
		l := widget.NewLabelWithStyle(i18n.T("field."+it.key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		sd.labels[it.key] = l
		form.Add(l)
		form.Add(r.box)
	}
	sd.okB = widget.NewButton(i18n.T("models.status_apply"), sd.onApply)
	sd.okB.Importance = widget.HighImportance
	cancel := widget.NewButton(i18n.T("common.cancel"), func() { sd.dlg.Hide() })
	from := widget.NewLabel(i18n.T("models.status_from", i18n.Args{"Status": i18n.T("models.status." + string(d.m.Status))}))
	sd.dlg = dialog.NewCustomWithoutButtons(i18n.T("models.change_status"),
		container.NewBorder(from, container.NewHBox(sd.okB, cancel), nil, nil, form), a.Win)
	sd.dlg.Resize(fyne.NewSize(560, 520))
	if len(sd.to.codes) > 0 {
		sd.to.SetSelectedIndex(0)
	}
	sd.onTo()
	return sd
}

// onTo shows only the details the chosen status needs.
func (sd *statusDialog) onTo() {
	if sd.rows == nil || sd.rows["status_reason"] == nil {
		return
	}
	to := sd.to.value()
	show := func(key string, on bool) {
		if on {
			sd.rows[key].box.Show()
			sd.labels[key].Show()
		} else {
			sd.rows[key].box.Hide()
			sd.labels[key].Hide()
		}
	}
	// The details the chosen status requires (domain.ModelFields'
	// RequiredWhen), and the reason for taking up a stopped model again.
	need := map[string]bool{"status_reason": sd.d.m.Status == domain.StatusDiscontinued}
	for _, f := range domain.RequiredFor(to) {
		need[domain.StatusInput(f.Key)] = true
	}
	for key := range sd.labels {
		if key != "model_status" && key != "status_date" { // always asked
			show(key, need[key])
		}
	}
}

func (sd *statusDialog) onApply() {
	a := sd.d.s.a
	ch := domain.StatusChange{To: sd.to.value(), Rating: sd.rating.value(), Level: sd.level.value(),
		DecisionNo: sd.decision.Text, Reason: sd.reason.Text}
	local := &domain.ValidationError{}
	if t, err := vn.ParseDate(sd.on.Text); err == nil {
		ch.On = t
	} else if strings.TrimSpace(sd.on.Text) != "" {
		local.Add("status_date", "models.not_date", nil)
	}
	if strings.TrimSpace(sd.decDate.Text) != "" {
		if t, err := vn.ParseDate(sd.decDate.Text); err == nil {
			ch.DecisionDate = t
		} else {
			local.Add("model_decision_date", "models.not_date", nil)
		}
	}
	if ch.To == "" {
		local.Add("model_status", "required", nil)
	}
	if len(local.Fields) > 0 {
		sd.rows.show(local)
		return
	}
	m := sd.d.m
	var got domain.Model
	sd.okB.Disable()
	sd.d.s.bg(func() error {
		var err error
		got, err = a.St.ChangeModelStatus(a.Ctx(), a.Actor, m.ID, m.Revision, ch)
		return err
	}, func(err error) {
		sd.okB.Enable()
		if err != nil {
			if _, handled := sd.rows.show(err); !handled {
				a.ShowError(err)
			}
			return
		}
		sd.dlg.Hide()
		sd.d.show(got)
		sd.d.s.reload()
		a.RefreshStatus()
	})
}
