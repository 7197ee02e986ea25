package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"fmt"
	"testing"
)

// monthChain builds n consistent months for one field starting with carry
// c6: each month's (6) is the month before's (11), as an office would type
// them. It also returns the row a person would enter for the whole range.
func monthChain(c6 int64, n int, seed int64) ([]domain.Counts, domain.Counts) {
	var months []domain.Counts
	carry := c6
	var sum4, sum5, sum8, sum9, sum10 int64
	var last domain.Counts
	for m := 0; m < n; m++ {
		k := seed + int64(m)
		c4, c5 := 40+k%17, 25+k%11
		avail := carry + c4 + c5
		early, onTime, late := avail/3, avail/3, k%4
		overdue := (avail - early - onTime - late) / 5
		c := full(carry, c4, c5, early, onTime, late, overdue)
		months = append(months, c)
		sum4, sum5, sum8, sum9, sum10 = sum4+c4, sum5+c5, sum8+early, sum9+onTime, sum10+late
		carry = *c[domain.ColInProgress]
		last = c
	}
	var whole domain.Counts
	whole[domain.ColCarried], whole[domain.ColOnline], whole[domain.ColInPerson] = domain.V(c6), domain.V(sum4), domain.V(sum5)
	whole[domain.ColReceived] = domain.V(c6 + sum4 + sum5)
	whole[domain.ColEarly], whole[domain.ColOnTime], whole[domain.ColLate] = domain.V(sum8), domain.V(sum9), domain.V(sum10)
	whole[domain.ColProcessed] = domain.V(sum8 + sum9 + sum10)
	whole[domain.ColInProgress], whole[domain.ColWithin], whole[domain.ColOverdue] = last[domain.ColInProgress], last[domain.ColWithin], last[domain.ColOverdue]
	return months, whole
}

func countsString(c domain.Counts) string {
	s := ""
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		if c[col] == nil {
			s += fmt.Sprintf(" (%d)=·", col)
		} else {
			s += fmt.Sprintf(" (%d)=%d", col, *c[col])
		}
	}
	return s
}

func saveMonths(t *testing.T, s *Store, field string, year, firstMonth int, months []domain.Counts) {
	t.Helper()
	y, m := year, firstMonth
	for _, c := range months {
		if _, err := s.SaveTallies(context.Background(), System, domain.MonthPeriod(y, m, 15), []TallyInput{{FieldID: field, Counts: c, Final: true}}); err != nil {
			t.Fatalf("%04d-M%02d: %v", y, m, err)
		}
		if m++; m == 13 {
			y, m = y+1, 1
		}
	}
}

