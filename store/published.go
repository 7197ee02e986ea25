package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"danvan/store/vn"
)

// Settings sent down by a collecting office (domain.Published, issue 28).
// The collecting office publishes its own settings and TTHC field list; a
// unit that sends it its tallies applies them after seeing what changes.

// PublishedChange is one thing applying a publication changes here.
type PublishedChange struct {
	What string // "collector_name", "cutoff_day", "due_working_days", "recipients", "report_periods", "field_new", "field_rename", "field_retire", "field_restore", "field_order"
	Old  string
	New  string
}

// PublishedPlan is what a publication would change here, or changed.
type PublishedPlan struct {
	From        domain.Office
	Version     int64
	LastVersion int64 // the last one applied from that office; 0 for none
	Changes     []PublishedChange
}

// ErrPublishedOlder is a publication older than one already applied.
type ErrPublishedOlder struct{ Version, Last int64 }

func (e *ErrPublishedOlder) Error() string {
	return fmt.Sprintf("store: settings version %d is older than version %d already applied", e.Version, e.Last)
}

// MessageCode implements domain.Coded.
func (e *ErrPublishedOlder) MessageCode() (string, map[string]any) {
	return "settings.older", map[string]any{"Version": e.Version, "Last": e.Last}
}

// ErrNotTallyCollector is a publication from an office this one does not
// send its tallies to: its field list and periods do not govern them.
var ErrNotTallyCollector = &codedError{msg: "store: settings from an office that does not collect this office's tallies", code: "settings.not_collector"}

func publishedKey(officeID string) string { return "published." + officeID + ".version" }

// ownPublishedKey is the version a collecting office last published.
const ownPublishedKey = "published.own.version"

// PlanPublished says what applying p, published by the office fromID,
// would change here. It changes nothing (settings apply --dry-run).
func (s *Store) PlanPublished(ctx context.Context, fromID string, p domain.Published) (PublishedPlan, error) {
	var plan PublishedPlan
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		plan, _, err = planPublished(ctx, tx, fromID, p)
		return err
	})
	return plan, err
}

// ApplyPublished applies p, published by the office fromID, in one
// transaction: the settings, and each field renamed, added, retired or
// moved. A field is never deleted, so figures stored against it keep
// their meaning; a field of this office's own (no code) is left alone.
func (s *Store) ApplyPublished(ctx context.Context, actor Actor, fromID string, p domain.Published) (PublishedPlan, error) {
	var plan PublishedPlan
	if err := actor.require(PermSettings); err != nil {
		return plan, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var ops []fieldOp
		var err error
		plan, ops, err = planPublished(ctx, tx, fromID, p)
		if err != nil || len(plan.Changes) == 0 && plan.Version == plan.LastVersion {
			return err
		}
		old, err := settingsTx(ctx, tx)
		if err != nil {
			return err
		}
		set := old
		set.CollectorName, set.CutoffDay, set.DueWorkingDays = p.CollectorName, p.CutoffDay, p.DueWorkingDays
		set.Recipients = strings.Join(p.Recipients, "\n")
		set.ReportPeriods = domain.JoinReportPeriods(p.Periods)
		set.Normalize()
		if err := set.Validate(); err != nil {
			return err
		}
		if err := writeSettings(ctx, tx, set); err != nil {
			return err
		}
		if err := s.applyFieldOps(ctx, tx, actor, ops); err != nil {
			return err
		}
		if err := putSetting(ctx, tx, publishedKey(fromID), strconv.FormatInt(p.Version, 10)); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "published_settings", fromID, old, map[string]any{"version": p.Version, "changes": plan.Changes})
	})
	return plan, err
}

// fieldOp is one field to write: an existing one changed, or a new one.
type fieldOp struct {
	f   TallyField // the field as it will be; ID "" for a new one
	old TallyField
}

