package ui

import (
	"encoding/json"
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

// showHistory opens a dialog with every change recorded for one record
// (entity "model", "tally", "user" …, and its id), oldest first. Any screen
// may call it, e.g. from a "Lịch sử" button on a form.
func showHistory(a *App, entity, id string) {
	var entries []store.AuditEntry
	a.Background(func() (err error) {
		entries, err = a.St.History(a.ctx, entity, id)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		d := dialog.NewCustom(i18n.T("safety.history.title", i18n.Args{"Entity": entityLabel(entity)}), i18n.T("common.close"),
			historyView(entries), a.Win)
		d.Resize(fyne.NewSize(760, 520))
		a.show(d)
	})
}

// historyView lays out the entries: when, who and what, then one line per
// changed field as "field: old → new".
func historyView(entries []store.AuditEntry) fyne.CanvasObject {
	box := container.NewVBox()
	if len(entries) == 0 {
		box.Add(widget.NewLabel(i18n.T("safety.history.empty")))
	}
	for _, e := range entries {
		head := i18n.T("safety.history.entry", i18n.Args{
			"At": vn.FormatDateTime(e.At.Local()), "User": e.UserName, "Action": actionLabel(e.Action)})
		box.Add(widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, line := range describeChange(e.Old, e.New) {
			l := widget.NewLabel(line)
			l.Wrapping = fyne.TextWrapWord
			box.Add(l)
		}
		box.Add(widget.NewSeparator())
	}
	return container.NewVScroll(box)
}

// describeChange turns an audit row's old and new JSON into lines a person
// can read. Objects are compared field by field and only changed fields are
// listed; anything else is shown as it is.
func describeChange(oldJSON, newJSON string) []string {
	var o, n map[string]any
	oErr := json.Unmarshal([]byte(orEmptyObject(oldJSON)), &o)
	nErr := json.Unmarshal([]byte(orEmptyObject(newJSON)), &n)
	if oErr != nil || nErr != nil {
		var out []string
		if oldJSON != "" {
			out = append(out, oldJSON+" →")
		}
		if newJSON != "" {
			out = append(out, newJSON)
		}
		return out
	}
	keys := map[string]bool{}
	for k := range o {
		keys[k] = true
	}
	for k := range n {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []string
	for _, k := range sorted {
		ov, inOld := o[k]
		nv, inNew := n[k]
		oldS, newS := jsonText(ov), jsonText(nv)
		switch {
		case inOld && inNew && oldS == newS:
			continue
		case !inOld:
			out = append(out, fieldLabel(k)+": "+newS)
		case !inNew:
			out = append(out, fieldLabel(k)+": "+oldS+" → ∅")
		default:
			out = append(out, fieldLabel(k)+": "+oldS+" → "+newS)
		}
	}
	return out
}

func orEmptyObject(s string) string {
	if s == "" {
		return "{}"
	}
	return s
}

func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return "∅"
	case string:
		return translated("safety.value."+x, x)
	case float64:
		if x == float64(int64(x)) {
			return vn.FormatInt(int64(x))
		}
		return fmt.Sprint(x)
	case bool:
		if x {
			return i18n.T("common.yes")
		}
		return i18n.T("common.no")
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// fieldLabel names a JSON field by its translation when there is one.
func fieldLabel(k string) string { return translated("field."+k, translated("safety.field."+k, k)) }
