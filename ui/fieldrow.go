package ui

import (
	"danvan/internal/domain"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
)

// fieldRow is an input with the line under it where its problem is shown,
// so that every form can say what is wrong next to the field itself.
type fieldRow struct {
	key   string // the store's field key, e.g. "office_name"
	input fyne.CanvasObject
	err   *widget.Label
	box   *fyne.Container
}

func newFieldRow(key string, input fyne.CanvasObject) *fieldRow {
	e := widget.NewLabel("")
	e.Importance = widget.DangerImportance
	e.Wrapping = fyne.TextWrapWord
	e.Hide()
	r := &fieldRow{key: key, input: input, err: e}
	r.box = container.NewVBox(input, e)
	// A problem goes away as soon as the field is edited: a corrected
	// field must not keep saying it is wrong until the next save.
	switch in := input.(type) {
	case *keyEntry:
		prev := in.OnChanged
		in.OnChanged = func(v string) {
			r.setError("")
			if prev != nil {
				prev(v)
			}
		}
	case *widget.Select:
		prev := in.OnChanged
		in.OnChanged = func(v string) {
			r.setError("")
			if prev != nil {
				prev(v)
			}
		}
	}
	return r
}

func (r *fieldRow) setError(msg string) {
	r.err.SetText(msg)
	if msg == "" {
		r.err.Hide()
	} else {
		r.err.Show()
	}
}

// formItem is the row as a widget.Form item labelled with field.<key>.
func (r *fieldRow) formItem() *widget.FormItem {
	return widget.NewFormItem(i18n.T("field."+r.key), r.box)
}

// fieldRows is a form's rows by field key.
type fieldRows map[string]*fieldRow

func (rs fieldRows) add(key string, input fyne.CanvasObject) *fieldRow {
	r := newFieldRow(key, input)
	rs[key] = r
	return r
}

// clear removes every shown problem.
func (rs fieldRows) clear() {
	for _, r := range rs {
		r.setError("")
	}
}

// count is how many problems are shown.
func (rs fieldRows) count() int {
	n := 0
	for _, r := range rs {
		if r.err.Visible() {
			n++
		}
	}
	return n
}

// first is the shown problem nearest the top of the screen, or nil.
func (rs fieldRows) first() *fieldRow {
	var top *fieldRow
	d := fyne.CurrentApp().Driver()
	for _, r := range rs {
		if r.err.Visible() && (top == nil || d.AbsolutePositionForObject(r.box).Y < d.AbsolutePositionForObject(top.box).Y) {
			top = r
		}
	}
	return top
}

// show puts each problem of a validation error under its field. It returns
// the problems that have no row here (to show in a dialog) and whether err
// was a validation error at all.
func (rs fieldRows) show(err error) (rest []string, handled bool) {
	rs.clear()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return nil, false
	}
	for _, f := range ve.Fields {
		if r, ok := rs[f.Field]; ok && !r.err.Visible() {
			r.setError(i18n.Problem(f))
		} else if !ok {
			rest = append(rest, i18n.Field(f))
		}
	}
	return rest, true
}
