package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"strings"
	"testing"

	"danvan/store/vn"
)

// published are the figures of the district report that started the
// project (domain.md §2): only the totals and the late count were given.
func published() domain.Counts {
	var c domain.Counts
	c[domain.ColReceived] = domain.V(25723)
	c[domain.ColProcessed] = domain.V(25487)
	c[domain.ColLate] = domain.V(20)
	c[domain.ColInProgress] = domain.V(326)
	return c
}

// full builds a complete, consistent row: carried c6, new receipts c4 and
// c5, of which processed are early/on-time/late and the rest in progress
// (overdue of them).
func full(c6, c4, c5, early, onTime, late, overdue int64) domain.Counts {
	var c domain.Counts
	recv := c6 + c4 + c5
	proc := early + onTime + late
	c[domain.ColReceived], c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(recv), domain.V(c4), domain.V(c5), domain.V(c6)
	c[domain.ColProcessed], c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(proc), domain.V(early), domain.V(onTime), domain.V(late)
	c[domain.ColInProgress], c[domain.ColWithin], c[domain.ColOverdue] = domain.V(recv-proc), domain.V(recv-proc-overdue), domain.V(overdue)
	return c
}

func mustSpec(tb testing.TB, code string) domain.PeriodSpec {
	tb.Helper()
	p, err := domain.ParsePeriod(code, 15)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func mustFields(tb testing.TB, s *Store) []TallyField {
	tb.Helper()
	fs, err := s.TallyFields(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	return fs
}

func TestDefaultFieldsSeeded(t *testing.T) {
	s, _ := mustSetUp(t)
	fs := mustFields(t, s)
	if got, want := len(fs), len(DefaultTallyFields); got != want {
		t.Fatalf("%d fields, want %d", got, want)
	}
	for i, f := range fs {
		if f.Name != DefaultTallyFields[i].Name || f.Code != DefaultTallyFields[i].Code || f.Position != i+1 {
			t.Errorf("field %d = %+v, want %+v", i, f, DefaultTallyFields[i])
		}
	}
}

func TestPublishedFiguresFlagged(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	spec := mustSpec(t, "2023-04-15..2024-04-14")
	res, err := s.SaveTallies(ctx, System, spec, []TallyInput{{FieldID: fs[0].ID, Counts: published()}})
	if err != nil {
		t.Fatalf("SaveTallies as draft: %v", err)
	}
	if len(res.Drafts) != 1 || len(res.Drafts[0].Problems) != 1 {
		t.Fatalf("drafts = %+v, want one row with one problem", res.Drafts)
	}
	p := res.Drafts[0].Problems[0]
	if p.Identity != domain.IdentityBalance || p.Diff() != 90 || p.Column != domain.ColReceived {
		t.Errorf("problem = %+v, want balance off by 90 on (3)", p)
	}
	code, args := p.MessageCode()
	if code != "tally.balance" || args["Left"] != "25.723" || args["Right"] != "25.813" || args["Diff"] != "90" {
		t.Errorf("message = %s %v", code, args)
	}
	if got, want := vn.FormatPercent(published().Rates().Late), "0,08%"; got != want {
		t.Errorf("late share = %s, want %s", got, want)
	}
	if got, want := vn.FormatPercent(published().Rates().OnTime), "—"; got != want {
		t.Errorf("on-time rate without (8), (9) = %s, want %s", got, want)
	}

	// The same row cannot be final; nothing changes when it is refused.
	_, err = s.SaveTallies(ctx, System, spec, []TallyInput{{FieldID: fs[0].ID, Counts: published(), Final: true}})
	var re *TallyRulesError
	if !errors.As(err, &re) || len(re.Rows) != 1 {
		t.Fatalf("final save error = %v, want a TallyRulesError for one row", err)
	}
	pt, err := s.PeriodTallies(ctx, "", spec)
	if err != nil {
		t.Fatal(err)
	}
	if pt.Rows[fs[0].ID].Final {
		t.Error("the refused final save changed the row")
	}
	if got := pt.Problems[fs[0].ID]; len(got) != 1 || got[0].Diff() != 90 {
		t.Errorf("stored problems = %+v", got)
	}
}

func TestIdentities(t *testing.T) {
	ok := full(10, 100, 50, 60, 70, 5, 3)
	tests := []struct {
		name   string
		change func(*domain.Counts)
		final  bool
		want   []string
	}{
		{"consistent", func(*domain.Counts) {}, true, nil},
		{"received", func(c *domain.Counts) {
			c[domain.ColReceived] = domain.V(161)
			c[domain.ColProcessed] = domain.V(136)
			c[domain.ColEarly] = domain.V(61)
		}, false, []string{domain.IdentityReceived}},
		{"processed", func(c *domain.Counts) { c[domain.ColProcessed] = domain.V(134) }, false, []string{domain.IdentityProcessed, domain.IdentityBalance}},
		{"in progress", func(c *domain.Counts) { c[domain.ColWithin] = domain.V(1) }, false, []string{domain.IdentityInProgress}},
		{"computed totals", func(c *domain.Counts) {
			c[domain.ColReceived], c[domain.ColProcessed], c[domain.ColInProgress] = nil, nil, nil
		}, true, nil},
		{"blank part draft", func(c *domain.Counts) { c[domain.ColOnline] = nil }, false, nil},
		{"blank part final", func(c *domain.Counts) { c[domain.ColOnline] = nil }, true, []string{domain.IdentityMissing}},
		{"carried", func(c *domain.Counts) { c[domain.ColCarried] = domain.V(11); c[domain.ColOnline] = domain.V(99) }, false, []string{domain.IdentityCarried}},
	}
	prev := domain.V(10)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			var got []string
			for _, p := range c.Problems(prev, tt.final) {
				got = append(got, p.Identity)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("problems = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		code string
	}{
		{"25.723", 25723, ""},
		{"0", 0, ""},
		{"1.000.000.000", 1_000_000_000, ""},
		{"-5", 0, "tally.negative"},
		{"12a", 0, "tally.not_digits"},
		{"2,5", 0, "tally.not_digits"},
		{"2.5723", 0, "tally.grouping"},
		{"1.000.000.001", 0, "tally.too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseCount(tt.in)
			if tt.code == "" {
				if err != nil || got == nil || *got != tt.want {
					t.Fatalf("ParseCount(%q) = %v, %v", tt.in, got, err)
				}
				return
			}
			var ce *domain.CellError
			if !errors.As(err, &ce) || ce.Code != tt.code {
				t.Fatalf("ParseCount(%q) error = %v, want %s", tt.in, err, tt.code)
			}
		})
	}
	if got, err := domain.ParseCount("  "); got != nil || err != nil {
		t.Errorf("blank = %v, %v; want not reported", got, err)
	}
}

func TestSaveRefusesOutOfRange(t *testing.T) {
	s, _ := mustSetUp(t)
	fs := mustFields(t, s)
	for _, v := range []int64{-1, domain.MaxCount + 1} {
		var c domain.Counts
		c[domain.ColOnline] = domain.V(v)
		_, err := s.SaveTallies(context.Background(), System, mustSpec(t, "2024-M04"), []TallyInput{{FieldID: fs[0].ID, Counts: c}})
		var ce *domain.CellError
		if !errors.As(err, &ce) {
			t.Errorf("value %d: error = %v, want a domain.CellError", v, err)
		}
	}
	if ps, _ := s.Periods(context.Background(), ""); len(ps) != 0 {
		t.Errorf("a refused save created %d periods", len(ps))
	}
}

func TestCarriedFilledFromPreviousPeriod(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	mar := full(0, 100, 20, 50, 40, 2, 1) // in progress 28
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M03"), []TallyInput{{FieldID: fs[0].ID, Counts: mar, Final: true}}); err != nil {
		t.Fatal(err)
	}
	apr := full(28, 10, 10, 20, 20, 0, 0)
	apr[domain.ColCarried], apr[domain.ColReceived] = nil, nil
	res, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M04"), []TallyInput{{FieldID: fs[0].ID, Counts: apr, Final: true}})
	if err != nil {
		t.Fatalf("save with (6) blank: %v", err)
	}
	pt, _ := s.PeriodTallies(ctx, "", res.Period.PeriodSpec)
	if got, _ := pt.Rows[fs[0].ID].Counts.Get(domain.ColCarried); got != 28 || pt.PrevCode != "2024-M03" {
		t.Errorf("(6) = %d from %q, want 28 from 2024-M03", got, pt.PrevCode)
	}
	// A (6) that disagrees with March's (11) is a problem, and cannot be final.
	bad := full(30, 10, 8, 20, 20, 0, 0)
	_, err = s.SaveTallies(ctx, System, mustSpec(t, "2024-M04"), []TallyInput{{FieldID: fs[0].ID, Counts: bad, Final: true}})
	var re *TallyRulesError
	if !errors.As(err, &re) || re.Rows[0].Problems[0].Identity != domain.IdentityCarried || re.Rows[0].Problems[0].Diff() != 2 {
		t.Fatalf("error = %v, want carried off by 2", err)
	}
	// The first month of a year follows December of the year before.
	dec := full(0, 5, 5, 5, 0, 0, 0)
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M12"), []TallyInput{{FieldID: fs[1].ID, Counts: dec}}); err != nil {
		t.Fatal(err)
	}
	jan, _ := s.PeriodTallies(ctx, "", mustSpec(t, "2025-M01"))
	if jan.PrevCode != "2024-M12" || jan.Prev[fs[1].ID] == nil || *jan.Prev[fs[1].ID] != 5 {
		t.Errorf("January's previous = %q %v, want 2024-M12 with 5", jan.PrevCode, jan.Prev[fs[1].ID])
	}
}

