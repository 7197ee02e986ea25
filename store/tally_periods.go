package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Period is a stored reporting period of one office.
type Period struct {
	domain.PeriodSpec
	ID        string
	OfficeID  string
	Closed    bool
	ClosedAt  time.Time
	ClosedBy  string
	Revision  int64
	UpdatedAt time.Time
	UpdatedBy string
}

// PeriodEvent is one closing or reopening of a period.
type PeriodEvent struct {
	Action   string // ActionClose or ActionReopen
	Reason   string // why it was reopened
	At       time.Time
	UserName string
}

// MaxReopenReason bounds the reason given for reopening.
const MaxReopenReason = 500

// PeriodOverlapError refuses a period whose dates overlap a stored period
// of the same kind, e.g. a month created after the cut-off day changed.
type PeriodOverlapError struct {
	Period domain.PeriodSpec
	Other  domain.PeriodSpec
}

func (e *PeriodOverlapError) Error() string {
	return fmt.Sprintf("store: period %s overlaps %s", e.Period.Code(), e.Other.Code())
}
func (e *PeriodOverlapError) Unwrap() error { return ErrConflict }

// MessageCode implements Coded.
func (e *PeriodOverlapError) MessageCode() (string, map[string]any) {
	return "tally.period_overlap", map[string]any{
		"Period": e.Period.Code(), "Other": e.Other.Code(),
		"Start": fmtDay(e.Other.Start), "End": fmtDay(e.Other.End),
	}
}

// PeriodStateError is an action the period's state does not allow: editing
// or importing into a closed period, closing one twice, reopening an open
// one, closing one with no rows.
type PeriodStateError struct {
	Code   string // "tally.period_closed", "tally.period_open", "tally.period_empty", "tally.period_unknown"
	Period string
}

func (e *PeriodStateError) Error() string {
	return fmt.Sprintf("store: period %s: %s", e.Period, e.Code)
}

// Unwrap lets callers test for the kind with errors.Is.
func (e *PeriodStateError) Unwrap() error {
	if e.Code == "tally.period_unknown" {
		return ErrNotFound
	}
	return ErrConflict
}

// MessageCode implements Coded.
func (e *PeriodStateError) MessageCode() (string, map[string]any) {
	return e.Code, map[string]any{"Period": e.Period}
}

// RowProblems are the problems of one tally row.
type RowProblems struct {
	FieldID   string
	FieldName string
	Final     bool
	Problems  []domain.Problem
}

// TallyRulesError refuses to make rows final (by saving or closing) while
// some rule fails; nothing was changed. Rows lists each failing row.
type TallyRulesError struct {
	Period string
	Rows   []RowProblems
}

func (e *TallyRulesError) Error() string {
	return fmt.Sprintf("store: period %s: %d rows fail their rules", e.Period, len(e.Rows))
}

// MessageCode implements Coded.
func (e *TallyRulesError) MessageCode() (string, map[string]any) {
	n := 0
	for _, r := range e.Rows {
		n += len(r.Problems)
	}
	return "tally.rules_failed", map[string]any{"Period": e.Period, "Rows": len(e.Rows), "Count": n}
}

func fmtDay(t time.Time) string { return t.Format("02/01/2006") }

const periodCols = `id, owner_office_id, kind, code, start_date, end_date, closed, closed_at, closed_by, revision, updated_at, updated_by`

