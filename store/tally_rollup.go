package store

import (
	"context"
	"database/sql"
	"sort"
	"time"
)

// RollupQuery asks for tallies combined over a range of days, for one
// office or many.
type RollupQuery struct {
	Start, End time.Time
	OfficeIDs  []string // nil: every office holding periods in the range
}

// RollupRow is one field of one office over the range.
type RollupRow struct {
	OfficeID  string
	FieldID   string
	FieldKey  string // TallyField.Key: the same field in every office
	FieldName string
	Position  int
	Kind      PeriodKind // which stored periods made up the range
	Periods   int        // how many of them
	Rows      int        // how many of them hold a row for this field
	Drafts    int        // how many of those rows are drafts
	// Counts over the range: (3) = (6) of the first period + Σ((4)+(5));
	// (7) to (10) summed; (11) to (13) those of the last period. A column
	// is nil unless every period reported what it needs.
	Counts Counts
}

// Rollup is the result of a range roll-up.
type Rollup struct {
	Start, End time.Time
	Rows       []RollupRow // by office, then field position
	// Uncovered lists offices asked for (or holding periods in the range)
	// whose stored periods of no single kind cover the range day for day.
	Uncovered []string
}

type officeKind struct {
	office string
	kind   PeriodKind
}

type rollKey struct {
	office, kind, field string
}

