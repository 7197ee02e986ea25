package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// RollupQuery asks for tallies combined over a range of days, for one
// office or many.
type RollupQuery struct {
	Start, End time.Time
	OfficeIDs  []string // nil: every office holding periods in the range
	// Partial rolls up an office whose periods do not tile the range from
	// what it has (its finest kind of period within the range), and says
	// in Rollup.Gaps what is missing; without it such an office is only
	// listed in Uncovered.
	Partial bool
}

// Gap is a stretch of a range that no stored period of Kind covers.
type Gap struct {
	Kind       domain.PeriodKind
	Start, End time.Time
}

// Periods names the periods of the gap's kind that fall in it: "the
// missing months".
func (g Gap) Periods(cutoff int) []domain.PeriodSpec {
	var out []domain.PeriodSpec
	for d := g.Start; !d.After(g.End) && len(out) < 400; {
		ps := domain.PeriodOf(g.Kind, d, cutoff)
		if ps.End.Before(d) {
			break
		}
		out = append(out, ps)
		d = ps.End.AddDate(0, 0, 1)
	}
	return out
}

// RollupRow is one field of one office over the range.
type RollupRow struct {
	OfficeID  string
	FieldID   string
	FieldKey  string // TallyField.Key: the same field in every office
	FieldName string
	Position  int
	Kind      domain.PeriodKind // which stored periods made up the range
	Periods   int               // how many of them
	Rows      int               // how many of them hold a row for this field
	Drafts    int               // how many of those rows are drafts
	// Counts over the range: (3) = (6) of the first period + Σ((4)+(5));
	// (7) to (10) summed; (11) to (13) those of the last period. A column
	// is nil unless every period reported what it needs.
	Counts domain.Counts
}

// Rollup is the result of a range roll-up.
type Rollup struct {
	Start, End time.Time
	Rows       []RollupRow // by office, then field position
	// Uncovered lists offices asked for (or holding periods in the range)
	// whose stored periods of no single kind cover the range day for day.
	Uncovered []string
	// Gaps, with RollupQuery.Partial, are what each office rolled up from
	// part of the range lacks.
	Gaps map[string][]Gap
}

