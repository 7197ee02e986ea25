package tanlac

import (
	"context"
	"danvan/internal/domain"
	"os"
	"testing"
	"time"

	"danvan/store"
	dsync "danvan/sync"
)

func init() { dsync.KDFCost = dsync.FastKDF }

// expectRange is what a person gets by combining quarters first..last of
// one field by hand, following domain.md §2: received = the first
// quarter's carry-over plus every new receipt, processed summed, in
// progress that of the last quarter.
func expectRange(qs [4]domain.Counts, first, last int) [14]int64 {
	var out [14]int64
	out[domain.ColCarried] = *qs[first][domain.ColCarried]
	for q := first; q <= last; q++ {
		for _, c := range []int{domain.ColOnline, domain.ColInPerson, domain.ColEarly, domain.ColOnTime, domain.ColLate} {
			out[c] += *qs[q][c]
		}
	}
	out[domain.ColReceived] = out[domain.ColCarried] + out[domain.ColOnline] + out[domain.ColInPerson]
	out[domain.ColProcessed] = out[domain.ColEarly] + out[domain.ColOnTime] + out[domain.ColLate]
	for _, c := range []int{domain.ColInProgress, domain.ColWithin, domain.ColOverdue} {
		out[c] = *qs[last][c]
	}
	return out
}

func activeAt(e ModelEntry, y int) bool { return e.Year <= y && (e.StopYear == 0 || e.StopYear > y) }

