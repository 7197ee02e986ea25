package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"time"
)

// Tally is one row of Biểu 06: one office, one period, one field.
type Tally struct {
	ID        string
	OfficeID  string
	PeriodID  string
	FieldID   string
	Counts    domain.Counts // as stored: totals only when typed; see Counts.Effective
	Final     bool          // a final row passes every rule; a draft may not
	Revision  int64
	UpdatedAt time.Time
	UpdatedBy string
}

// PeriodTallies is one office's form for one period, with what the rules
// need: the previous period's in-progress counts.
type PeriodTallies struct {
	Spec     domain.PeriodSpec
	Period   Period // zero ID while the period is not stored yet
	Stored   bool
	Fields   []TallyField                // enabled fields, and disabled ones holding a row here
	Rows     map[string]Tally            // by field ID
	Prev     map[string]*int64           // the previous period's effective (11), by field ID
	PrevCode string                      // the period Prev comes from; "" when none is stored
	Problems map[string][]domain.Problem // by field ID, for the rows' own final state
	Totals   domain.Counts               // the totals row: each column summed over the rows
	Rates    map[string]domain.Rates     // by field ID
}

// Closed reports whether the period is stored and closed.
func (pt PeriodTallies) Closed() bool { return pt.Stored && pt.Period.Closed }

const tallyCols = `id, owner_office_id, period_id, field_id, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, final, revision, updated_at, updated_by`

func scanTally(row interface{ Scan(...any) error }) (Tally, error) {
	var t Tally
	var c [11]sql.NullInt64
	var final int
	var upd string
	err := row.Scan(&t.ID, &t.OfficeID, &t.PeriodID, &t.FieldID, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8], &c[9], &c[10],
		&final, &t.Revision, &upd, &t.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	for i, v := range c {
		if v.Valid {
			t.Counts[domain.FirstCol+i] = domain.V(v.Int64)
		}
	}
	t.Final = final == 1
	t.UpdatedAt = parseTime(upd)
	return t, err
}

func countArgs(c domain.Counts) []any {
	out := make([]any, 0, 11)
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		if c[col] == nil {
			out = append(out, nil)
		} else {
			out = append(out, *c[col])
		}
	}
	return out
}

// PeriodTallies loads an office's form for a period. officeID "" means this
// office. A period that is not stored yet gives an empty form, with the
// previous period's counts ready for (6).
func (s *Store) PeriodTallies(ctx context.Context, officeID string, spec domain.PeriodSpec) (PeriodTallies, error) {
	officeID, err := s.officeOrSelf(ctx, officeID)
	if err != nil {
		return PeriodTallies{}, err
	}
	var pt PeriodTallies
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		pt, err = loadPeriodTallies(ctx, tx, officeID, spec)
		return err
	})
	return pt, err
}

// readTx runs fn in a transaction that only reads, so what it reads is one
// consistent state.
func (s *Store) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(err)
	}
	defer tx.Rollback()
	return classifyKeep(fn(tx))
}

func loadPeriodTallies(ctx context.Context, q queryer, officeID string, spec domain.PeriodSpec) (PeriodTallies, error) {
	pt := PeriodTallies{Spec: spec, Rows: map[string]Tally{}, Problems: map[string][]domain.Problem{}, Rates: map[string]domain.Rates{}}
	fields, err := tallyFieldsQ(ctx, q, officeID)
	if err != nil {
		return pt, err
	}
	p, err := periodByCode(ctx, q, officeID, spec.Code())
	switch {
	case err == nil:
		pt.Period, pt.Stored = p, true
		pt.Spec = p.PeriodSpec
	case !errors.Is(err, ErrNotFound):
		return pt, err
	}
	if pt.Stored {
		rows, err := q.QueryContext(ctx, `SELECT `+tallyCols+` FROM tallies WHERE period_id = ? AND deleted_at = ''`, p.ID)
		if err != nil {
			return pt, err
		}
		for rows.Next() {
			t, err := scanTally(rows)
			if err != nil {
				rows.Close()
				return pt, err
			}
			pt.Rows[t.FieldID] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return pt, err
		}
	}
	for _, f := range fields {
		if _, has := pt.Rows[f.ID]; has || !f.Disabled {
			pt.Fields = append(pt.Fields, f)
		}
	}
	pt.PrevCode, pt.Prev, err = previousInProgress(ctx, q, officeID, pt.Spec)
	if err != nil {
		return pt, err
	}
	var all []domain.Counts
	for id, r := range pt.Rows {
		pt.Problems[id] = r.Counts.Problems(pt.Prev[id], r.Final)
		pt.Rates[id] = r.Counts.Rates()
		all = append(all, r.Counts)
	}
	pt.Totals = domain.SumRows(all)
	return pt, nil
}

