package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Merger says that a unit was merged into another from a day on.
type Merger struct {
	OfficeID string
	IntoID   string
	From     time.Time // the first day counted under IntoID
}

// CollectorError is a collecting-office request the data does not allow;
// it says why in the user's language through its code.
type CollectorError struct {
	Code string // "collector.merge_self", "collector.merge_cycle", …
	Args map[string]any
}

func (e *CollectorError) Error() string { return fmt.Sprintf("store: %s %v", e.Code, e.Args) }

// MessageCode implements Coded.
func (e *CollectorError) MessageCode() (string, map[string]any) { return e.Code, e.Args }

// Unwrap makes every CollectorError an ErrConflict for errors.Is.
func (e *CollectorError) Unwrap() error { return ErrConflict }

// MergedAwayError refuses a batch from a unit merged into another, dated
// on or after the merger: from that day its records belong to the new unit.
type MergedAwayError struct {
	Office, Into string // codes
	From         time.Time
	BatchDate    time.Time
	Seq          int64
}

func (e *MergedAwayError) Error() string {
	return fmt.Sprintf("store: batch %d of %s is dated %s, after %s was merged into %s on %s",
		e.Seq, e.Office, e.BatchDate.Format(domain.DateLayout), e.Office, e.Into, e.From.Format(domain.DateLayout))
}

// MessageCode implements Coded.
func (e *MergedAwayError) MessageCode() (string, map[string]any) {
	return "collector.merged_away", map[string]any{"Office": e.Office, "Into": e.Into, "Seq": e.Seq,
		"From": fmtDay(e.From), "Date": fmtDay(e.BatchDate)}
}

func (e *MergedAwayError) Unwrap() error { return ErrConflict }

// MergeOffice marks the unit officeID as merged into intoID from the day
// from on. Both must be other offices enrolled here; a unit cannot join
// itself or a unit that (through others) joined it. Marking it again moves
// the merger.
func (s *Store) MergeOffice(ctx context.Context, actor Actor, officeID, intoID string, from time.Time) error {
	if err := actor.require(PermEnroll); err != nil {
		return err
	}
	if from.IsZero() {
		v := &domain.ValidationError{}
		v.Add("merge_from", "required", nil)
		return v
	}
	from = domain.Day(from)
	return s.tx(ctx, func(tx *sql.Tx) error {
		unit, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, officeID))
		if err != nil {
			return err
		}
		into, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, intoID))
		if err != nil {
			return err
		}
		if unit.Self || unit.ID == into.ID {
			return &CollectorError{Code: "collector.merge_self", Args: map[string]any{"Office": unit.Code}}
		}
		// Walk from the target: reaching the unit would make a cycle.
		for at, n := into.ID, 0; n < 1000; n++ {
			var next string
			err := tx.QueryRowContext(ctx, `SELECT into_id FROM office_mergers WHERE office_id = ?`, at).Scan(&next)
			if errors.Is(err, sql.ErrNoRows) {
				break
			} else if err != nil {
				return err
			}
			if next == unit.ID {
				return &CollectorError{Code: "collector.merge_cycle", Args: map[string]any{"Office": unit.Code, "Into": into.Code}}
			}
			at = next
		}
		old, _, err := mergerOf(ctx, tx, unit.ID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO office_mergers(office_id, into_id, from_date, created_at, created_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(office_id) DO UPDATE SET into_id = excluded.into_id, from_date = excluded.from_date,
				created_at = excluded.created_at, created_by = excluded.created_by`,
			unit.ID, into.ID, from.Format(domain.DateLayout), fmtTime(s.now()), actor.Name); err != nil {
			return err
		}
		var oldV any
		if old != nil {
			oldV = old
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "office_merger", unit.ID, oldV,
			map[string]string{"office": unit.Code, "into": into.Code, "from": from.Format(domain.DateLayout)})
	})
}

// UnmergeOffice removes a unit's merger, for one marked by mistake.
func (s *Store) UnmergeOffice(ctx context.Context, actor Actor, officeID string) error {
	if err := actor.require(PermEnroll); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, ok, err := mergerOf(ctx, tx, officeID)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM office_mergers WHERE office_id = ?`, officeID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionDelete, "office_merger", officeID, old, nil)
	})
}

func mergerOf(ctx context.Context, q queryer, officeID string) (*Merger, bool, error) {
	var m Merger
	var from string
	err := q.QueryRowContext(ctx, `SELECT office_id, into_id, from_date FROM office_mergers WHERE office_id = ?`, officeID).Scan(&m.OfficeID, &m.IntoID, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	m.From, _ = time.Parse(domain.DateLayout, from)
	return &m, true, nil
}

// Mergers lists every merger, by unit.
func (s *Store) Mergers(ctx context.Context) (map[string]Merger, error) {
	return mergersQ(ctx, s.db)
}

func mergersQ(ctx context.Context, q queryer) (map[string]Merger, error) {
	rows, err := q.QueryContext(ctx, `SELECT office_id, into_id, from_date FROM office_mergers`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Merger{}
	for rows.Next() {
		var m Merger
		var from string
		if err := rows.Scan(&m.OfficeID, &m.IntoID, &from); err != nil {
			return nil, err
		}
		m.From, _ = time.Parse(domain.DateLayout, from)
		out[m.OfficeID] = m
	}
	return out, rows.Err()
}

// countedUnder says which unit an office's figures count under for a
// period starting on day d: the unit it was merged into (following chains
// of mergers) when the merger took effect by d, else itself.
func countedUnder(mergers map[string]Merger, office string, d time.Time) string {
	for n := 0; n < len(mergers)+1; n++ {
		m, ok := mergers[office]
		if !ok || d.Before(m.From) {
			return office
		}
		office = m.IntoID
	}
	return office
}

// checkMergedAway refuses a batch from a merged-away unit dated on or
// after the merger; the importer calls it before applying anything.
func checkMergedAway(ctx context.Context, tx *sql.Tx, o domain.Office, seq int64, created time.Time) error {
	m, ok, err := mergerOf(ctx, tx, o.ID)
	if err != nil || !ok {
		return err
	}
	if domain.Day(created).Before(m.From) {
		return nil
	}
	var into string
	if err := tx.QueryRowContext(ctx, `SELECT code FROM offices WHERE id = ?`, m.IntoID).Scan(&into); err != nil {
		return err
	}
	return &MergedAwayError{Office: o.Code, Into: into, From: m.From, BatchDate: created, Seq: seq}
}
