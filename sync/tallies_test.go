package sync

import (
	"context"
	"danvan/internal/domain"
	"testing"

	"danvan/store"
)

func (o *office) addTally(t testing.TB, period string, online int64) domain.PeriodSpec {
	t.Helper()
	ctx := context.Background()
	spec, err := domain.ParsePeriod(period, 15)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := o.st.TallyFields(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var c domain.Counts
	c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(online), domain.V(5), domain.V(0)
	c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(online), domain.V(4), domain.V(1)
	c[domain.ColWithin], c[domain.ColOverdue] = domain.V(0), domain.V(0)
	if _, err := o.st.SaveTallies(ctx, store.System, spec, []store.TallyInput{{FieldID: fs[0].ID, Counts: c, Final: true}}); err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestTalliesTravel: tallies arrive with their periods and fields, even
// when the batch that first carried them arrives later or never.
func TestTalliesTravel(t *testing.T) {
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	enroll(t, sh, htl)
	spec := sh.addTally(t, "2025-M12", 10)
	r1, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := r1.Manifest.Counts; c.Tallies != 1 || c.Periods != 1 || c.TallyFields < 1 {
		t.Errorf("first batch counts = %+v", c)
	}
	sh.addTally(t, "2025-M12", 20) // the same row, changed
	r2, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := r2.Manifest.Counts; c.Tallies != 1 || c.Periods != 1 || c.TallyFields != 1 {
		t.Errorf("second batch counts = %+v: it must carry the tally's period and field", c)
	}
	// Batch 2 first: it applies alone.
	r := ImportFileWith(ctx, htl.st, store.System, htl.dir, r2.Path, Options{DryRun: false, Key: htl.sg})
	if r.Err != nil || r.Chain.State != store.ChainGap || r.Import.Counts.Rejected != 0 {
		t.Fatalf("batch 2 first: %v %+v %+v", r.Err, r.Chain, r.Import)
	}
	r = ImportFileWith(ctx, htl.st, store.System, htl.dir, r1.Path, Options{DryRun: false, Key: htl.sg})
	if r.Err != nil || r.Import.Counts.Rejected != 0 {
		t.Fatalf("batch 1 after: %v %+v", r.Err, r.Import)
	}
	pt, err := htl.st.PeriodTallies(ctx, sh.self.ID, spec)
	if err != nil || len(pt.Rows) != 1 {
		t.Fatalf("SH's tallies at HTL: %d rows, %v", len(pt.Rows), err)
	}
	for _, row := range pt.Rows {
		if v := row.Counts[domain.ColOnline]; v == nil || *v != 20 {
			t.Errorf("(4) at HTL = %v, want the newer 20", v)
		}
	}
}
