package report

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"testing"
	"time"

	"danvan/store"
)

// saveSeedTally stores the published seed figures in the first TTHC field
// for the year 2024, as a draft (they break an identity, so they cannot be
// final).
func saveSeedTally(t testing.TB, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	spec, err := domain.ParsePeriod("2024-Y", 15)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := st.TallyFields(ctx, "")
	if err != nil || len(fields) == 0 {
		t.Fatalf("TallyFields: %v %d", err, len(fields))
	}
	seed := seedTally()[0].Counts
	if _, err := st.SaveTallies(ctx, store.System, spec, []store.TallyInput{{FieldID: fields[0].ID, Counts: seed}}); err != nil {
		t.Fatalf("SaveTallies: %v", err)
	}
}

func TestBuildTallyFromStore(t *testing.T) {
	st := setUpStore(t)
	saveSeedTally(t, st)
	ctx := context.Background()
	date := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	t.Run("stored period", func(t *testing.T) {
		doc, err := Build(ctx, st, Request{Kind: KindTally, Period: "2024-Y", Number: 3, Date: date})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "store-tally")
		mustContain(t, text, "Biểu số 06/VPCP/KSTT", "Số: 03/BC-UBND",
			"Kỳ báo cáo: Năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)",
			"25.723 (*)", "chênh lệch 90 hồ sơ", "0,08%")
	})
	t.Run("range rolled up", func(t *testing.T) {
		doc, err := Build(ctx, st, Request{Kind: KindTally, Period: "2023-12-15..2024-12-14", Date: date})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "store-tally-range")
		mustContain(t, text, "Kỳ báo cáo: từ ngày 15/12/2023 đến ngày 14/12/2024", "25.487")
	})
	for _, tc := range []struct {
		name string
		req  Request
		want any
	}{
		{"empty period", Request{Kind: KindTally}, new(*PeriodRequiredError)},
		{"period without figures", Request{Kind: KindTally, Period: "2025-Q1"}, new(*NoDataError)},
		{"bad period", Request{Kind: KindTally, Period: "2024-X"}, new(domain.Coded)},
		{"unknown report", Request{Kind: "bogus"}, new(*KindError)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(ctx, st, tc.req)
			if err == nil || !errors.As(err, tc.want) {
				t.Errorf("err = %v, want %T", err, tc.want)
			}
		})
	}
}

// TestBlankColumns: a row typed with parts only prints its computed totals
// and leaves unreported cells blank rather than printing a made-up 0.
func TestBlankColumns(t *testing.T) {
	var c domain.Counts
	c[4], c[5], c[6] = domain.V(10), domain.V(5), domain.V(1)
	c[8], c[9], c[10] = domain.V(8), domain.V(4), domain.V(0)
	tb, _ := tallyTable(TallyInput{Period: seedPeriod(), Rows: []TallyRow{{Field: "Hộ tịch", Counts: c}}})
	row := tb.Rows[0].Cells
	if got := row[2].String(); got != "16" {
		t.Errorf("(3) = %q, want the sum 16", got)
	}
	if got := row[6].String(); got != "12" {
		t.Errorf("(7) = %q, want the sum 12", got)
	}
	if got := row[10].String(); got != "" {
		t.Errorf("(11) = %q, want blank: nothing reported", got)
	}
}
