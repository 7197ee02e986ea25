package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRollupSumsFollowEveryWrite drives random writes through every path
// that changes tallies or periods (the grid's writeTally, emptying a row,
// closing a period, raw updates and deletes as a batch import makes them,
// deleting and restoring a period) and checks after each round that
// the tables migration 0009 keeps are what they stand for, that a roll-up
// read from them equals the same roll-up summed row by row, and that
// CheckRange finds exactly what the full Check finds in the range.
func TestRollupSumsFollowEveryWrite(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 4} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			s := mustOpenStore(t)
			ctx := context.Background()
			rng := rand.New(rand.NewSource(seed))
			offices := []string{seedOffice(t, s, "A01"), seedOffice(t, s, "A02"), seedOffice(t, s, "A03")}
			codes := []string{DefaultTallyFields[0].Code, DefaultTallyFields[1].Code, DefaultTallyFields[2].Code}
			carried := map[[2]string]int64{}
			cursor := map[string]int{}
			clean, used := 0, 0
			// Three years of months for every office first, so that whole
			// years exist for the random changes to break and mend.
			for _, office := range offices {
				for m := 0; m < 36; m++ {
					writeRandomRows(t, s, rng, office, domain.MonthPeriod(2023+m/12, 1+m%12, 15), codes, carried)
				}
			}
			for round := 0; round < 6; round++ {
				for op := 0; op < 40; op++ {
					randomTallyOp(t, s, rng, offices, codes, carried, cursor)
				}
				clean += assertRollupTables(t, s)
				for _, r := range []struct {
					name       string
					start, end time.Time
				}{
					{"year 2024", domain.YearPeriod(2024, 15).Start, domain.YearPeriod(2024, 15).End},
					{"year 2025", domain.YearPeriod(2025, 15).Start, domain.YearPeriod(2025, 15).End},
					{"quarter", domain.QuarterPeriod(2024, 2, 15).Start, domain.QuarterPeriod(2024, 2, 15).End},
					{"two years", domain.YearPeriod(2024, 15).Start, domain.YearPeriod(2025, 15).End},
					{"across a year", domain.MonthPeriod(2024, 7, 15).Start, domain.MonthPeriod(2025, 6, 15).End},
					{"three years", domain.YearPeriod(2023, 15).Start, domain.YearPeriod(2025, 15).End},
				} {
					used += wholePeriods(t, s, r.start, r.end)
					rollupYearSumsOn = true
					fast, err := s.Rollup(ctx, RollupQuery{Start: r.start, End: r.end})
					rollupYearSumsOn = false
					slow, err2 := s.Rollup(ctx, RollupQuery{Start: r.start, End: r.end})
					rollupYearSumsOn = true
					if err != nil || err2 != nil {
						t.Fatal(err, err2)
					}
					if !reflect.DeepEqual(fast, slow) {
						t.Fatalf("round %d, %s: roll-up from the year sums differs from the rows:\n%+v\n%+v", round, r.name, fast, slow)
					}
					got, err := s.CheckRange(ctx, r.start, r.end)
					if err != nil {
						t.Fatal(err)
					}
					rep, err := s.Check(ctx)
					if err != nil {
						t.Fatal(err)
					}
					var want []CheckFinding
					for _, f := range rep.Findings {
						if !f.PeriodEnd.Before(r.start) && !f.PeriodEnd.After(r.end) {
							want = append(want, f)
						}
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("round %d, %s: CheckRange found %d findings, Check %d:\n%+v\n%+v", round, r.name, len(got), len(want), got, want)
					}
				}
			}
			if clean == 0 {
				t.Fatal("no clean rows: the test data never exercised the fast path")
			}
			if used == 0 {
				t.Fatal("no roll-up read a stored year: the test data never exercised the year sums")
			}
		})
	}
}