func TestClosePeriod(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	spec := mustSpec(t, "2024-M04")
	if err := s.ClosePeriod(ctx, System, spec); !errors.Is(err, ErrNotFound) {
		t.Errorf("closing an unknown period: %v", err)
	}
	rows := []TallyInput{{FieldID: fs[0].ID, Counts: published()}, {FieldID: fs[1].ID, Counts: full(0, 3, 4, 1, 2, 0, 1)}}
	if _, err := s.SaveTallies(ctx, System, spec, rows); err != nil {
		t.Fatal(err)
	}
	officer := Actor{Name: "canbo", Role: RoleOfficer}
	if err := s.ClosePeriod(ctx, officer, spec); !errors.Is(err, ErrForbidden) {
		t.Errorf("officer closing: %v, want ErrForbidden", err)
	}
	var re *TallyRulesError
	if err := s.ClosePeriod(ctx, System, spec); !errors.As(err, &re) || len(re.Rows) != 1 || re.Rows[0].FieldID != fs[0].ID {
		t.Fatalf("closing with a failing row: %v", err)
	}
	pt, _ := s.PeriodTallies(ctx, "", spec)
	if pt.Closed() || pt.Rows[fs[1].ID].Final {
		t.Fatal("a refused close changed the period")
	}
	rows[0].Counts = full(0, 25000, 397, 25000, 67, 20, 10)
	if _, err := s.SaveTallies(ctx, System, spec, rows[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.ClosePeriod(ctx, System, spec); err != nil {
		t.Fatalf("close: %v", err)
	}
	pt, _ = s.PeriodTallies(ctx, "", spec)
	if !pt.Closed() || !pt.Rows[fs[0].ID].Final || !pt.Rows[fs[1].ID].Final {
		t.Errorf("after close: closed %v, rows final %v %v", pt.Closed(), pt.Rows[fs[0].ID].Final, pt.Rows[fs[1].ID].Final)
	}
	var se *PeriodStateError
	if _, err := s.SaveTallies(ctx, System, spec, rows[:1]); !errors.As(err, &se) || se.Code != "tally.period_closed" {
		t.Errorf("editing a closed period: %v", err)
	}
	if err := s.ReopenPeriod(ctx, System, spec, "  "); err == nil {
		t.Error("reopened without a reason")
	}
	if err := s.ReopenPeriod(ctx, Actor{Name: "lanhdao", Role: RoleHead}, spec, "Sửa số liệu đất đai"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReopenPeriod(ctx, System, spec, "lần nữa"); !errors.As(err, &se) || se.Code != "tally.period_open" {
		t.Errorf("reopening an open period: %v", err)
	}
	ev, err := s.PeriodEvents(ctx, pt.Period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 2 || ev[0].Action != ActionClose || ev[1].Action != ActionReopen || ev[1].Reason != "Sửa số liệu đất đai" || ev[1].UserName != "lanhdao" {
		t.Errorf("events = %+v", ev)
	}
	if _, err := s.SaveTallies(ctx, System, spec, rows[:1]); err != nil {
		t.Errorf("editing after reopening: %v", err)
	}
}

func TestOverlappingPeriodRefused(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	row := []TallyInput{{FieldID: fs[0].ID, Counts: full(0, 1, 1, 1, 1, 0, 0)}}
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2023-04-15..2024-04-14"), row); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M04"), row); err != nil {
		t.Fatalf("a month inside a custom range is another kind: %v", err)
	}
	tests := []struct {
		name string
		spec domain.PeriodSpec
	}{
		{"custom inside custom", mustSpec(t, "2023-10-15..2024-10-14")},
		{"month under another cut-off", func() domain.PeriodSpec { p, _ := domain.ParsePeriod("2024-M04", 20); return p }()},
		{"month overlapping by days", func() domain.PeriodSpec { p, _ := domain.ParsePeriod("2024-M05", 10); return p }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SaveTallies(ctx, System, tt.spec, row)
			var oe *PeriodOverlapError
			if !errors.As(err, &oe) {
				t.Fatalf("error = %v, want a PeriodOverlapError", err)
			}
			if code, args := oe.MessageCode(); code != "tally.period_overlap" || args["Other"] == "" {
				t.Errorf("message = %s %v", code, args)
			}
		})
	}
	if ps, _ := s.Periods(ctx, ""); len(ps) != 2 {
		t.Errorf("%d periods stored, want 2", len(ps))
	}
}

func TestTallyFieldsEditable(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	f, err := s.AddTallyField(ctx, System, "  Công  thương ")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Công thương" || f.Code != "" || f.Position != len(DefaultTallyFields)+1 {
		t.Errorf("added %+v", f)
	}
	var ve *domain.ValidationError
	if _, err := s.AddTallyField(ctx, System, "ho tich"); !errors.As(err, &ve) {
		t.Errorf("a second Hộ tịch: %v", err)
	}
	if _, err := s.AddTallyField(ctx, Actor{Name: "canbo", Role: RoleOfficer}, "Khác nữa"); !errors.Is(err, ErrForbidden) {
		t.Errorf("officer adding a field: %v", err)
	}
	fs := mustFields(t, s)
	if err := s.RenameTallyField(ctx, System, fs[0].ID, "Hộ tịch - Quốc tịch"); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameTallyField(ctx, System, fs[0].ID, "Chứng thực"); !errors.As(err, &ve) {
		t.Errorf("renaming onto another field: %v", err)
	}
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M04"), []TallyInput{{FieldID: fs[2].ID, Counts: full(0, 1, 0, 1, 0, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTallyFieldDisabled(ctx, System, fs[2].ID, true); err != nil {
		t.Fatal(err)
	}
	after := mustFields(t, s)
	if after[0].Name != "Hộ tịch - Quốc tịch" || after[0].Code != "ho_tich" || !after[2].Disabled {
		t.Errorf("fields after edits: %+v %+v", after[0], after[2])
	}
	// A disabled field still shows where it holds a row, and not elsewhere.
	apr, _ := s.PeriodTallies(ctx, "", mustSpec(t, "2024-M04"))
	may, _ := s.PeriodTallies(ctx, "", mustSpec(t, "2024-M05"))
	has := func(pt PeriodTallies) bool {
		for _, f := range pt.Fields {
			if f.ID == fs[2].ID {
				return true
			}
		}
		return false
	}
	if !has(apr) || has(may) {
		t.Errorf("disabled field shown in April %v, May %v; want true, false", has(apr), has(may))
	}
}