// previousInProgress finds the stored period that ends the day before spec
// starts (of the same kind if there is one, else the shortest) and returns
// its code and each field's effective (11): what this period's (6) must be.
func previousInProgress(ctx context.Context, q queryer, officeID string, spec domain.PeriodSpec) (string, map[string]*int64, error) {
	out := map[string]*int64{}
	rows, err := q.QueryContext(ctx, `SELECT id, kind, code FROM periods
		WHERE owner_office_id = ? AND end_date = ? AND deleted_at = ''`, officeID, spec.Start.AddDate(0, 0, -1).Format(domain.DateLayout))
	if err != nil {
		return "", nil, err
	}
	var id, code string
	rank := len(domain.PeriodKinds) + 1
	for rows.Next() {
		var pid, kind, c string
		if err := rows.Scan(&pid, &kind, &c); err != nil {
			rows.Close()
			return "", nil, err
		}
		r := kindRank(domain.PeriodKind(kind))
		if domain.PeriodKind(kind) == spec.Kind {
			r = -1
		}
		if r < rank {
			id, code, rank = pid, c, r
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || id == "" {
		return "", out, err
	}
	trs, err := q.QueryContext(ctx, `SELECT field_id, c11, c12, c13 FROM tallies WHERE period_id = ? AND deleted_at = ''`, id)
	if err != nil {
		return "", nil, err
	}
	defer trs.Close()
	for trs.Next() {
		var fid string
		var c domain.Counts
		var c11, c12, c13 sql.NullInt64
		if err := trs.Scan(&fid, &c11, &c12, &c13); err != nil {
			return "", nil, err
		}
		for col, v := range map[int]sql.NullInt64{domain.ColInProgress: c11, domain.ColWithin: c12, domain.ColOverdue: c13} {
			if v.Valid {
				c[col] = domain.V(v.Int64)
			}
		}
		if v := c.CarriedOut(); v != nil {
			out[fid] = v
		}
	}
	return code, out, trs.Err()
}

func kindRank(k domain.PeriodKind) int {
	for i, v := range domain.PeriodKinds {
		if v == k {
			return i
		}
	}
	return len(domain.PeriodKinds)
}

// TallyInput is one row to save.
type TallyInput struct {
	FieldID string
	Counts  domain.Counts
	Final   bool
	// FinalIfPasses makes the row final when it passes every rule and a
	// draft otherwise, instead of refusing it: what an import does.
	FinalIfPasses bool
}

// SaveResult says what a save did: rows written, and the drafts kept with
// their problems.
type SaveResult struct {
	Period  Period
	Rows    int // rows of the input stored with figures (blank ones are not)
	Cleared int // stored rows the input left blank, and so cleared
	Written int
	Finals  int // rows now final
	Drafts  []RowProblems
}

// SaveTallies stores rows of this office's form for a period, creating the
// period when it is new, all in one transaction. (6) left blank is filled
// from the previous period's (11). A row asked to be final must pass every
// rule; if any does not, a *TallyRulesError lists them and nothing is
// stored. A closed period refuses every change. A row whose columns are
// all blank removes the stored row.
func (s *Store) SaveTallies(ctx context.Context, actor Actor, spec domain.PeriodSpec, rows []TallyInput) (SaveResult, error) {
	res, err := s.ImportTallies(ctx, actor, []PeriodRows{{Spec: spec, Rows: rows}}, false)
	if len(res) == 1 {
		return res[0], err
	}
	return SaveResult{}, err
}

// PeriodRows are the rows to save into one period.
type PeriodRows struct {
	Spec domain.PeriodSpec
	Rows []TallyInput
}

// ImportTallies saves rows into several periods in one transaction: all of
// them are stored or none. With dryRun, everything is checked and nothing
// is kept.
func (s *Store) ImportTallies(ctx context.Context, actor Actor, batches []PeriodRows, dryRun bool) ([]SaveResult, error) {
	if err := actor.require(PermEdit); err != nil {
		return nil, err
	}
	for _, b := range batches {
		for _, r := range b.Rows {
			if err := r.Counts.Validate(); err != nil {
				return nil, err
			}
		}
	}
	var out []SaveResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		out = nil
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		for _, b := range batches {
			res, err := s.saveTx(ctx, tx, actor, self, b.Spec, b.Rows)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		if dryRun {
			return errTallyDryRun
		}
		return nil
	})
	if errors.Is(err, errTallyDryRun) {
		err = nil
	}
	return out, err
}

// errTallyDryRun rolls a dry run's transaction back.
var errTallyDryRun = errors.New("store: dry run")

func (s *Store) saveTx(ctx context.Context, tx *sql.Tx, actor Actor, self domain.Office, spec domain.PeriodSpec, rows []TallyInput) (SaveResult, error) {
	var res SaveResult
	p, err := s.ensurePeriod(ctx, tx, actor, self.ID, spec)
	if err != nil {
		return res, err
	}
	if p.Closed {
		return res, &PeriodStateError{Code: "tally.period_closed", Period: spec.Code()}
	}
	res.Period = p
	pt, err := loadPeriodTallies(ctx, tx, self.ID, spec)
	if err != nil {
		return res, err
	}
	fields, err := tallyFieldsQ(ctx, tx, self.ID)
	if err != nil {
		return res, err
	}
	byID := map[string]TallyField{}
	for _, f := range fields {
		byID[f.ID] = f
	}
	var failing []RowProblems
	seen := map[string]bool{}
	for _, in := range rows {
		f, ok := byID[in.FieldID]
		if !ok {
			return res, &domain.ValidationError{Fields: []domain.FieldError{{Field: "tally_field_name", Code: "tally.field_unknown", Args: map[string]any{"Name": in.FieldID}}}}
		}
		if seen[in.FieldID] {
			return res, &domain.ValidationError{Fields: []domain.FieldError{{Field: "tally_field_name", Code: "tally.field_twice", Args: map[string]any{"Name": f.Name, "Period": spec.Code()}}}}
		}
		seen[in.FieldID] = true
		if old, had := pt.Rows[f.ID]; in.Counts.Empty() {
			// A row left blank: for a field never reported nothing to
			// store or say; a stored row is cleared, as emptying it on the
			// page does, with no carry-over put back into (6).
			if had {
				changed, err := s.writeTally(ctx, tx, actor, p, f.ID, old, true, domain.Counts{}, false)
				if err != nil {
					return res, err
				}
				if changed {
					res.Written++
					res.Cleared++
				}
			}
			continue
		}
		res.Rows++
		c := in.Counts.WithCarried(pt.Prev[f.ID])
		final := in.Final
		if in.FinalIfPasses {
			final = len(c.Problems(pt.Prev[f.ID], true)) == 0
		}
		probs := c.Problems(pt.Prev[f.ID], final || in.FinalIfPasses)
		if final && len(probs) > 0 {
			failing = append(failing, RowProblems{FieldID: f.ID, FieldName: f.Name, Final: true, Problems: probs})
			continue
		}
		if len(probs) > 0 {
			res.Drafts = append(res.Drafts, RowProblems{FieldID: f.ID, FieldName: f.Name, Problems: probs})
		}
		if final {
			res.Finals++
		}
		old, had := pt.Rows[f.ID]
		changed, err := s.writeTally(ctx, tx, actor, p, f.ID, old, had, c, final)
		if err != nil {
			return res, err
		}
		if changed {
			res.Written++
		}
	}
	if len(failing) > 0 {
		return res, &TallyRulesError{Period: spec.Code(), Rows: failing}
	}
	return res, nil
}

// writeTally inserts, updates or tombstones one row; an unchanged row is
// left alone so its revision and change number stay.
func (s *Store) writeTally(ctx context.Context, tx *sql.Tx, actor Actor, p Period, fieldID string, old Tally, had bool, c domain.Counts, final bool) (bool, error) {
	if !had && c.Empty() {
		return false, nil
	}
	if had && old.Final == final && countsEqual(old.Counts, c) {
		return false, nil
	}
	seq, err := nextChange(ctx, tx)
	if err != nil {
		return false, err
	}
	now := fmtTime(s.now())
	fin := 0
	if final {
		fin = 1
	}
	t := Tally{ID: old.ID, OfficeID: p.OfficeID, PeriodID: p.ID, FieldID: fieldID, Counts: c, Final: final, Revision: old.Revision + 1}
	switch {
	case had && c.Empty():
		_, err = tx.ExecContext(ctx, `UPDATE tallies SET deleted_at = ?, revision = revision + 1, change_seq = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			now, seq, now, actor.Name, old.ID)
		if err == nil {
			err = s.audit(ctx, tx, actor, ActionDelete, "tally", old.ID, old, nil)
		}
	case had:
		args := append(countArgs(c), fin, seq, now, actor.Name, old.ID)
		_, err = tx.ExecContext(ctx, `UPDATE tallies SET c3 = ?, c4 = ?, c5 = ?, c6 = ?, c7 = ?, c8 = ?, c9 = ?, c10 = ?, c11 = ?, c12 = ?, c13 = ?,
			final = ?, revision = revision + 1, change_seq = ?, updated_at = ?, updated_by = ? WHERE id = ?`, args...)
		if err == nil {
			err = s.audit(ctx, tx, actor, ActionUpdate, "tally", old.ID, old, t)
		}
	default:
		t.ID, t.Revision = NewID(), 1
		args := append([]any{t.ID, p.OfficeID, p.ID, fieldID}, countArgs(c)...)
		args = append(args, fin, seq, now, now, actor.Name)
		_, err = tx.ExecContext(ctx, `INSERT INTO tallies(id, owner_office_id, period_id, field_id, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13,
			final, revision, change_seq, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, args...)
		if err == nil {
			err = s.audit(ctx, tx, actor, ActionInsert, "tally", t.ID, nil, t)
		}
	}
	return err == nil, err
}

func countsEqual(a, b domain.Counts) bool {
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		if (a[col] == nil) != (b[col] == nil) || (a[col] != nil && *a[col] != *b[col]) {
			return false
		}
	}
	return true
}
