package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerScreen(screenDef{ID: "audit", Order: 85, TitleKey: "safety.nav.audit", Icon: theme.IconNameHistory,
		New: func(a *App) screen { return newAuditScreen(a) }})
}

// auditScreen (Nhật ký) lists who did what and when, newest first, with
// filters; choosing a row opens the history of that record.
type auditScreen struct {
	a                    *App
	user, action, entity *widget.Select
	from, to             *keyEntry
	filterB              *widget.Button
	msg                  *widget.Label
	table                *widget.Table
	entries              []store.AuditEntry

	users, actions, entities []string // the stored values behind each select's options (after "all")
}

func newAuditScreen(a *App) *auditScreen { return &auditScreen{a: a} }

var auditColumns = []tableCol{
	{"safety.audit.col.at", 150}, {"safety.audit.col.user", 120}, {"safety.audit.col.action", 150},
	{"safety.audit.col.entity", 130}, {"safety.audit.col.change", 520},
}

func (s *auditScreen) content() fyne.CanvasObject {
	all := i18n.T("common.all")
	s.user = widget.NewSelect([]string{all}, nil)
	s.action = widget.NewSelect([]string{all}, nil)
	s.entity = widget.NewSelect([]string{all}, nil)
	for _, sel := range []*widget.Select{s.user, s.action, s.entity} {
		sel.SetSelectedIndex(0)
	}
	s.from = newKeyEntry(false)
	s.from.SetPlaceHolder(i18n.T("safety.audit.date_hint"))
	s.to = newKeyEntry(false)
	s.to.SetPlaceHolder(i18n.T("safety.audit.date_hint"))
	s.filterB = widget.NewButtonWithIcon(i18n.T("safety.audit.filter"), theme.SearchIcon(), s.load)
	s.msg = widget.NewLabel("")
	s.msg.Importance = widget.DangerImportance
	s.msg.Hide()

	s.table = newTextTable(auditColumns, func() int { return len(s.entries) }, s.cell)
	s.table.OnSelected = func(id widget.TableCellID) {
		s.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(s.entries) && s.entries[id.Row].EntityID != "" {
			e := s.entries[id.Row]
			showHistory(s.a, e.Entity, e.EntityID)
		}
	}
	filters := container.NewGridWithColumns(3,
		labeled("safety.audit.user", s.user), labeled("safety.audit.action", s.action), labeled("safety.audit.entity", s.entity),
		labeled("safety.audit.from", s.from), labeled("safety.audit.to", s.to),
		container.NewVBox(widget.NewLabel(" "), s.filterB))
	return container.NewBorder(container.NewVBox(filters, s.msg), nil, nil, nil, s.table)
}

func labeled(key string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(widget.NewLabel(i18n.T(key)), o)
}

func (s *auditScreen) onShow() { s.loadChoices() }

// loadChoices fills the filter lists from what the trail holds and loads
// the list, in one background task so that a screen left at once leaves no
// second task behind.
func (s *auditScreen) loadChoices() {
	f, ok := s.filter()
	var users, actions, entities []string
	var entries []store.AuditEntry
	s.a.Background(func() (err error) {
		if users, actions, entities, err = s.a.St.AuditNames(s.a.ctx); err != nil || !ok {
			return err
		}
		entries, err = s.a.St.AuditLog(s.a.ctx, f)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		set := func(sel *widget.Select, values []string, keep string, label func(string) string) {
			opts := []string{i18n.T("common.all")}
			at := 0
			for i, v := range values {
				opts = append(opts, label(v))
				if v == keep {
					at = i + 1
				}
			}
			sel.SetOptions(opts)
			sel.SetSelectedIndex(at)
		}
		set(s.user, users, f.UserName, func(v string) string { return v })
		set(s.action, actions, f.Action, actionLabel)
		set(s.entity, entities, f.Entity, entityLabel)
		s.users, s.actions, s.entities = users, actions, entities
		if ok {
			s.show(entries)
		}
	})
}

// filter reads the filter widgets; a date that cannot be read is reported
// under the filters and nothing is loaded.
func (s *auditScreen) filter() (store.AuditFilter, bool) {
	var f store.AuditFilter
	pick := func(sel *widget.Select, values []string) string {
		if i := sel.SelectedIndex(); i > 0 && i-1 < len(values) {
			return values[i-1]
		}
		return ""
	}
	f.UserName, f.Action, f.Entity = pick(s.user, s.users), pick(s.action, s.actions), pick(s.entity, s.entities)
	for _, d := range []struct {
		in  *keyEntry
		out *time.Time
		add int
	}{{s.from, &f.From, 0}, {s.to, &f.To, 1}} {
		txt := strings.TrimSpace(d.in.Text)
		if txt == "" {
			continue
		}
		t, err := vn.ParseDate(txt)
		if err != nil {
			s.setMsg(i18n.T("safety.audit.bad_date", i18n.Args{"Text": txt}))
			return f, false
		}
		// Dates are the office's days: from its midnight, to the next one.
		*d.out = time.Date(t.Year(), t.Month(), t.Day()+d.add, 0, 0, 0, 0, time.Local)
	}
	return f, true
}

func (s *auditScreen) load() {
	f, ok := s.filter()
	if !ok {
		return
	}
	s.setMsg("")
	var entries []store.AuditEntry
	s.a.Background(func() (err error) {
		entries, err = s.a.St.AuditLog(s.a.ctx, f)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.show(entries)
	})
}

func (s *auditScreen) show(entries []store.AuditEntry) {
	s.entries = entries
	if len(entries) == 0 {
		s.setMsg(i18n.T("safety.audit.empty"))
	}
	s.table.Refresh()
}

// setMsg shows text under the filters, or hides the line when text is "".
func (s *auditScreen) setMsg(text string) {
	s.msg.SetText(text)
	if text == "" {
		s.msg.Hide()
	} else {
		s.msg.Show()
	}
}

func (s *auditScreen) cell(row, col int) string {
	if row < 0 || row >= len(s.entries) {
		return ""
	}
	e := s.entries[row]
	switch col {
	case 0:
		return vn.FormatDateTime(e.At.Local())
	case 1:
		return e.UserName
	case 2:
		return actionLabel(e.Action)
	case 3:
		return entityLabel(e.Entity)
	default:
		return strings.Join(describeChange(e.Old, e.New), "; ")
	}
}

// actionLabel and entityLabel translate stored names, falling back to the
// name itself for entities added by features this file does not know.
func actionLabel(a string) string { return translated("safety.action."+a, a) }
func entityLabel(e string) string { return translated("safety.entity."+e, e) }

func translated(key, fallback string) string {
	if i18n.Has(key) {
		return i18n.T(key)
	}
	return fallback
}