func TestBlankRowRemovesStoredRow(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	spec := mustSpec(t, "2024-M04")
	if _, err := s.SaveTallies(ctx, System, spec, []TallyInput{{FieldID: fs[0].ID, Counts: full(0, 1, 0, 1, 0, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	res, err := s.SaveTallies(ctx, System, spec, []TallyInput{{FieldID: fs[0].ID}})
	if err != nil || res.Written != 1 {
		t.Fatalf("blank save: %+v, %v", res, err)
	}
	pt, _ := s.PeriodTallies(ctx, "", spec)
	if len(pt.Rows) != 0 {
		t.Errorf("%d rows after blanking", len(pt.Rows))
	}
	var deleted string
	s.db.QueryRowContext(ctx, `SELECT deleted_at FROM tallies`).Scan(&deleted)
	if deleted == "" {
		t.Error("the row was not kept as a tombstone")
	}
}

func TestSumRows(t *testing.T) {
	a := full(0, 10, 5, 8, 4, 1, 1)
	b := published()
	got := domain.SumRows([]domain.Counts{a, {}, b})
	if v, ok := got.Get(domain.ColReceived); !ok || v != 15+25723 {
		t.Errorf("(3) total = %v", got[domain.ColReceived])
	}
	if v, ok := got.Get(domain.ColLate); !ok || v != 21 {
		t.Errorf("(10) total = %v", got[domain.ColLate])
	}
	if got[domain.ColEarly] != nil || got[domain.ColOnline] != nil {
		t.Errorf("a column one row leaves blank has a total: (8) %v, (4) %v", got[domain.ColEarly], got[domain.ColOnline])
	}
	if domain.SumRows(nil) != (domain.Counts{}) {
		t.Error("no rows must give no totals")
	}
}

func TestSumCarried(t *testing.T) {
	row := full(0, 10, 5, 8, 4, 1, 1)
	tests := []struct {
		name string
		rows []domain.Counts
		prev []*int64
		want *int64
	}{
		{"every row has a previous (11)", []domain.Counts{row, row}, []*int64{domain.V(3), domain.V(4)}, domain.V(7)},
		{"an empty row does not count", []domain.Counts{row, {}}, []*int64{domain.V(3), domain.V(9)}, domain.V(3)},
		{"an empty row without a previous figure does not matter", []domain.Counts{row, {}}, []*int64{domain.V(3), nil}, domain.V(3)},
		{"a reporting row without a previous figure", []domain.Counts{row, row}, []*int64{domain.V(3), nil}, nil},
		{"fewer previous figures than rows", []domain.Counts{row, row}, []*int64{domain.V(3)}, nil},
		{"no reporting row", []domain.Counts{{}, {}}, []*int64{domain.V(3), domain.V(4)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.SumCarried(tt.rows, tt.prev)
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("SumCarried = %v, want %v", show(got), show(tt.want))
			}
		})
	}
}

func show(p *int64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// Carry-over has one home: what a row carries out is its (11), typed or
// computed; the next row's empty (6) takes it once the row has figures.
func TestCarryOver(t *testing.T) {
	var typed, computed, none domain.Counts
	typed[domain.ColInProgress] = domain.V(326)
	computed[domain.ColWithin], computed[domain.ColOverdue] = domain.V(300), domain.V(26)
	for _, tc := range []struct {
		c    domain.Counts
		want *int64
	}{{typed, domain.V(326)}, {computed, domain.V(326)}, {none, nil}} {
		got := tc.c.CarriedOut()
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("CarriedOut(%s) = %v", show(tc.c[domain.ColInProgress]), show(got))
		}
	}
	var row domain.Counts
	row[domain.ColOnline] = domain.V(10)
	if got := row.WithCarried(domain.V(326))[domain.ColCarried]; got == nil || *got != 326 {
		t.Errorf("an empty (6) was not filled: %v", show(got))
	}
	row[domain.ColCarried] = domain.V(5)
	if got := row.WithCarried(domain.V(326))[domain.ColCarried]; *got != 5 {
		t.Errorf("a typed (6) was replaced: %d", *got)
	}
	if got := (domain.Counts{}).WithCarried(domain.V(326)); !got.Empty() {
		t.Error("an empty row got figures")
	}
}

// The cell limit is Go's MaxCount, and the table's CHECK constraints (the
// last guard, migration 0003) say the same number for every column.
func TestCellLimitSameInGoAndSQL(t *testing.T) {
	s, _ := mustSetUp(t)
	var ddl string
	if err := s.db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tallies'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	for c := domain.FirstCol; c <= domain.LastCol; c++ {
		want := fmt.Sprintf("c%d IS NULL OR c%d BETWEEN 0 AND %d)", c, c, domain.MaxCount)
		if !strings.Contains(strings.Join(strings.Fields(ddl), " "), want) {
			t.Errorf("the tallies table does not bound c%d by domain.MaxCount (%d): want %q", c, domain.MaxCount, want)
		}
	}
}
