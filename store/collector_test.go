package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// mustSetUpCollector opens a store set up as a collecting office.
func mustSetUpCollector(tb testing.TB) (*Store, domain.Office) {
	tb.Helper()
	s := mustOpenStore(tb)
	st := domain.DefaultSettings()
	st.CollectorName = "Ban Dân vận Tỉnh ủy"
	o, err := s.Setup(context.Background(), SetupInput{
		Office:   domain.Office{Code: "TL", Name: "Ban Dân vận Huyện ủy Tân Lạc", Kind: domain.KindHuyen, Role: domain.RoleCollector},
		Settings: st,
	})
	if err != nil {
		tb.Fatalf("Setup: %v", err)
	}
	return s, o
}

// receiveBatch records an empty batch of office as made at created and
// arriving at arrived.
func receiveBatch(tb testing.TB, s *Store, office string, seq int64, created, arrived time.Time) error {
	tb.Helper()
	old := s.Now
	s.Now = func() time.Time { return arrived }
	defer func() { s.Now = old }()
	_, err := s.importOne(context.Background(), System, IncomingBatch{OfficeID: office, Seq: seq,
		SHA256: fmt.Sprintf("%064d", seq), PrevSHA256: fmt.Sprintf("%064d", seq-1), FileName: "x.zip", CreatedAt: created}, false)
	return err
}