// randomTallyOp makes one random change. Counts are mostly complete and
// consistent, carrying (11) into the next month's (6), so that clean rows,
// suspects and broken chains all occur.
func randomTallyOp(t *testing.T, s *Store, rng *rand.Rand, offices, codes []string, carried map[[2]string]int64, cursor map[string]int) {
	t.Helper()
	ctx := context.Background()
	office := offices[rng.Intn(len(offices))]
	year := 2023 + rng.Intn(3)
	var spec domain.PeriodSpec
	switch rng.Intn(10) {
	case 0:
		spec = domain.QuarterPeriod(year, 1+rng.Intn(4), 15)
	case 1, 2, 3:
		spec = domain.MonthPeriod(year, 1+rng.Intn(12), 15)
	default: // the office's next month, as a commune reports
		m := cursor[office]
		if m == 0 || m >= 36 {
			m = rng.Intn(3)
		}
		cursor[office] = m + 1
		spec = domain.MonthPeriod(2023+m/12, 1+m%12, 15)
	}
	switch rng.Intn(12) {
	case 0: // a period deleted, as a batch's tombstone does, or brought back
		err := s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE periods SET deleted_at = CASE deleted_at WHEN '' THEN '2026-01-01T00:00:00Z' ELSE '' END
				WHERE owner_office_id = ? AND code = ?`, office, spec.Code())
			return err
		})
		if err != nil && !isConstraint(err) {
			t.Fatal(err)
		}
		return
	case 1: // a row changed or removed in place, as an import's UPDATE does
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if rng.Intn(2) == 0 {
				_, err := tx.ExecContext(ctx, `DELETE FROM tallies WHERE rowid IN (SELECT rowid FROM tallies ORDER BY random() LIMIT 1)`)
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE tallies SET c6 = c6 + 1, c3 = c3 + 1, final = 1 - final
				WHERE rowid IN (SELECT rowid FROM tallies ORDER BY random() LIMIT 1)`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	case 2: // a period closed: every row becomes final
		err := s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE tallies SET final = 1 WHERE period_id IN (SELECT id FROM periods WHERE owner_office_id = ? AND code = ?)`, office, spec.Code())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	writeRandomRows(t, s, rng, office, spec, codes, carried)
}

// writeRandomRows stores rows of some of the fields in office's period.
func writeRandomRows(t *testing.T, s *Store, rng *rand.Rand, office string, spec domain.PeriodSpec, codes []string, carried map[[2]string]int64) {
	t.Helper()
	ctx := context.Background()
	rows := map[string]domain.Counts{}
	for _, code := range codes {
		if rng.Intn(3) == 0 {
			continue
		}
		key := [2]string{office, code}
		var c domain.Counts
		switch rng.Intn(8) {
		case 0: // emptied: the row is removed
		case 1: // random, partly blank
			for col := domain.FirstCol; col <= domain.LastCol; col++ {
				if rng.Intn(3) > 0 {
					c[col] = domain.V(int64(rng.Intn(20)))
				}
			}
		default:
			c6 := int64(rng.Intn(10))
			if v, ok := carried[key]; ok && rng.Intn(4) > 0 {
				c6 = v
			}
			c4, c5 := int64(rng.Intn(30)), int64(rng.Intn(30))
			c3 := c4 + c5 + c6
			c8, c9, c10 := int64(rng.Intn(int(c3)/3+1)), int64(rng.Intn(int(c3)/3+1)), int64(rng.Intn(int(c3)/3+1))
			c7 := c8 + c9 + c10
			c11 := c3 - c7
			c13 := int64(rng.Intn(int(c11) + 1))
			c[domain.ColReceived], c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(c3), domain.V(c4), domain.V(c5), domain.V(c6)
			c[domain.ColProcessed], c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(c7), domain.V(c8), domain.V(c9), domain.V(c10)
			c[domain.ColInProgress], c[domain.ColWithin], c[domain.ColOverdue] = domain.V(c11), domain.V(c11-c13), domain.V(c13)
			if rng.Intn(6) == 0 {
				c[domain.ColProcessed] = nil // (7) left for the sum of its parts
			}
			carried[key] = c11
		}
		rows[code] = c
	}
	final := rng.Intn(2) == 0
	fs, err := s.TallyFields(ctx, office)
	if err != nil {
		t.Fatal(err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.ensurePeriod(ctx, tx, System, office, spec)
		if err != nil {
			return err
		}
		for _, f := range fs {
			c, ok := rows[f.Code]
			if !ok {
				continue
			}
			old, err := scanTally(tx.QueryRowContext(ctx, `SELECT `+tallyCols+` FROM tallies WHERE period_id = ? AND field_id = ? AND deleted_at = ''`, p.ID, f.ID))
			had := err == nil
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			if !had && c.Empty() {
				continue
			}
			if _, err := s.writeTally(ctx, tx, System, p, f.ID, old, had, c, final); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isConstraint is a period brought back over a live one of the same code.
func isConstraint(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// assertRollupTables compares the three tables migration 0009 keeps with
// what they are recomputed from the rows.
func assertRollupTables(t *testing.T, s *Store) int {
	t.Helper()
	ctx := context.Background()
	for _, c := range []struct{ name, stored, fresh string }{
		{"year sums",
			`SELECT year, kind, office_id, field_id, n, finals, s4, s5, s7, s8, s9, s10, b4, b5, b7, b8, b9, b10 FROM tally_year_sums WHERE n > 0`,
			`SELECT substr(p.code, 1, 4), p.kind, p.owner_office_id, t.field_id, count(*), sum(t.final),
				CAST(total(t.c4) AS INTEGER), CAST(total(t.c5) AS INTEGER), CAST(total(COALESCE(t.c7, t.c8 + t.c9 + t.c10)) AS INTEGER),
				CAST(total(t.c8) AS INTEGER), CAST(total(t.c9) AS INTEGER), CAST(total(t.c10) AS INTEGER),
				sum(t.c4 IS NULL), sum(t.c5 IS NULL), sum(COALESCE(t.c7, t.c8 + t.c9 + t.c10) IS NULL), sum(t.c8 IS NULL), sum(t.c9 IS NULL), sum(t.c10 IS NULL)
			FROM periods p JOIN tallies t ON t.period_id = p.id AND t.deleted_at = '' WHERE p.deleted_at = ''
			GROUP BY 1, 2, 3, 4`},
		{"year periods",
			`SELECT year, kind, office_id, periods, first_start, last_end FROM tally_year_periods`,
			`SELECT substr(code, 1, 4), kind, owner_office_id, count(*), min(start_date), max(end_date) FROM periods WHERE deleted_at = '' GROUP BY 1, 2, 3`},
		{"suspects",
			`SELECT tally_rowid FROM tally_suspects`,
			`SELECT rowid FROM tallies WHERE deleted_at = '' AND rowid NOT IN (SELECT tally_rowid FROM tally_clean)`},
	} {
		var diff int
		q := fmt.Sprintf(`SELECT (SELECT count(*) FROM (%s EXCEPT %s)) + (SELECT count(*) FROM (%s EXCEPT %s))`, c.stored, c.fresh, c.fresh, c.stored)
		if err := s.db.QueryRowContext(ctx, q).Scan(&diff); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if diff != 0 {
			t.Fatalf("%s: %d rows differ from the data they stand for", c.name, diff)
		}
	}
	var n, clean int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tally_suspects), (SELECT count(*) FROM tally_clean)`).Scan(&n, &clean); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d clean rows, %d suspects", clean, n)
	return clean
}

// wholePeriods is how many periods a roll-up of [start, end] reads from the
// stored year sums instead of row by row.
func wholePeriods(t *testing.T, s *Store, start, end time.Time) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		chosen, _, _, err := tilingKinds(ctx, tx, start.Format(domain.DateLayout), end.Format(domain.DateLayout), start, end, nil, false)
		if err != nil {
			return err
		}
		whole, err := wholeYears(ctx, tx, start, end, chosen)
		for _, w := range whole {
			n += w.periods
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