func planPublished(ctx context.Context, tx *sql.Tx, fromID string, p domain.Published) (PublishedPlan, []fieldOp, error) {
	plan := PublishedPlan{Version: p.Version}
	if err := p.Validate(); err != nil {
		return plan, nil, err
	}
	dests, err := destinationsTx(ctx, tx)
	if err != nil {
		return plan, nil, err
	}
	d, err := pickDestination(dests, fromID)
	if err != nil || !d.Receives(domain.DataTallies) {
		return plan, nil, ErrNotTallyCollector
	}
	plan.From = d.Office
	if plan.LastVersion, err = versionSetting(ctx, tx, publishedKey(fromID)); err != nil {
		return plan, nil, err
	}
	if p.Version < plan.LastVersion {
		return plan, nil, &ErrPublishedOlder{Version: p.Version, Last: plan.LastVersion}
	}
	set, err := settingsTx(ctx, tx)
	if err != nil {
		return plan, nil, err
	}
	change := func(what, old, new string) {
		if old != new {
			plan.Changes = append(plan.Changes, PublishedChange{What: what, Old: old, New: new})
		}
	}
	change("collector_name", set.CollectorName, vn.Clean(p.CollectorName))
	change("cutoff_day", strconv.Itoa(set.CutoffDay), strconv.Itoa(p.CutoffDay))
	change("due_working_days", strconv.Itoa(set.DueWorkingDays), strconv.Itoa(p.DueWorkingDays))
	change("recipients", set.Recipients, strings.Join(p.Recipients, "\n"))
	change("report_periods", domain.JoinReportPeriods(set.Periods()), domain.JoinReportPeriods(p.Periods))

	self, err := selfOfficeTx(ctx, tx)
	if err != nil {
		return plan, nil, err
	}
	have, err := tallyFieldsQ(ctx, tx, self.ID)
	if err != nil {
		return plan, nil, err
	}
	byCode := map[string]TallyField{}
	for _, f := range have {
		if f.Code != "" {
			byCode[f.Code] = f
		}
	}
	listed := map[string]bool{}
	var ops []fieldOp
	for _, pf := range p.Fields {
		listed[pf.Code] = true
		name := vn.Clean(pf.Name)
		f, ok := byCode[pf.Code]
		switch {
		case !ok && pf.Retired:
			continue // never used here
		case !ok:
			plan.Changes = append(plan.Changes, PublishedChange{What: "field_new", New: name})
			ops = append(ops, fieldOp{f: TallyField{Code: pf.Code, Name: name, Position: pf.Position}})
			continue
		}
		next := f
		next.Name, next.Position, next.Disabled = name, pf.Position, pf.Retired
		if next.Name != f.Name {
			plan.Changes = append(plan.Changes, PublishedChange{What: "field_rename", Old: f.Name, New: next.Name})
		}
		switch {
		case next.Disabled && !f.Disabled:
			plan.Changes = append(plan.Changes, PublishedChange{What: "field_retire", Old: next.Name})
		case !next.Disabled && f.Disabled:
			plan.Changes = append(plan.Changes, PublishedChange{What: "field_restore", New: next.Name})
		}
		if next != f {
			ops = append(ops, fieldOp{f: next, old: f})
		}
	}
	// A shared field the office above no longer lists is retired here.
	for _, f := range have {
		if f.Code != "" && !listed[f.Code] && !f.Disabled {
			next := f
			next.Disabled = true
			plan.Changes = append(plan.Changes, PublishedChange{What: "field_retire", Old: f.Name})
			ops = append(ops, fieldOp{f: next, old: f})
		}
	}
	// The order of the fields in use on both sides, when it changes (a
	// field added or retired is said above, and a rename is no move).
	after := afterOps(have, ops)
	liveIDs := func(fs []TallyField, other []TallyField) []string {
		live := map[string]bool{}
		for _, f := range other {
			if !f.Disabled && f.ID != "" {
				live[f.ID] = true
			}
		}
		var out []string
		for _, f := range fs {
			if !f.Disabled && live[f.ID] {
				out = append(out, f.ID)
			}
		}
		return out
	}
	if !slices.Equal(liveIDs(have, after), liveIDs(after, have)) {
		var names []string
		for _, f := range after {
			if !f.Disabled {
				names = append(names, f.Name)
			}
		}
		plan.Changes = append(plan.Changes, PublishedChange{What: "field_order", New: strings.Join(names, "; ")})
	}
	return plan, ops, nil
}