// storePeriod stores office's period as the unit saved it at saved, and
// closes it at closed unless that is zero.
func storePeriod(tb testing.TB, s *Store, office string, spec domain.PeriodSpec, saved, closed time.Time) {
	tb.Helper()
	old := s.Now
	s.Now = func() time.Time { return saved }
	putRows(tb, s, office, spec, map[string]domain.Counts{"ho_tich": full(0, 10, 5, 5, 5, 0, 5)}, !closed.IsZero())
	s.Now = old
	if !closed.IsZero() {
		if _, err := s.db.Exec(`UPDATE periods SET closed = 1, closed_at = ? WHERE owner_office_id = ? AND code = ?`, fmtTime(closed), office, spec.Code()); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestCompletenessMatrix(t *testing.T) {
	s, _ := mustSetUpCollector(t)
	ctx := context.Background()
	s.Now = func() time.Time { return at("2024-01-02T00:00:00Z") } // the units are enrolled at the start of 2024
	a, b, c, d, e := seedOffice(t, s, "A"), seedOffice(t, s, "B"), seedOffice(t, s, "C"), seedOffice(t, s, "D"), seedOffice(t, s, "E")
	// F is enrolled on 25/03, after March's report was due: March is not
	// overdue for it, nor expected.
	s.Now = func() time.Time { return at("2024-03-25T00:00:00Z") }
	f := seedOffice(t, s, "F")
	mar := domain.MonthPeriod(2024, 3, 15) // 15/02–14/03/2024; due Monday 18/03
	if got := mar.Due(2); !got.Equal(at("2024-03-18T00:00:00Z")) {
		t.Fatalf("due %v", got)
	}
	storePeriod(t, s, a, mar, at("2024-03-15T09:00:00Z"), at("2024-03-15T10:00:00Z"))
	if err := receiveBatch(t, s, a, 1, at("2024-03-15T11:00:00Z"), at("2024-03-16T08:00:00Z")); err != nil {
		t.Fatal(err)
	}
	storePeriod(t, s, b, mar, at("2024-03-15T09:00:00Z"), at("2024-03-19T10:00:00Z"))
	if err := receiveBatch(t, s, b, 1, at("2024-03-19T11:00:00Z"), at("2024-03-20T08:00:00Z")); err != nil {
		t.Fatal(err)
	}
	storePeriod(t, s, c, mar, at("2024-03-15T09:00:00Z"), time.Time{})
	if err := receiveBatch(t, s, c, 1, at("2024-03-15T11:00:00Z"), at("2024-03-15T12:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if err := s.MergeOffice(ctx, System, e, a, at("2024-07-01T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return at("2024-04-01T00:00:00Z") }
	m, err := s.Completeness(ctx, domain.PeriodMonth, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Periods) != 12 || len(m.Rows) != 6 {
		t.Fatalf("%d periods × %d rows", len(m.Periods), len(m.Rows))
	}
	row := func(id string) CompletenessRow {
		for _, r := range m.Rows {
			if r.Office.ID == id {
				return r
			}
		}
		t.Fatalf("no row for %s", id)
		return CompletenessRow{}
	}
	for _, tt := range []struct {
		name   string
		office string
		month  int
		state  CellState
		timely Timeliness
	}{
		{"closed on time", a, 3, CellClosed, OnTime},
		{"closed late", b, 3, CellClosed, Late},
		{"draft past due", c, 3, CellDraft, Late},
		{"missing past due", d, 3, CellMissing, Late},
		{"missing before due", d, 4, CellMissing, NotDue},
		{"merged unit before the merger", e, 3, CellMissing, Late},
		{"merged unit after the merger", e, 8, CellMerged, ""},
		{"due before the unit was enrolled", f, 3, CellMissing, NotDue},
		{"due after the unit was enrolled", f, 4, CellMissing, NotDue},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cell := row(tt.office).Cells[tt.month-1]
			if cell.State != tt.state || cell.Timely != tt.timely {
				t.Errorf("cell = %s/%s, want %s/%s", cell.State, cell.Timely, tt.state, tt.timely)
			}
		})
	}
	if r := row(e); r.MergedInto != "A" {
		t.Errorf("E merged into %q", r.MergedInto)
	}
	// On 01/04 months 01 to 03 are past due: 3 months × 5 units; none for
	// F, enrolled after they were due.
	if got, want := [4]int{m.Expected, m.Received, m.Closed, m.OnTime}, [4]int{15, 3, 2, 1}; got != want {
		t.Errorf("expected/received/closed/on time = %v, want %v", got, want)
	}
	if _, err := s.Completeness(ctx, domain.PeriodCustom, 2024); err == nil {
		t.Error("a custom kind has no matrix")
	}
}

func TestMergeRules(t *testing.T) {
	s, self := mustSetUpCollector(t)
	ctx := context.Background()
	a, b := seedOffice(t, s, "A"), seedOffice(t, s, "B")
	from := at("2025-07-01T00:00:00Z")
	for _, tt := range []struct {
		name       string
		unit, into string
		code       string
	}{
		{"into itself", a, a, "collector.merge_self"},
		{"this office", self.ID, a, "collector.merge_self"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ce *CollectorError
			if err := s.MergeOffice(ctx, System, tt.unit, tt.into, from); !errors.As(err, &ce) || ce.Code != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
	if err := s.MergeOffice(ctx, System, a, b, from); err != nil {
		t.Fatal(err)
	}
	var ce *CollectorError
	if err := s.MergeOffice(ctx, System, b, a, from); !errors.As(err, &ce) || ce.Code != "collector.merge_cycle" {
		t.Errorf("cycle: %v", err)
	}
	if err := s.MergeOffice(ctx, Actor{Name: "cb", Role: RoleOfficer}, a, b, from); !errors.Is(err, ErrForbidden) {
		t.Errorf("officer merging: %v", err)
	}

	// A batch dated before the merger is history and imports; one dated
	// after is refused with nothing changed.
	if err := receiveBatch(t, s, a, 1, at("2025-06-30T10:00:00Z"), at("2025-07-02T10:00:00Z")); err != nil {
		t.Errorf("batch before the merger: %v", err)
	}
	err := receiveBatch(t, s, a, 2, at("2025-07-01T01:00:00Z"), at("2025-07-02T10:00:00Z"))
	var me *MergedAwayError
	if !errors.As(err, &me) || me.Into != "B" || me.Office != "A" {
		t.Fatalf("batch after the merger: %v", err)
	}
	if code, args := me.MessageCode(); code != "collector.merged_away" || args["From"] != "01/07/2025" {
		t.Errorf("message %s %v", code, args)
	}
	if got, _ := s.ReceivedBatches(ctx, a); len(got) != 1 {
		t.Errorf("%d batches recorded after a refusal", len(got))
	}

	ov, err := s.OfficesOverview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov) != 2 || ov[0].Code != "A" || ov[0].MergedInto != "B" || ov[0].LastSeq != 1 || ov[1].Merger != nil {
		t.Errorf("overview = %+v", ov)
	}
	if err := s.UnmergeOffice(ctx, System, a); err != nil {
		t.Fatal(err)
	}
	if err := s.UnmergeOffice(ctx, System, a); !errors.Is(err, ErrNotFound) {
		t.Errorf("unmerging twice: %v", err)
	}
}

func TestOfficesOverviewMissing(t *testing.T) {
	s, _ := mustSetUpCollector(t)
	ctx := context.Background()
	a := seedOffice(t, s, "A")
	for _, seq := range []int64{1, 2, 5} {
		// Seqs 3 and 4 never arrive; 5 names a prev we do not hold, a gap.
		if err := receiveBatch(t, s, a, seq, at("2024-01-01T00:00:00Z").Add(time.Duration(seq)*time.Hour), at("2024-02-01T00:00:00Z").Add(time.Duration(seq)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	ov, err := s.OfficesOverview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o := ov[0]
	if o.LastSeq != 5 || o.Batches != 3 || SeqRanges(o.Missing) != "3–4" || !o.LastArrived.Equal(at("2024-02-01T05:00:00Z")) {
		t.Errorf("overview = %+v", o)
	}
}

func TestRollupTalliesMergedAndEmpty(t *testing.T) {
	s, _ := mustSetUpCollector(t)
	ctx := context.Background()
	a, b, e := seedOffice(t, s, "A"), seedOffice(t, s, "B"), seedOffice(t, s, "E")
	h1, h2 := domain.HalfPeriod(2024, 1, 15), domain.HalfPeriod(2024, 2, 15)
	row := full(2, 10, 5, 5, 5, 2, 5)
	for _, id := range []string{a, b, e} {
		putRows(t, s, id, h1, map[string]domain.Counts{"ho_tich": row}, true)
	}
	putRows(t, s, a, h2, map[string]domain.Counts{"ho_tich": full(5, 10, 5, 10, 5, 0, 5)}, true)
	putRows(t, s, b, h2, map[string]domain.Counts{"ho_tich": full(5, 10, 5, 10, 5, 0, 5)}, true)
	// E's last half-year came in before the merger, and one of its rows is
	// a draft that does not balance.
	bad := full(5, 10, 5, 10, 5, 0, 5)
	bad[domain.ColInProgress] = domain.V(9)
	putRows(t, s, e, h2, map[string]domain.Counts{"ho_tich": bad}, false)
	if err := s.MergeOffice(ctx, System, e, a, h2.Start); err != nil {
		t.Fatal(err)
	}

	t.Run("before the merger each unit is its own", func(t *testing.T) {
		r, err := s.RollupTallies(ctx, h1)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Units) != 3 || r.NoData {
			t.Fatalf("%d units", len(r.Units))
		}
		if got := *r.Total[domain.ColReceived]; got != 3*17 {
			t.Errorf("(3) total = %d", got)
		}
	})
	t.Run("after the merger the unit counts under the new one", func(t *testing.T) {
		r, err := s.RollupTallies(ctx, h2)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Units) != 2 {
			t.Fatalf("%d units: %+v", len(r.Units), r.Units)
		}
		ua := r.Units[0]
		if ua.Office.Code != "A" || len(ua.Members) != 1 || ua.Members[0] != "E" || *ua.Total[domain.ColReceived] != 40 {
			t.Errorf("unit A = %+v", ua)
		}
		if len(r.Failures) == 0 || r.Failures[0].OfficeCode != "E" {
			t.Errorf("failures = %+v", r.Failures)
		}
	})
	t.Run("a period with no data", func(t *testing.T) {
		r, err := s.RollupTallies(ctx, domain.YearPeriod(2022, 15))
		if err != nil {
			t.Fatal(err)
		}
		if !r.NoData || len(r.Units) != 3 || !r.Units[0].NoData {
			t.Errorf("no data: %+v", r)
		}
	})
}

// BenchmarkCompleteness opens the month matrix of a year for a collecting
// office holding 3.321 units with twelve months each. Goal: ≤ 1 s.
func BenchmarkCompleteness(b *testing.B) {
	const units = 3321
	s := mustOpenStore(b)
	ctx := context.Background()
	if _, err := s.Setup(ctx, SetupInput{Office: domain.Office{Code: "TINH", Name: "Ban Dân vận Tỉnh ủy", Kind: domain.KindTinh, Role: domain.RoleCollector},
		Settings: func() domain.Settings { st := domain.DefaultSettings(); st.CollectorName = "Trung ương"; return st }()}); err != nil {
		b.Fatal(err)
	}
	if err := fillUnits(s, units, 1); err != nil {
		b.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE periods SET closed = 1, closed_at = created_at WHERE rowid % 3 = 0`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO batches_received(office_id, seq, sha256, prev_sha256, file_name, created_at, arrived_at, imported_by,
		n_new, n_updated, n_unchanged, n_older, n_rejected) SELECT id, 1, id, '', 'x.zip', created_at, created_at, 'bench', 0, 0, 0, 0, 0 FROM offices WHERE is_self = 0`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		m, err := s.Completeness(ctx, domain.PeriodMonth, 2024)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Rows) != units || m.Rows[0].Cells[0].State == CellMissing {
			b.Fatalf("%d rows, first cell %s", len(m.Rows), m.Rows[0].Cells[0].State)
		}
	}
}

// One decision for what a completeness cell says, shared by the printed
// report, the command line and the window.
func TestCompletenessCellMark(t *testing.T) {
	for _, tc := range []struct {
		c       CompletenessCell
		code    string
		overdue bool
	}{
		{CompletenessCell{State: CellClosed, Timely: OnTime}, "on_time", false},
		{CompletenessCell{State: CellClosed, Timely: Late}, "late", false},
		{CompletenessCell{State: CellDraft, Timely: Late}, "draft", true},
		{CompletenessCell{State: CellDraft}, "draft", false},
		{CompletenessCell{State: CellMissing, Timely: Late}, "missing", true},
		{CompletenessCell{State: CellMissing}, "missing", false},
		{CompletenessCell{State: CellMerged, Timely: Late}, "merged", false},
	} {
		if code, overdue := tc.c.Mark(); code != tc.code || overdue != tc.overdue {
			t.Errorf("%+v: %s %v", tc.c, code, overdue)
		}
	}
}
