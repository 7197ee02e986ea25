package store

import (
	"context"
	"danvan/internal/domain"
	"danvan/internal/race"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSQLRulesAgreeWithGo holds the SQL copies of the tally rules
// (migration 0009's tally_clean view and the effective (7) its triggers
// sum) to the Go rules of tally_rules.go. Every pattern of blank cells over
// (3)–(13), each with a consistent row and with a slip that breaks each
// rule in turn, against a predecessor that is missing, equal, typed or
// summed, or different, goes through the store's own write path. Then:
//
//   - no row the SQL calls clean has a problem by Store.Check (which runs
//     Counts.Problems): a rule added in Go and missing from tally_clean
//     fails here;
//   - the year sums SQLite keeps for (7) equal Counts.Effective summed in
//     Go, blanks counted alike.
func TestSQLRulesAgreeWithGo(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 14))
	const cols = domain.LastCol - domain.FirstCol + 1
	type kase struct {
		office, field string
		rows          []domain.Counts // what was written, predecessor first
		hasPred       bool            // rows[0] is the predecessor's
		hasCur        bool            // the last row is this period's
		final         bool
	}
	var cases []kase
	slips := []func(*domain.Counts){
		nil, // consistent
		func(c *domain.Counts) { bump(c, domain.ColReceived) },                            // (3) ≠ (4)+(5)+(6)
		func(c *domain.Counts) { bump(c, domain.ColProcessed) },                           // (7) ≠ (8)+(9)+(10)
		func(c *domain.Counts) { bump(c, domain.ColInProgress) },                          // (11) ≠ (12)+(13)
		func(c *domain.Counts) { bump(c, domain.ColOnline); bump(c, domain.ColReceived) }, // balance
		func(c *domain.Counts) {
			bump(c, domain.ColCarried)
			bump(c, domain.ColReceived)
			bump(c, domain.ColWithin)
			bump(c, domain.ColInProgress)
		}, // carried
	}
	var office string
	var fields []TallyField
	// Every blank pattern, visited in the order i·37 mod 2¹¹ (37 is odd, so
	// all of them); under -race the first 128 of that order, a spread of
	// patterns, since make test runs the whole in a plain build (make rules).
	n := 1 << cols
	if race.Enabled {
		n = 128
	}
	for i := 0; i < n; i++ {
		pattern := i * 37 % (1 << cols)
		for _, slip := range []int{0, 1 + rng.IntN(len(slips)-1), 1 + rng.IntN(len(slips)-1)} {
			if len(cases)%len(DefaultTallyFields) == 0 {
				office = seedOffice(t, s, fmt.Sprintf("P%05d", len(cases)))
				var err error
				if fields, err = s.TallyFields(ctx, office); err != nil {
					t.Fatal(err)
				}
			}
			f := fields[len(cases)%len(DefaultTallyFields)]
			c := balancedRow(rng)
			if slips[slip] != nil {
				slips[slip](&c)
			}
			for col := domain.FirstCol; col <= domain.LastCol; col++ {
				if pattern&(1<<(col-domain.FirstCol)) != 0 {
					c[col] = nil
				}
			}
			k := kase{office: office, field: f.ID}
			// The predecessor: none, (11) typed or left for its parts,
			// equal to this row's (6) or not, or blank.
			var p domain.Counts
			switch rng.IntN(6) {
			case 0: // no row before
			case 1, 2:
				p = balancedRow(rng)
				if v, ok := c.Get(domain.ColCarried); ok {
					p[domain.ColInProgress], p[domain.ColWithin], p[domain.ColOverdue] = domain.V(v), domain.V(v), domain.V(0)
				}
				if rng.IntN(2) == 0 {
					p[domain.ColInProgress] = nil
				}
			case 3:
				p = balancedRow(rng)
			case 4:
				p = balancedRow(rng)
				p[domain.ColInProgress], p[domain.ColWithin] = nil, nil
			case 5:
				p = balancedRow(rng)
				p[domain.ColOverdue] = domain.V(*p[domain.ColOverdue] + 1) // (11) ≠ (12)+(13) there
			}
			k.final = rng.IntN(2) == 0
			if !p.Empty() {
				k.rows = append(k.rows, p)
				k.hasPred = true
			}
			if !c.Empty() {
				k.rows = append(k.rows, c)
				k.hasCur = true
			}
			cases = append(cases, k)
		}
	}

	// One transaction for every write. The rows go in by plain INSERT: the
	// triggers that keep the SQL copies fire on every write whatever its
	// path, and the grid's bookkeeping (audit, change log) would only slow
	// the test down.
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO tallies(id, owner_office_id, period_id, field_id,
			c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, final, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')`)
		if err != nil {
			return err
		}
		defer ins.Close()
		put := func(p Period, k kase, c domain.Counts) error {
			args := []any{NewID(), k.office, p.ID, k.field}
			for col := domain.FirstCol; col <= domain.LastCol; col++ {
				if c[col] == nil {
					args = append(args, nil)
				} else {
					args = append(args, *c[col])
				}
			}
			_, err := ins.ExecContext(ctx, append(args, k.final)...)
			return err
		}
		periods := map[string][2]Period{}
		for _, k := range cases {
			pp, ok := periods[k.office]
			if !ok {
				var err error
				if pp[0], err = s.ensurePeriod(ctx, tx, System, k.office, domain.MonthPeriod(2024, 1, 15)); err != nil {
					return err
				}
				if pp[1], err = s.ensurePeriod(ctx, tx, System, k.office, domain.MonthPeriod(2024, 2, 15)); err != nil {
					return err
				}
				periods[k.office] = pp
			}
			if k.hasPred {
				if err := put(pp[0], k, k.rows[0]); err != nil {
					return err
				}
			}
			if k.hasCur {
				if err := put(pp[1], k, k.rows[len(k.rows)-1]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Clean by SQL implies clean by Go.
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	failing := map[[3]string]domain.Problem{}
	for _, f := range rep.Findings {
		failing[[3]string{f.OfficeID, f.Period, f.FieldName}] = f.Problem
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.owner_office_id, p.code, f.name, t.c3, t.c4, t.c5, t.c6, t.c7, t.c8, t.c9, t.c10, t.c11, t.c12, t.c13
		FROM tally_clean c JOIN tallies t ON t.rowid = c.tally_rowid JOIN periods p ON p.id = t.period_id JOIN tally_fields f ON f.id = t.field_id`)
	if err != nil {
		t.Fatal(err)
	}
	clean := 0
	for rows.Next() {
		var key [3]string
		var c [domain.LastCol + 1]sql.NullInt64
		if err := rows.Scan(&key[0], &key[1], &key[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8], &c[9], &c[10], &c[11], &c[12], &c[13]); err != nil {
			t.Fatal(err)
		}
		clean++
		if pr, bad := failing[key]; bad {
			var got domain.Counts
			for col := domain.FirstCol; col <= domain.LastCol; col++ {
				if c[col].Valid {
					got[col] = domain.V(c[col].Int64)
				}
			}
			t.Errorf("tally_clean lets through %s %s %s %s, which fails the Go rule %q", key[0][:8], key[1], key[2], countsString(got), pr.Identity)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if clean == 0 || len(rep.Findings) == 0 {
		t.Fatalf("the cases must hold clean and failing rows: %d clean, %d findings", clean, len(rep.Findings))
	}
	t.Logf("%d cases, %d rows clean by SQL, %d findings by Go", len(cases), clean, len(rep.Findings))

	// The year sums of (7) are Counts.Effective summed.
	for _, k := range cases {
		var n, s7, b7 int64
		err := s.db.QueryRowContext(ctx, `SELECT n, s7, b7 FROM tally_year_sums WHERE office_id = ? AND field_id = ? AND year = '2024'`, k.office, k.field).Scan(&n, &s7, &b7)
		if err == sql.ErrNoRows && len(k.rows) == 0 {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var want, blanks int64
		for _, c := range k.rows {
			if v, ok := c.Effective().Get(domain.ColProcessed); ok {
				want += v
			} else {
				blanks++
			}
		}
		if n != int64(len(k.rows)) || s7 != want || b7 != blanks {
			t.Fatalf("rows %v: year sums n=%d s7=%d b7=%d, Go gives n=%d (7)=%d blanks=%d", k.rows, n, s7, b7, len(k.rows), want, blanks)
		}
	}
}

// balancedRow is a row that passes every rule of its own.
func balancedRow(rng *rand.Rand) domain.Counts {
	var c domain.Counts
	c4, c5, c6 := rng.Int64N(40), rng.Int64N(40), rng.Int64N(10)
	recv := c4 + c5 + c6
	proc := rng.Int64N(recv + 1)
	c8 := rng.Int64N(proc + 1)
	c9 := rng.Int64N(proc - c8 + 1)
	prog := recv - proc
	c12 := rng.Int64N(prog + 1)
	c[domain.ColReceived], c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(recv), domain.V(c4), domain.V(c5), domain.V(c6)
	c[domain.ColProcessed], c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(proc), domain.V(c8), domain.V(c9), domain.V(proc-c8-c9)
	c[domain.ColInProgress], c[domain.ColWithin], c[domain.ColOverdue] = domain.V(prog), domain.V(c12), domain.V(prog-c12)
	return c
}

func bump(c *domain.Counts, col int) { c[col] = domain.V(*c[col] + 1) }

func TestEffectiveSQL(t *testing.T) {
	for _, tt := range []struct {
		col  int
		want string
	}{
		{domain.ColReceived, "COALESCE(t.c3, t.c4 + t.c5 + t.c6)"},
		{domain.ColProcessed, "COALESCE(t.c7, t.c8 + t.c9 + t.c10)"},
		{domain.ColInProgress, "COALESCE(t.c11, t.c12 + t.c13)"},
		{domain.ColOnline, "t.c4"},
	} {
		if got := effectiveSQL("t", tt.col); got != tt.want {
			t.Errorf("effectiveSQL(t, %d) = %q, want %q", tt.col, got, tt.want)
		}
	}
}