func TestRollupTwelveMonthsEqualsYear(t *testing.T) {
	s, self := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	months, whole := monthChain(12, 12, 3)
	saveMonths(t, s, fs[0].ID, 2024, 1, months)
	if probs := whole.Problems(nil, true); len(probs) != 0 {
		t.Fatalf("the year row itself fails: %v", probs)
	}
	year := domain.YearPeriod(2024, 15)
	r, err := s.Rollup(ctx, RollupQuery{Start: year.Start, End: year.End, OfficeIDs: []string{self.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || len(r.Uncovered) != 0 {
		t.Fatalf("roll-up = %+v", r)
	}
	got := r.Rows[0]
	if got.Kind != domain.PeriodMonth || got.Periods != 12 || got.Rows != 12 || got.Drafts != 0 {
		t.Errorf("made of %d %s periods (%d rows, %d drafts), want 12 months", got.Periods, got.Kind, got.Rows, got.Drafts)
	}
	if !countsEqual(got.Counts, whole) {
		t.Errorf("months rolled up:%s\nyear entered:    %s", countsString(got.Counts), countsString(whole))
	}
	// Summing (3) over the months would count each carry-over again.
	var naive int64
	for _, c := range months {
		naive += *c[domain.ColReceived]
	}
	if naive == *got.Counts[domain.ColReceived] {
		t.Error("the test data cannot tell a roll-up from a plain sum of (3)")
	}

	// The year entered directly rolls up to itself, and a second office's
	// year adds to the first field by field.
	other := seedOffice(t, s, "PV")
	putRows(t, s, other, year, map[string]domain.Counts{"ho_tich": whole}, true)
	r, err = s.Rollup(ctx, RollupQuery{Start: year.Start, End: year.End})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 2 {
		t.Fatalf("%d rows over two offices", len(r.Rows))
	}
	for _, row := range r.Rows {
		if !countsEqual(row.Counts, whole) {
			t.Errorf("office %s (%s):%s", row.OfficeID, row.Kind, countsString(row.Counts))
		}
	}
	by := r.ByField()
	if len(by) != 1 || by[0].FieldKey != "ho_tich" {
		t.Fatalf("by field = %+v", by)
	}
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		if got, want := *by[0].Counts[col], 2**whole[col]; got != want {
			t.Errorf("sum over offices (%d) = %d, want %d", col, got, want)
		}
	}
}

func TestRollupAcrossYearBoundary(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	// July 2023 to June 2024: months 07..12 of 2023, then 01..06 of 2024.
	months, whole := monthChain(7, 12, 11)
	saveMonths(t, s, fs[1].ID, 2023, 7, months)
	start, end := domain.MonthPeriod(2023, 7, 15).Start, domain.MonthPeriod(2024, 6, 15).End
	r, err := s.Rollup(ctx, RollupQuery{Start: start, End: end})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || r.Rows[0].Periods != 12 {
		t.Fatalf("roll-up = %+v", r)
	}
	if !countsEqual(r.Rows[0].Counts, whole) {
		t.Errorf("across the year boundary:%s\nwant:%s", countsString(r.Rows[0].Counts), countsString(whole))
	}
	// A range the stored months do not tile is reported, not guessed.
	r, err = s.Rollup(ctx, RollupQuery{Start: start, End: domain.MonthPeriod(2024, 8, 15).End})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 0 || len(r.Uncovered) != 1 {
		t.Errorf("a range past the stored months: rows %d, uncovered %v", len(r.Rows), r.Uncovered)
	}
	// A month missing a column leaves that column unknown over the range.
	gap := months[3]
	gap[domain.ColOnline], gap[domain.ColReceived] = nil, nil
	if _, err := s.SaveTallies(ctx, System, domain.MonthPeriod(2023, 10, 15), []TallyInput{{FieldID: fs[1].ID, Counts: gap}}); err != nil {
		t.Fatal(err)
	}
	r, _ = s.Rollup(ctx, RollupQuery{Start: start, End: end})
	if c := r.Rows[0].Counts; c[domain.ColOnline] != nil || c[domain.ColReceived] != nil || c[domain.ColProcessed] == nil || r.Rows[0].Drafts != 1 {
		t.Errorf("with a gap:%s drafts %d", countsString(c), r.Rows[0].Drafts)
	}
}

// seedOffice adds an office as if its batches had been imported, with the
// default fields.
func seedOffice(tb testing.TB, s *Store, code string) string {
	tb.Helper()
	ctx := context.Background()
	id := NewID()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := insertOffice(ctx, tx, domain.Office{ID: id, Code: code, Name: "Xã " + code, Kind: domain.KindXa, Role: domain.RoleCommune, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		for i, f := range DefaultTallyFields {
			if _, err := insertTallyField(ctx, tx, s, System, id, f.Code, f.Name, i+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// putRows stores rows of another office's period by field code.
func putRows(tb testing.TB, s *Store, office string, spec domain.PeriodSpec, rows map[string]domain.Counts, final bool) {
	tb.Helper()
	ctx := context.Background()
	fs, err := s.TallyFields(ctx, office)
	if err != nil {
		tb.Fatal(err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.ensurePeriod(ctx, tx, System, office, spec)
		if err != nil {
			return err
		}
		for code, c := range rows {
			for _, f := range fs {
				if f.Code == code {
					if _, err := s.writeTally(ctx, tx, System, p, f.ID, Tally{}, false, c, final); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRollupYear rolls up a year for a collecting office holding 3.321
// units × 12 months × 20 fields (about 0,8 million rows). Goal: ≤ 2 s.
// "rows" is Store.Rollup alone; "report" is RollupTallies, what the Tổng
// hợp screen and `danvan rollup` run: the roll-up, every unit with merged
// units counted in, and the failing identities of the range.
func BenchmarkRollupYear(b *testing.B) {
	units, fieldsPer := 3321, 20
	if testing.Short() { // scripts/bench.sh --tiny: the pipeline, not the figure
		units = 20
	}
	s := mustOpenStore(b)
	ctx := context.Background()
	if err := fillUnits(s, units, fieldsPer); err != nil {
		b.Fatal(err)
	}
	// A collector's database has long been checkpointed; reading 0,8 M
	// rows through a fresh WAL would measure the WAL, not the roll-up.
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	year := domain.YearPeriod(2024, 15)
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			r, err := s.Rollup(ctx, RollupQuery{Start: year.Start, End: year.End})
			if err != nil {
				b.Fatal(err)
			}
			if got, want := len(r.Rows), units*fieldsPer; got != want {
				b.Fatalf("%d rows, want %d", got, want)
			}
			if by := r.ByField(); len(by) != fieldsPer || by[0].Counts[domain.ColReceived] == nil {
				b.Fatalf("by field: %d rows", len(by))
			}
		}
	})
	b.Run("report", func(b *testing.B) {
		for b.Loop() {
			r, err := s.RollupTallies(ctx, year)
			if err != nil {
				b.Fatal(err)
			}
			if len(r.Units) != units || r.Total[domain.ColReceived] == nil || len(r.Failures) != 0 {
				b.Fatalf("%d units, %d failures", len(r.Units), len(r.Failures))
			}
		}
	})
}

// fillUnits stores, for a collecting office, units offices × 12 months of
// 2024 × fieldsPer fields of consistent rows, the fast way.
func fillUnits(s *Store, units, fieldsPer int) error {
	ctx := context.Background()
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := fmtTime(s.now())
		insOffice, _ := tx.PrepareContext(ctx, `INSERT INTO offices(id, code, name, kind, role, is_self, created_at, updated_at) VALUES (?, ?, ?, 'xa', 'commune', 0, ?, ?)`)
		insField, _ := tx.PrepareContext(ctx, `INSERT INTO tally_fields(id, owner_office_id, code, name, name_fold, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		insPeriod, _ := tx.PrepareContext(ctx, `INSERT INTO periods(id, owner_office_id, kind, code, start_date, end_date, created_at, updated_at) VALUES (?, ?, 'month', ?, ?, ?, ?, ?)`)
		insTally, err := tx.PrepareContext(ctx, `INSERT INTO tallies(id, owner_office_id, period_id, field_id, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, final, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`)
		if err != nil {
			return err
		}
		for u := 0; u < units; u++ {
			office := NewID()
			if _, err := insOffice.ExecContext(ctx, office, fmt.Sprintf("U%04d", u), fmt.Sprintf("Đơn vị %d", u), now, now); err != nil {
				return err
			}
			fields := make([]string, fieldsPer)
			for f := range fields {
				fields[f] = NewID()
				if _, err := insField.ExecContext(ctx, fields[f], office, fmt.Sprintf("f%02d", f), fmt.Sprintf("Lĩnh vực %d", f), fmt.Sprintf("linh vuc %d", f), f+1, now, now); err != nil {
					return err
				}
			}
			chains := make([][]domain.Counts, fieldsPer)
			for f := range chains {
				chains[f], _ = monthChain(int64(f), 12, int64(u+f))
			}
			for m := 1; m <= 12; m++ {
				p := domain.MonthPeriod(2024, m, 15)
				pid := NewID()
				if _, err := insPeriod.ExecContext(ctx, pid, office, p.Code(), p.Start.Format(domain.DateLayout), p.End.Format(domain.DateLayout), now, now); err != nil {
					return err
				}
				for f, field := range fields {
					args := append([]any{NewID(), office, pid, field}, countArgs(chains[f][m-1])...)
					if _, err := insTally.ExecContext(ctx, append(args, now, now)...); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// TestRollupLeavesConnectionAsFound checks that the roll-up's large page
// cache does not stay on the pooled connection it used, where the window's
// next queries would fill it.
func TestRollupLeavesConnectionAsFound(t *testing.T) {
	s, self := mustSetUp(t)
	ctx := context.Background()
	s.db.SetMaxOpenConns(1) // so the next query gets the roll-up's connection
	year := domain.YearPeriod(2024, 15)
	if _, err := s.Rollup(ctx, RollupQuery{Start: year.Start, End: year.End, OfficeIDs: []string{self.ID}}); err != nil {
		t.Fatal(err)
	}
	for pragma, want := range map[string]int64{"cache_size": -2000} {
		var got int64
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
			t.Errorf("after a roll-up, %s = %d (%v), want %d", pragma, got, err, want)
		}
	}
}

// A year with three months entered: without Partial the office is only
// uncovered; with it the months are summed by the carry-over rule and the
// other nine are named as missing.
func TestRollupPartialRange(t *testing.T) {
	s, self := mustSetUp(t)
	ctx := context.Background()
	fields, err := s.TallyFields(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for m, c := range map[int][4]int64{1: {5, 6, 4, 0}, 2: {0, 7, 3, 0}, 3: {0, 2, 2, 0}} {
		var cs domain.Counts
		cs[domain.ColCarried], cs[domain.ColOnline], cs[domain.ColInPerson] = domain.V(c[0]), domain.V(c[1]), domain.V(c[2])
		cs[domain.ColReceived] = domain.V(c[0] + c[1] + c[2])
		cs[domain.ColEarly], cs[domain.ColOnTime], cs[domain.ColLate] = domain.V(0), domain.V(c[0]+c[1]+c[2]), domain.V(0)
		cs[domain.ColProcessed] = domain.V(c[0] + c[1] + c[2])
		cs[domain.ColInProgress], cs[domain.ColWithin], cs[domain.ColOverdue] = domain.V(0), domain.V(0), domain.V(0)
		if m > 1 {
			cs[domain.ColCarried] = domain.V(0)
		}
		if _, err := s.SaveTallies(ctx, System, domain.MonthPeriod(2026, m, 15), []TallyInput{{FieldID: fields[0].ID, Counts: cs}}); err != nil {
			t.Fatalf("month %d: %v", m, err)
		}
	}
	year := domain.YearPeriod(2026, 15)
	strict, err := s.Rollup(ctx, RollupQuery{Start: year.Start, End: year.End, OfficeIDs: []string{self.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(strict.Rows) != 0 || len(strict.Uncovered) != 1 {
		t.Fatalf("strict: %d rows, uncovered %v", len(strict.Rows), strict.Uncovered)
	}
	r, err := s.Rollup(ctx, RollupQuery{Start: year.Start, End: year.End, OfficeIDs: []string{self.ID}, Partial: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 {
		t.Fatalf("partial: %d rows", len(r.Rows))
	}
	// (3) = January's carry-over 5 + the three months' new dossiers 6+4+7+3+2+2.
	if got, _ := r.Rows[0].Counts.Get(domain.ColReceived); got != 29 {
		t.Errorf("(3) = %d, want 29", got)
	}
	gaps := r.Gaps[self.ID]
	if len(gaps) != 1 {
		t.Fatalf("gaps %+v", gaps)
	}
	missing := gaps[0].Periods(15)
	if len(missing) != 9 || missing[0].Code() != "2026-M04" || missing[8].Code() != "2026-M12" {
		var codes []string
		for _, m := range missing {
			codes = append(codes, m.Code())
		}
		t.Errorf("missing %v, want 2026-M04 … 2026-M12", codes)
	}
}