// afterOps is the field list as it will be, in form order.
func afterOps(have []TallyField, ops []fieldOp) []TallyField {
	byID := map[string]int{}
	out := slices.Clone(have)
	for i, f := range out {
		byID[f.ID] = i
	}
	for _, op := range ops {
		if op.f.ID == "" {
			out = append(out, op.f)
		} else {
			out[byID[op.f.ID]] = op.f
		}
	}
	slices.SortStableFunc(out, func(a, b TallyField) int { return a.Position - b.Position })
	return out
}

// applyFieldOps writes the fields. Names are unique among an office's
// fields at every statement, so a swap of two names goes through a
// stand-in first.
func (s *Store) applyFieldOps(ctx context.Context, tx *sql.Tx, actor Actor, ops []fieldOp) error {
	self, err := selfOfficeTx(ctx, tx)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.f.ID != "" && op.f.Name != op.old.Name {
			if _, err := tx.ExecContext(ctx, `UPDATE tally_fields SET name_fold = ? WHERE id = ?`, "\x00"+op.f.ID, op.f.ID); err != nil {
				return err
			}
		}
	}
	for _, op := range ops {
		if op.f.ID == "" {
			if err := s.checkFieldName(ctx, tx, self.ID, "", op.f.Name); err != nil {
				return err
			}
			f, err := insertTallyField(ctx, tx, s, actor, self.ID, op.f.Code, op.f.Name, op.f.Position)
			if err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, ActionInsert, "tally_field", f.ID, nil, f); err != nil {
				return err
			}
			continue
		}
		if err := s.checkFieldName(ctx, tx, self.ID, op.f.ID, op.f.Name); err != nil {
			return err
		}
		seq, err := nextChange(ctx, tx)
		if err != nil {
			return err
		}
		f := op.f
		f.Revision++
		f.UpdatedAt, f.UpdatedBy = s.now(), actor.Name
		dis := 0
		if f.Disabled {
			dis = 1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tally_fields SET name = ?, name_fold = ?, position = ?, disabled = ?, revision = ?, change_seq = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, f.Name, vn.Fold(f.Name), f.Position, dis, f.Revision, seq, fmtTime(f.UpdatedAt), f.UpdatedBy, f.ID); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, ActionUpdate, "tally_field", f.ID, op.old, f); err != nil {
			return err
		}
	}
	return nil
}

// OwnPublished is what this collecting office publishes to its units: its
// own settings and TTHC field list, under the next version number. A field
// it added itself gets its id as its stable code.
func (s *Store) OwnPublished(ctx context.Context) (domain.Published, error) {
	var p domain.Published
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		set, err := settingsTx(ctx, tx)
		if err != nil {
			return err
		}
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		v, err := versionSetting(ctx, tx, ownPublishedKey)
		if err != nil {
			return err
		}
		p = domain.Published{Version: v + 1, CollectorName: self.Name, CutoffDay: set.CutoffDay, DueWorkingDays: set.DueWorkingDays,
			Periods: set.Periods()}
		for _, r := range strings.Split(set.Recipients, "\n") {
			if r = strings.TrimSpace(r); r != "" {
				p.Recipients = append(p.Recipients, r)
			}
		}
		fields, err := tallyFieldsQ(ctx, tx, self.ID)
		if err != nil {
			return err
		}
		for i, f := range fields {
			code := f.Code
			if code == "" {
				code = f.ID
			}
			p.Fields = append(p.Fields, domain.PublishedField{Code: code, Name: f.Name, Position: i + 1, Retired: f.Disabled})
		}
		return nil
	})
	return p, err
}

// RecordPublished notes that version v was published (signed and written),
// so the next publication has a higher one.
func (s *Store) RecordPublished(ctx context.Context, actor Actor, v int64) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := putSetting(ctx, tx, ownPublishedKey, strconv.FormatInt(v, 10)); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionExport, "published_settings", strconv.FormatInt(v, 10), nil, nil)
	})
}

// PublishedVersion is the version of the settings last applied here from
// the office fromID; 0 when none.
func (s *Store) PublishedVersion(ctx context.Context, fromID string) (int64, error) {
	return versionSetting(ctx, s.db, publishedKey(fromID))
}

// versionSetting reads a version number kept in the settings table; 0
// when none is kept.
func versionSetting(ctx context.Context, q rowQuerier, key string) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n, nil
}