func scanPeriod(row interface{ Scan(...any) error }) (Period, error) {
	var p Period
	var kind, code, start, end, closedAt, upd string
	var closed int
	err := row.Scan(&p.ID, &p.OfficeID, &kind, &code, &start, &end, &closed, &closedAt, &p.ClosedBy, &p.Revision, &upd, &p.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.PeriodSpec = domain.SpecFromRow(domain.PeriodKind(kind), code, start, end)
	p.Closed = closed == 1
	p.ClosedAt, p.UpdatedAt = parseTime(closedAt), parseTime(upd)
	return p, err
}

func periodByCode(ctx context.Context, q queryer, officeID, code string) (Period, error) {
	return scanPeriod(q.QueryRowContext(ctx, `SELECT `+periodCols+` FROM periods
		WHERE owner_office_id = ? AND code = ? AND deleted_at = ''`, officeID, code))
}

// Period returns an office's stored period with the spec's code, or an
// error that unwraps to ErrNotFound. officeID "" means this office.
func (s *Store) Period(ctx context.Context, officeID string, spec domain.PeriodSpec) (Period, error) {
	officeID, err := s.officeOrSelf(ctx, officeID)
	if err != nil {
		return Period{}, err
	}
	p, err := periodByCode(ctx, s.db, officeID, spec.Code())
	if errors.Is(err, ErrNotFound) {
		return p, &PeriodStateError{Code: "tally.period_unknown", Period: spec.Code()}
	}
	return p, err
}

// Periods lists an office's stored periods, latest first.
func (s *Store) Periods(ctx context.Context, officeID string) ([]Period, error) {
	officeID, err := s.officeOrSelf(ctx, officeID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+periodCols+` FROM periods
		WHERE owner_office_id = ? AND deleted_at = '' ORDER BY end_date DESC, start_date DESC`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Period
	for rows.Next() {
		p, err := scanPeriod(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) officeOrSelf(ctx context.Context, officeID string) (string, error) {
	if officeID != "" {
		return officeID, nil
	}
	self, err := s.SelfOffice(ctx)
	return self.ID, err
}

// ensurePeriod returns the office's period for spec, creating it when it
// is new. A new period may not overlap one of the same kind.
func (s *Store) ensurePeriod(ctx context.Context, tx *sql.Tx, actor Actor, officeID string, spec domain.PeriodSpec) (Period, error) {
	p, err := periodByCode(ctx, tx, officeID, spec.Code())
	if err == nil {
		if !p.Start.Equal(spec.Start) || !p.End.Equal(spec.End) {
			return p, &PeriodOverlapError{Period: spec, Other: p.PeriodSpec}
		}
		return p, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return p, err
	}
	other, err := scanPeriod(tx.QueryRowContext(ctx, `SELECT `+periodCols+` FROM periods
		WHERE owner_office_id = ? AND kind = ? AND deleted_at = '' AND start_date <= ? AND end_date >= ? LIMIT 1`,
		officeID, string(spec.Kind), spec.End.Format(domain.DateLayout), spec.Start.Format(domain.DateLayout)))
	if err == nil {
		return p, &PeriodOverlapError{Period: spec, Other: other.PeriodSpec}
	}
	if !errors.Is(err, ErrNotFound) {
		return p, err
	}
	seq, err := nextChange(ctx, tx)
	if err != nil {
		return p, err
	}
	now := s.now()
	p = Period{PeriodSpec: spec, ID: NewID(), OfficeID: officeID, Revision: 1, UpdatedAt: now, UpdatedBy: actor.Name}
	if _, err := tx.ExecContext(ctx, `INSERT INTO periods(id, owner_office_id, kind, code, start_date, end_date, revision, change_seq, created_at, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, p.ID, officeID, string(spec.Kind), spec.Code(),
		spec.Start.Format(domain.DateLayout), spec.End.Format(domain.DateLayout), seq, fmtTime(now), fmtTime(now), actor.Name); err != nil {
		return p, err
	}
	return p, s.audit(ctx, tx, actor, ActionInsert, "period", p.ID, nil, map[string]string{"code": spec.Code()})
}

// ClosePeriod closes (chốt) one of this office's periods. Every row must
// pass every rule and be complete; the rows become final and the period
// read-only. Otherwise a *TallyRulesError lists the failing rows and
// nothing changes.
// CanClosePeriod says, without changing anything, what ClosePeriod would
// refuse: so that the window asks "close?" only about a period that can be.
func (s *Store) CanClosePeriod(ctx context.Context, spec domain.PeriodSpec) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, _, err := closeCheck(ctx, tx, spec)
		return err
	})
}

// closeCheck finds the office's period spec and refuses it when it is
// unknown, closed already, empty, or has a row failing a rule.
func closeCheck(ctx context.Context, tx *sql.Tx, spec domain.PeriodSpec) (Period, PeriodTallies, error) {
	self, err := selfOfficeTx(ctx, tx)
	if err != nil {
		return Period{}, PeriodTallies{}, err
	}
	p, err := periodByCode(ctx, tx, self.ID, spec.Code())
	if errors.Is(err, ErrNotFound) {
		return Period{}, PeriodTallies{}, &PeriodStateError{Code: "tally.period_unknown", Period: spec.Code()}
	} else if err != nil {
		return Period{}, PeriodTallies{}, err
	}
	if p.Closed {
		return Period{}, PeriodTallies{}, &PeriodStateError{Code: "tally.period_closed", Period: spec.Code()}
	}
	pt, err := loadPeriodTallies(ctx, tx, self.ID, p.PeriodSpec)
	if err != nil {
		return p, pt, err
	}
	if len(pt.Rows) == 0 {
		return p, pt, &PeriodStateError{Code: "tally.period_empty", Period: spec.Code()}
	}
	var failing []RowProblems
	for _, f := range pt.Fields {
		if r, ok := pt.Rows[f.ID]; ok {
			if probs := r.Counts.Problems(pt.Prev[f.ID], true); len(probs) > 0 {
				failing = append(failing, RowProblems{FieldID: f.ID, FieldName: f.Name, Final: r.Final, Problems: probs})
			}
		}
	}
	if len(failing) > 0 {
		return p, pt, &TallyRulesError{Period: spec.Code(), Rows: failing}
	}
	return p, pt, nil
}

func (s *Store) ClosePeriod(ctx context.Context, actor Actor, spec domain.PeriodSpec) error {
	if err := actor.require(PermClosePeriod); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, pt, err := closeCheck(ctx, tx, spec)
		if err != nil {
			return err
		}
		now := s.now()
		for _, r := range pt.Rows {
			if r.Final {
				continue
			}
			seq, err := nextChange(ctx, tx)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tallies SET final = 1, revision = revision + 1, change_seq = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
				seq, fmtTime(now), actor.Name, r.ID); err != nil {
				return err
			}
		}
		return s.periodEvent(ctx, tx, actor, p, ActionClose, "")
	})
}

// ReopenPeriod opens a closed period again for editing. The reason is
// required and kept with who reopened it and when.
func (s *Store) ReopenPeriod(ctx context.Context, actor Actor, spec domain.PeriodSpec, reason string) error {
	if err := actor.require(PermClosePeriod); err != nil {
		return err
	}
	reason = cleanText(reason)
	v := &domain.ValidationError{}
	domain.CheckText(v, "reopen_reason", reason, MaxReopenReason, true)
	if err := v.OrNil(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		p, err := periodByCode(ctx, tx, self.ID, spec.Code())
		if errors.Is(err, ErrNotFound) {
			return &PeriodStateError{Code: "tally.period_unknown", Period: spec.Code()}
		} else if err != nil {
			return err
		}
		if !p.Closed {
			return &PeriodStateError{Code: "tally.period_open", Period: spec.Code()}
		}
		return s.periodEvent(ctx, tx, actor, p, ActionReopen, reason)
	})
}

func (s *Store) periodEvent(ctx context.Context, tx *sql.Tx, actor Actor, p Period, action, reason string) error {
	seq, err := nextChange(ctx, tx)
	if err != nil {
		return err
	}
	now := s.now()
	closed, closedAt, closedBy := 0, "", ""
	if action == ActionClose {
		closed, closedAt, closedBy = 1, fmtTime(now), actor.Name
	}
	if _, err := tx.ExecContext(ctx, `UPDATE periods SET closed = ?, closed_at = ?, closed_by = ?, revision = revision + 1, change_seq = ?, updated_at = ?, updated_by = ?
		WHERE id = ?`, closed, closedAt, closedBy, seq, fmtTime(now), actor.Name, p.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO period_events(id, owner_office_id, period_id, action, reason, at, user_id, user_name, change_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), p.OfficeID, p.ID, action, reason, fmtTime(now), actor.UserID, actor.Name, seq); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, action, "period", p.ID, nil, map[string]string{"code": p.Code(), "reason": reason})
}

// PeriodEvents lists a period's closings and reopenings, oldest first.
func (s *Store) PeriodEvents(ctx context.Context, periodID string) ([]PeriodEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT action, reason, at, user_name FROM period_events WHERE period_id = ? ORDER BY at, rowid`, periodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PeriodEvent
	for rows.Next() {
		var e PeriodEvent
		var at string
		if err := rows.Scan(&e.Action, &e.Reason, &at, &e.UserName); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