// Rollup combines stored tallies over [q.Start, q.End]. For each office it
// uses the finest kind of stored period (months before quarters …) whose
// periods tile the range exactly; received is counted as the first
// period's carry-over plus new receipts, never as a sum of (3), which would
// count carry-overs twice (domain.md §2).
func (s *Store) Rollup(ctx context.Context, q RollupQuery) (Rollup, error) {
	out := Rollup{Start: day(q.Start), End: day(q.End)}
	start, end := out.Start.Format(dateLayout), out.End.Format(dateLayout)
	want := map[string]bool{}
	for _, id := range q.OfficeIDs {
		want[id] = true
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		chosen, uncovered, err := tilingKinds(ctx, tx, start, end, out.Start, out.End, want)
		if err != nil {
			return err
		}
		out.Uncovered = uncovered
		if len(chosen) == 0 {
			return nil
		}
		fields, err := rollupFields(ctx, tx)
		if err != nil {
			return err
		}
		acc := map[rollKey]*RollupRow{}
		get := func(k rollKey) *RollupRow {
			r := acc[k]
			if r == nil {
				f := fields[k.field]
				r = &RollupRow{OfficeID: k.office, FieldID: k.field, FieldKey: f.Key(), FieldName: f.Name, Position: f.Position,
					Kind: PeriodKind(k.kind), Periods: chosen[officeKind{k.office, PeriodKind(k.kind)}]}
				acc[k] = r
			}
			return r
		}
		keep := func(office, kind string) bool { return chosen[officeKind{office, PeriodKind(kind)}] > 0 }

		// Sums of new receipts and of processed dossiers, with how many
		// periods reported each, so a gap shows as nil rather than a
		// smaller number.
		rows, err := tx.QueryContext(ctx, `SELECT p.owner_office_id, p.kind, t.field_id, count(*), sum(t.final),
				sum(t.c4), count(t.c4), sum(t.c5), count(t.c5),
				sum(COALESCE(t.c7, t.c8 + t.c9 + t.c10)), count(COALESCE(t.c7, t.c8 + t.c9 + t.c10)),
				sum(t.c8), count(t.c8), sum(t.c9), count(t.c9), sum(t.c10), count(t.c10)
			FROM periods p JOIN tallies t ON t.period_id = p.id
			WHERE p.deleted_at = '' AND t.deleted_at = '' AND p.start_date >= ? AND p.end_date <= ?
			GROUP BY p.owner_office_id, p.kind, t.field_id`, start, end)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k rollKey
			var n, finals int
			var sums [6]sql.NullInt64
			var counts [6]int
			if err := rows.Scan(&k.office, &k.kind, &k.field, &n, &finals,
				&sums[0], &counts[0], &sums[1], &counts[1], &sums[2], &counts[2], &sums[3], &counts[3], &sums[4], &counts[4], &sums[5], &counts[5]); err != nil {
				rows.Close()
				return err
			}
			if !keep(k.office, k.kind) {
				continue
			}
			r := get(k)
			r.Rows, r.Drafts = n, n-finals
			cols := [6]int{ColOnline, ColInPerson, ColProcessed, ColEarly, ColOnTime, ColLate}
			for i, col := range cols {
				if counts[i] == r.Periods && sums[i].Valid {
					r.Counts[col] = V(sums[i].Int64)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := rollupEdges(ctx, tx, start, end, keep, get); err != nil {
			return err
		}
		for _, r := range acc {
			if c6, ok := r.Counts.Get(ColCarried); ok {
				if s, ok := r.Counts.sumOf(ColOnline, ColInPerson); ok {
					r.Counts[ColReceived] = V(c6 + s)
				}
			}
			out.Rows = append(out.Rows, *r)
		}
		return nil
	})
	sort.Slice(out.Rows, func(i, j int) bool {
		a, b := out.Rows[i], out.Rows[j]
		if a.OfficeID != b.OfficeID {
			return a.OfficeID < b.OfficeID
		}
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return a.FieldKey < b.FieldKey
	})
	return out, err
}

// rollupEdges takes (6) from the first period and (11)–(13) from the last.
func rollupEdges(ctx context.Context, tx *sql.Tx, start, end string, keep func(string, string) bool, get func(rollKey) *RollupRow) error {
	first, err := tx.QueryContext(ctx, `SELECT p.owner_office_id, p.kind, t.field_id, t.c6
		FROM periods p JOIN tallies t ON t.period_id = p.id
		WHERE p.deleted_at = '' AND t.deleted_at = '' AND p.start_date = ? AND p.end_date <= ?`, start, end)
	if err != nil {
		return err
	}
	for first.Next() {
		var k rollKey
		var c6 sql.NullInt64
		if err := first.Scan(&k.office, &k.kind, &k.field, &c6); err != nil {
			first.Close()
			return err
		}
		if keep(k.office, k.kind) && c6.Valid {
			get(k).Counts[ColCarried] = V(c6.Int64)
		}
	}
	first.Close()
	if err := first.Err(); err != nil {
		return err
	}
	last, err := tx.QueryContext(ctx, `SELECT p.owner_office_id, p.kind, t.field_id, t.c11, t.c12, t.c13
		FROM periods p JOIN tallies t ON t.period_id = p.id
		WHERE p.deleted_at = '' AND t.deleted_at = '' AND p.end_date = ? AND p.start_date >= ?`, end, start)
	if err != nil {
		return err
	}
	defer last.Close()
	for last.Next() {
		var k rollKey
		var c [3]sql.NullInt64
		if err := last.Scan(&k.office, &k.kind, &k.field, &c[0], &c[1], &c[2]); err != nil {
			return err
		}
		if !keep(k.office, k.kind) {
			continue
		}
		var tail Counts
		for i, col := range []int{ColInProgress, ColWithin, ColOverdue} {
			if c[i].Valid {
				tail[col] = V(c[i].Int64)
			}
		}
		tail = tail.Effective()
		r := get(k)
		for _, col := range []int{ColInProgress, ColWithin, ColOverdue} {
			r.Counts[col] = tail[col]
		}
	}
	return last.Err()
}

// tilingKinds picks, for each office, the finest kind of period that tiles
// [start, end], and how many periods that takes.
func tilingKinds(ctx context.Context, tx *sql.Tx, start, end string, from, to time.Time, want map[string]bool) (map[officeKind]int, []string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT owner_office_id, kind, start_date, end_date FROM periods
		WHERE deleted_at = '' AND start_date >= ? AND end_date <= ?
		ORDER BY owner_office_id, kind, start_date`, start, end)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	type run struct {
		next  time.Time // the day the next period must start
		n     int
		broke bool
	}
	runs := map[officeKind]*run{}
	offices := map[string]bool{}
	for rows.Next() {
		var office, kind, s, e string
		if err := rows.Scan(&office, &kind, &s, &e); err != nil {
			return nil, nil, err
		}
		if len(want) > 0 && !want[office] {
			continue
		}
		offices[office] = true
		k := officeKind{office, PeriodKind(kind)}
		r := runs[k]
		if r == nil {
			r = &run{next: from}
			runs[k] = r
		}
		ps, _ := time.Parse(dateLayout, s)
		pe, _ := time.Parse(dateLayout, e)
		if !ps.Equal(r.next) {
			r.broke = true
		}
		r.next = pe.AddDate(0, 0, 1)
		r.n++
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for id := range want {
		offices[id] = true
	}
	chosen := map[officeKind]int{}
	var uncovered []string
	for office := range offices {
		found := false
		for _, kind := range PeriodKinds {
			if r := runs[officeKind{office, kind}]; r != nil && !r.broke && r.next.Equal(to.AddDate(0, 0, 1)) {
				chosen[officeKind{office, kind}] = r.n
				found = true
				break
			}
		}
		if !found {
			uncovered = append(uncovered, office)
		}
	}
	sort.Strings(uncovered)
	return chosen, uncovered, nil
}

func rollupFields(ctx context.Context, tx *sql.Tx) (map[string]TallyField, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, owner_office_id, code, name, position FROM tally_fields`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]TallyField{}
	for rows.Next() {
		var f TallyField
		if err := rows.Scan(&f.ID, &f.OfficeID, &f.Code, &f.Name, &f.Position); err != nil {
			return nil, err
		}
		out[f.ID] = f
	}
	return out, rows.Err()
}

// ByField sums the rows over offices, one row per field key, in form
// order: what a collecting office reports for all its units. A column is
// nil when any office's is.
func (r Rollup) ByField() []RollupRow {
	idx := map[string]int{}
	var out []RollupRow
	for _, row := range r.Rows {
		i, ok := idx[row.FieldKey]
		if !ok {
			idx[row.FieldKey] = len(out)
			row.OfficeID, row.FieldID = "", ""
			out = append(out, row)
			continue
		}
		acc := &out[i]
		acc.Position = min(acc.Position, row.Position)
		acc.Periods += row.Periods
		acc.Rows += row.Rows
		acc.Drafts += row.Drafts
		acc.Counts = addCounts(acc.Counts, row.Counts)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

// Total sums rows (of one office, or ByField's) into the form's totals row.
func Total(rows []RollupRow) Counts {
	var c Counts
	for i, r := range rows {
		if i == 0 {
			c = r.Counts
			continue
		}
		c = addCounts(c, r.Counts)
	}
	return c
}

func addCounts(a, b Counts) Counts {
	var out Counts
	for col := FirstCol; col <= LastCol; col++ {
		if a[col] != nil && b[col] != nil {
			out[col] = V(*a[col] + *b[col])
		}
	}
	return out
}