// TestTanLacEndToEnd: the sixteen units each export their batches, the
// collecting office imports every file, and its roll-ups match what the
// communes entered, unit by unit, field by field and in total.
func TestTanLacEndToEnd(t *testing.T) {
	ctx := context.Background()
	d, err := Build(ctx, t.TempDir(), Options{Year: 2024, Passphrase: "mật khẩu ký"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Batches, 4*len(Units)-1; got != want {
		t.Errorf("%d batches imported, want %d", got, want)
	}
	st, err := store.Open(ctx, d.CollectorDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ov, err := st.OfficesOverview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov) != len(Units) {
		t.Fatalf("%d offices enrolled, want %d", len(ov), len(Units))
	}
	for _, o := range ov {
		want := int64(4)
		if o.Code == MissingUnit {
			want = 3
		}
		if o.LastSeq != want || len(o.Missing) != 0 || o.KeyID == "" {
			t.Errorf("%s: last seq %d, missing %v, key %q", o.Code, o.LastSeq, o.Missing, o.KeyID)
		}
	}
	receipts, _ := os.ReadDir(d.ReceiptDir)
	if len(receipts) != len(Units) {
		t.Errorf("%d receipts written for the senders, want %d", len(receipts), len(Units))
	}

	t.Run("models", func(t *testing.T) {
		const year, base = 2024, 2019
		r, err := st.RollupModels(ctx, year, base)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Units) != len(Units) {
			t.Fatalf("%d units in the roll-up", len(r.Units))
		}
		wantField, wantBase := map[domain.Field]int{}, 0
		wantTotal := 0
		for _, u := range r.Units {
			now := map[domain.Field]int{}
			n, b := 0, 0
			for _, e := range d.Entered.Models[u.Office.Code] {
				if activeAt(e, year) {
					now[e.Field]++
					n++
				}
				if activeAt(e, base) {
					b++
				}
			}
			for _, f := range domain.Fields {
				if u.Now[f] != now[f] {
					t.Errorf("%s %s: %d, entered %d", u.Office.Code, f, u.Now[f], now[f])
				}
				wantField[f] += now[f]
			}
			if u.Total != n || u.BaseTot != b {
				t.Errorf("%s: total %d base %d, entered %d and %d", u.Office.Code, u.Total, u.BaseTot, n, b)
			}
			wantTotal += n
			wantBase += b
		}
		for _, f := range domain.Fields {
			if r.ByField[f] != wantField[f] {
				t.Errorf("field %s total %d, want %d", f, r.ByField[f], wantField[f])
			}
		}
		if r.Total != wantTotal || r.BaseTot != wantBase || r.Change() != wantTotal-wantBase {
			t.Errorf("grand total %d (base %d), want %d (%d)", r.Total, r.BaseTot, wantTotal, wantBase)
		}
		if wantTotal == wantBase || r.ByField[domain.FieldPolitical] == 0 || r.Exemplars == 0 {
			t.Error("the demo data does not exercise every column")
		}
	})

	t.Run("tallies over nine months", func(t *testing.T) {
		spec, _ := domain.ParsePeriod("2024-9M", 15)
		r, err := st.RollupTallies(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Units) != len(Units) || len(r.Failures) != 0 {
			t.Fatalf("%d units, failures %+v", len(r.Units), r.Failures)
		}
		var grand [14]int64
		byField := map[string][14]int64{}
		for _, u := range r.Units {
			if u.NoData {
				t.Errorf("%s has no data", u.Office.Code)
				continue
			}
			var unitTotal [14]int64
			for _, row := range u.Fields {
				want := expectRange(d.Entered.Tallies[u.Office.Code][row.FieldKey], 0, 2)
				bf := byField[row.FieldKey]
				for c := domain.FirstCol; c <= domain.LastCol; c++ {
					got, ok := row.Counts.Get(c)
					if !ok || got != want[c] {
						t.Errorf("%s %s (%d) = %d, entered %d", u.Office.Code, row.FieldKey, c, got, want[c])
					}
					unitTotal[c] += want[c]
					bf[c] += want[c]
					grand[c] += want[c]
				}
				byField[row.FieldKey] = bf
			}
			for c := domain.FirstCol; c <= domain.LastCol; c++ {
				if got, _ := u.Total.Get(c); got != unitTotal[c] {
					t.Errorf("%s total (%d) = %d, want %d", u.Office.Code, c, got, unitTotal[c])
				}
			}
		}
		for _, row := range r.ByField {
			for c := domain.FirstCol; c <= domain.LastCol; c++ {
				if got, _ := row.Counts.Get(c); got != byField[row.FieldKey][c] {
					t.Errorf("field %s (%d) = %d, want %d", row.FieldKey, c, got, byField[row.FieldKey][c])
				}
			}
		}
		for c := domain.FirstCol; c <= domain.LastCol; c++ {
			if got, _ := r.Total.Get(c); got != grand[c] {
				t.Errorf("grand total (%d) = %d, want %d", c, got, grand[c])
			}
		}
	})

	t.Run("tallies over the year", func(t *testing.T) {
		r, err := st.RollupTallies(ctx, domain.YearPeriod(2024, 15))
		if err != nil {
			t.Fatal(err)
		}
		q4 := domain.QuarterPeriod(2024, 4, 15)
		for _, u := range r.Units {
			last := 3
			if u.Office.Code == MissingUnit {
				// Three quarters of four: summed as sent, with Q4 named as
				// missing, not printed as "no data".
				if u.NoData || !u.Partial || len(u.Missing) != 1 || !u.Missing[0].Start.Equal(q4.Start) || !u.Missing[0].End.Equal(q4.End) {
					t.Errorf("%s sent three quarters of four: partial %v, no data %v, missing %+v", u.Office.Code, u.Partial, u.NoData, u.Missing)
				}
				last = 2
			}
			for _, row := range u.Fields {
				want := expectRange(d.Entered.Tallies[u.Office.Code][row.FieldKey], 0, last)
				if got, _ := row.Counts.Get(domain.ColReceived); got != want[domain.ColReceived] {
					t.Errorf("%s %s (3) = %d, entered %d", u.Office.Code, row.FieldKey, got, want[domain.ColReceived])
				}
			}
			if u.Office.Code == DraftUnit && u.Drafts != len(TallyFields) {
				t.Errorf("%s: %d draft rows", u.Office.Code, u.Drafts)
			}
		}
	})

	t.Run("completeness", func(t *testing.T) {
		st.Now = func() time.Time { return time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC) }
		c, err := st.Completeness(ctx, domain.PeriodQuarter, 2024)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Rows {
			for q, cell := range r.Cells {
				state, timely := store.CellClosed, store.OnTime
				if q == 3 {
					switch r.Office.Code {
					case LateUnit:
						timely = store.Late
					case DraftUnit:
						state, timely = store.CellDraft, store.Late
					case MissingUnit:
						state, timely = store.CellMissing, store.Late
					}
				}
				if cell.State != state || cell.Timely != timely {
					t.Errorf("%s Q%d: %s/%s, want %s/%s", r.Office.Code, q+1, cell.State, cell.Timely, state, timely)
				}
			}
		}
		if got, want := [4]int{c.Expected, c.Received, c.Closed, c.OnTime}, [4]int{64, 63, 62, 61}; got != want {
			t.Errorf("expected/received/closed/on time = %v, want %v", got, want)
		}
	})
}