type officeKind struct {
	office string
	kind   domain.PeriodKind
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
	out := Rollup{Start: domain.Day(q.Start), End: domain.Day(q.End)}
	start, end := out.Start.Format(domain.DateLayout), out.End.Format(domain.DateLayout)
	want := map[string]bool{}
	for _, id := range q.OfficeIDs {
		want[id] = true
	}
	err := s.bigReadTx(ctx, func(tx *sql.Tx) error {
		chosen, uncovered, gaps, err := tilingKinds(ctx, tx, start, end, out.Start, out.End, want, q.Partial)
		if err != nil {
			return err
		}
		out.Uncovered, out.Gaps = uncovered, gaps
		if len(chosen) == 0 {
			return nil
		}
		fields, err := rollupFields(ctx, tx)
		if err != nil {
			return err
		}
		// A reporting year whose periods all lie in the range is read
		// from its stored sums (migration 0009), one row per unit and
		// field instead of one per period; only the periods of other
		// years are summed row by row.
		whole, err := wholeYears(ctx, tx, out.Start, out.End, chosen)
		if err != nil {
			return err
		}
		parts := map[rollKey]*rollPart{}
		if err := rollupYearSums(ctx, tx, whole, parts); err != nil {
			return err
		}
		// One small query per office for the rest: its periods are found
		// by the (office, kind, start) index and its rows lie together, so
		// no query sorts the whole table. Counts of blank cells come with
		// the sums, so a gap shows as nil rather than a smaller number.
		c7 := effectiveSQL("t", domain.ColProcessed)
		stmt, err := tx.PrepareContext(ctx, `SELECT t.field_id, count(*), sum(t.final),
				ifnull(sum(t.c4), 0), ifnull(sum(t.c5), 0), ifnull(sum(`+c7+`), 0), ifnull(sum(t.c8), 0), ifnull(sum(t.c9), 0), ifnull(sum(t.c10), 0),
				sum(t.c4 IS NULL), sum(t.c5 IS NULL), sum(`+c7+` IS NULL),
				sum(t.c8 IS NULL), sum(t.c9 IS NULL), sum(t.c10 IS NULL)
			FROM periods p JOIN tallies t ON t.period_id = p.id AND t.deleted_at = ''
			WHERE p.owner_office_id = ?1 AND p.kind = ?2 AND p.deleted_at = '' AND p.start_date >= ?3 AND p.end_date <= ?4
				AND substr(p.code, 1, 4) NOT IN (SELECT value FROM json_each(?5))
			GROUP BY t.field_id`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for ok, n := range chosen {
			w := whole[ok]
			if w.periods == n {
				continue // every period is in a stored year
			}
			if err := rollupRows(ctx, stmt, start, end, ok, w.years, parts); err != nil {
				return err
			}
		}
		acc := map[rollKey]*RollupRow{}
		for k, p := range parts {
			ok := officeKind{k.office, domain.PeriodKind(k.kind)}
			n, chosenKind := chosen[ok]
			if !chosenKind || p.n == 0 {
				continue
			}
			f := fields[k.field]
			r := &RollupRow{OfficeID: k.office, FieldID: k.field, FieldKey: f.Key(), FieldName: f.Name, Position: f.Position,
				Kind: ok.kind, Periods: n, Rows: p.n, Drafts: p.n - p.finals}
			for i, col := range rollCols {
				if p.blanks[i] == 0 && p.n == n {
					r.Counts[col] = domain.V(p.sums[i])
				}
			}
			acc[k] = r
		}
		if err := rollupEdges(ctx, tx, start, end, acc); err != nil {
			return err
		}
		for _, r := range acc {
			if c6, ok := r.Counts.Get(domain.ColCarried); ok {
				if s, ok := r.Counts.SumOf(domain.ColOnline, domain.ColInPerson); ok {
					r.Counts[domain.ColReceived] = domain.V(c6 + s)
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

// rollCols are the columns a roll-up sums, in the order of rollPart.
var rollCols = [6]int{domain.ColOnline, domain.ColInPerson, domain.ColProcessed, domain.ColEarly, domain.ColOnTime, domain.ColLate}

// rollPart adds up one unit's field over some of the range's periods.
type rollPart struct {
	n, finals int      // rows, and final rows among them
	sums      [6]int64 // of rollCols, over the rows that report them
	blanks    [6]int64 // rows leaving each of rollCols blank
}

func (p *rollPart) add(n, finals int, sums, blanks [6]int64) {
	p.n += n
	p.finals += finals
	for i := range sums {
		p.sums[i] += sums[i]
		p.blanks[i] += blanks[i]
	}
}

func part(parts map[rollKey]*rollPart, k rollKey) *rollPart {
	p := parts[k]
	if p == nil {
		p = &rollPart{}
		parts[k] = p
	}
	return p
}

// rollupYearSumsOn lets the tests compare the stored year sums with the
// rows they stand for.
var rollupYearSumsOn = true

// wholeRange is what the stored year sums give one office and kind.
type wholeRange struct {
	years   []string // reporting years whose every period is in the range
	periods int      // how many periods those years hold
}

// wholeYears finds, for the offices and kinds chosen, the reporting years
// whose every live period lies in [from, to].
func wholeYears(ctx context.Context, tx *sql.Tx, from, to time.Time, chosen map[officeKind]int) (map[officeKind]wholeRange, error) {
	if !rollupYearSumsOn {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT office_id, kind, year, periods FROM tally_year_periods
		WHERE year BETWEEN ? AND ? AND first_start >= ? AND last_end <= ?`,
		fmt.Sprintf("%04d", from.Year()-1), fmt.Sprintf("%04d", to.Year()+1), from.Format(domain.DateLayout), to.Format(domain.DateLayout))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[officeKind]wholeRange{}
	for rows.Next() {
		var office, kind, year string
		var n int
		if err := rows.Scan(&office, &kind, &year, &n); err != nil {
			return nil, err
		}
		ok := officeKind{office, domain.PeriodKind(kind)}
		if _, want := chosen[ok]; !want {
			continue
		}
		w := out[ok]
		w.years = append(w.years, year)
		w.periods += n
		out[ok] = w
	}
	return out, rows.Err()
}

// rollupYearSums adds the stored sums of every whole year.
func rollupYearSums(ctx context.Context, tx *sql.Tx, whole map[officeKind]wholeRange, parts map[rollKey]*rollPart) error {
	years := map[string]bool{}
	want := map[[3]string]bool{}
	for ok, w := range whole {
		for _, y := range w.years {
			years[y] = true
			want[[3]string{ok.office, string(ok.kind), y}] = true
		}
	}
	if len(years) == 0 {
		return nil
	}
	list := make([]string, 0, len(years))
	for y := range years {
		list = append(list, y)
	}
	js, err := json.Marshal(list)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT year, kind, office_id, field_id, n, finals, s4, s5, s7, s8, s9, s10, b4, b5, b7, b8, b9, b10
		FROM tally_year_sums WHERE year IN (SELECT value FROM json_each(?))`, string(js))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var year, kind, office, field string
		var n, finals int
		var sums, blanks [6]int64
		if err := rows.Scan(&year, &kind, &office, &field, &n, &finals,
			&sums[0], &sums[1], &sums[2], &sums[3], &sums[4], &sums[5],
			&blanks[0], &blanks[1], &blanks[2], &blanks[3], &blanks[4], &blanks[5]); err != nil {
			return err
		}
		if want[[3]string{office, kind, year}] {
			part(parts, rollKey{office, kind, field}).add(n, finals, sums, blanks)
		}
	}
	return rows.Err()
}

// rollupRows adds, row by row, one office's periods of the range that are
// not in a whole stored year.
func rollupRows(ctx context.Context, stmt *sql.Stmt, start, end string, ok officeKind, skipYears []string, parts map[rollKey]*rollPart) error {
	skip, err := json.Marshal(append([]string{}, skipYears...))
	if err != nil {
		return err
	}
	rows, err := stmt.QueryContext(ctx, ok.office, string(ok.kind), start, end, string(skip))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var field string
		var n, finals int
		var s, b [6]int64
		if err := rows.Scan(&field, &n, &finals, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]); err != nil {
			return err
		}
		part(parts, rollKey{ok.office, string(ok.kind), field}).add(n, finals, s, b)
	}
	return rows.Err()
}

// rollupEdges takes (6) from each office's first period and (11)–(13)
// from its last, in two passes over those periods' rows only.
func rollupEdges(ctx context.Context, tx *sql.Tx, start, end string, acc map[rollKey]*RollupRow) error {
	first, err := tx.QueryContext(ctx, `SELECT p.owner_office_id, p.kind, t.field_id, t.c6
		FROM periods p JOIN tallies t ON t.period_id = p.id AND t.deleted_at = ''
		WHERE p.deleted_at = '' AND p.start_date = ? AND p.end_date <= ?`, start, end)
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
		if r := acc[k]; r != nil && c6.Valid {
			r.Counts[domain.ColCarried] = domain.V(c6.Int64)
		}
	}
	first.Close()
	if err := first.Err(); err != nil {
		return err
	}
	last, err := tx.QueryContext(ctx, `SELECT p.owner_office_id, p.kind, t.field_id, t.c11, t.c12, t.c13
		FROM periods p JOIN tallies t ON t.period_id = p.id AND t.deleted_at = ''
		WHERE p.deleted_at = '' AND p.end_date = ? AND p.start_date >= ?`, end, start)
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
		r := acc[k]
		if r == nil {
			continue
		}
		var tail domain.Counts
		for i, col := range [3]int{domain.ColInProgress, domain.ColWithin, domain.ColOverdue} {
			if c[i].Valid {
				tail[col] = domain.V(c[i].Int64)
			}
		}
		tail = tail.Effective()
		for _, col := range [3]int{domain.ColInProgress, domain.ColWithin, domain.ColOverdue} {
			r.Counts[col] = tail[col]
		}
	}
	return last.Err()
}

// tilingKinds picks, for each office, the finest kind of period that tiles
// [start, end], and how many periods that takes.
func tilingKinds(ctx context.Context, tx *sql.Tx, start, end string, from, to time.Time, want map[string]bool, partial bool) (map[officeKind]int, []string, map[string][]Gap, error) {
	rows, err := tx.QueryContext(ctx, `SELECT owner_office_id, kind, start_date, end_date FROM periods
		WHERE deleted_at = '' AND start_date >= ? AND end_date <= ?
		ORDER BY owner_office_id, kind, start_date`, start, end)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	type run struct {
		next  time.Time // the day the next period must start
		n     int
		broke bool
		gaps  []Gap
	}
	runs := map[officeKind]*run{}
	offices := map[string]bool{}
	for rows.Next() {
		var office, kind, s, e string
		if err := rows.Scan(&office, &kind, &s, &e); err != nil {
			return nil, nil, nil, err
		}
		if len(want) > 0 && !want[office] {
			continue
		}
		offices[office] = true
		k := officeKind{office, domain.PeriodKind(kind)}
		r := runs[k]
		if r == nil {
			r = &run{next: from}
			runs[k] = r
		}
		ps, _ := time.Parse(domain.DateLayout, s)
		pe, _ := time.Parse(domain.DateLayout, e)
		if !ps.Equal(r.next) {
			r.broke = true
			if ps.After(r.next) {
				r.gaps = append(r.gaps, Gap{Kind: k.kind, Start: r.next, End: ps.AddDate(0, 0, -1)})
			}
		}
		r.next = pe.AddDate(0, 0, 1)
		r.n++
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	for id := range want {
		offices[id] = true
	}
	chosen := map[officeKind]int{}
	var uncovered []string
	var gaps map[string][]Gap
	end1 := to.AddDate(0, 0, 1)
	for office := range offices {
		found := false
		for _, kind := range domain.PeriodKinds {
			if r := runs[officeKind{office, kind}]; r != nil && !r.broke && r.next.Equal(end1) {
				chosen[officeKind{office, kind}] = r.n
				found = true
				break
			}
		}
		if found {
			continue
		}
		uncovered = append(uncovered, office)
		if !partial {
			continue
		}
		// What exists, in the finest kind that has any period in the
		// range (months before quarters …), with what it lacks.
		for _, kind := range domain.PeriodKinds {
			r := runs[officeKind{office, kind}]
			if r == nil || r.n == 0 || kind == domain.PeriodCustom {
				continue
			}
			g := append([]Gap(nil), r.gaps...)
			if r.next.Before(end1) {
				g = append(g, Gap{Kind: kind, Start: r.next, End: to})
			}
			chosen[officeKind{office, kind}] = r.n
			if gaps == nil {
				gaps = map[string][]Gap{}
			}
			gaps[office] = g
			break
		}
	}
	sort.Strings(uncovered)
	return chosen, uncovered, gaps, nil
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
		acc.Counts = acc.Counts.Plus(row.Counts)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

// Total sums rows (of one office, or ByField's) into the form's totals row.
func Total(rows []RollupRow) domain.Counts {
	var c domain.Counts
	for i, r := range rows {
		if i == 0 {
			c = r.Counts
			continue
		}
		c = c.Plus(r.Counts)
	}
	return c
}

// rollupCacheKiB is the page cache a roll-up's connection gets: a year of a
// province's units is some hundred megabytes, and SQLite's default 2 MiB
// cache makes every index step a read from the disk.
const rollupCacheKiB = 256 << 10

// bigReadTx is readTx on a connection given a large page cache and memory
// mapping, for reads that walk much of the database.
func (s *Store) bigReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	// The connection goes back to the pool afterwards: left as it is, the
	// next queries on it would fill up to 256 MiB of the program's own
	// memory with pages. The memory map stays: its pages are the file's,
	// which the system takes back when it needs them, and a second
	// roll-up finds them mapped (unmapping them made BenchmarkRollupYear 1,8–2,2
	// s a roll-up instead of 1,3).
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
	for _, p := range []string{fmt.Sprintf("PRAGMA cache_size = -%d", rollupCacheKiB), "PRAGMA mmap_size = 1073741824"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return classify(err)
		}
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(err)
	}
	defer tx.Rollback()
	return classifyKeep(fn(tx))
}
