package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"danvan/report/sheet"
	"danvan/store"
)

// A half year with only its first three months entered prints the sum of
// those months and names the missing ones, in Biểu 06 and in the summary,
// instead of refusing as if nothing had been entered.
func TestPartialPeriodPrintsWhatExists(t *testing.T) {
	st := setUpStore(t)
	ctx := context.Background()
	fields, err := st.TallyFields(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for m := 1; m <= 3; m++ {
		var c store.Counts
		for col, v := range map[int]int64{store.ColReceived: 10, store.ColOnline: 6, store.ColInPerson: 4, store.ColCarried: 0,
			store.ColProcessed: 10, store.ColEarly: 5, store.ColOnTime: 5, store.ColLate: 0,
			store.ColInProgress: 0, store.ColWithin: 0, store.ColOverdue: 0} {
			c[col] = store.V(v)
		}
		if _, err := st.SaveTallies(ctx, store.System, store.MonthPeriod(2026, m, 15), []store.TallyInput{{FieldID: fields[0].ID, Counts: c}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []Kind{KindTally, KindSummary} {
		doc, err := Build(ctx, st, Request{Kind: k, Period: "2026-H1"})
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		var text strings.Builder
		for _, b := range doc.Blocks {
			if p, ok := b.(Paragraph); ok {
				text.WriteString(p.Text + "\n")
			}
		}
		if !strings.Contains(text.String(), "chưa có số liệu tháng 4 năm 2026, tháng 5 năm 2026, tháng 6 năm 2026") {
			t.Errorf("%s does not name the missing months:\n%s", k, text.String())
		}
	}
}

// A column left blank is said as not reported, not as 0.
func TestSummaryBlankIsNotZero(t *testing.T) {
	var c store.Counts
	for col, v := range map[int]int64{store.ColReceived: 20, store.ColOnline: 10, store.ColInPerson: 10, store.ColCarried: 0,
		store.ColProcessed: 20, store.ColLate: 20, store.ColInProgress: 0, store.ColWithin: 0, store.ColOverdue: 0} {
		c[col] = store.V(v)
	}
	blocks := tallySentences("xã", TallyRow{Field: "Hộ tịch", Counts: c}, false)
	text := blocks[0].(Paragraph).Text
	if !strings.Contains(text, "trước hạn chưa báo cáo, đúng hạn chưa báo cáo, quá hạn 20") {
		t.Errorf("summary: %s", text)
	}
}

// The completeness matrix carries its legend in every format: under the
// table in the PDF, after the rows in CSV and XLSX.
func TestCompletenessLegendInEveryFormat(t *testing.T) {
	c := store.Completeness{Kind: store.PeriodQuarter, Year: 2024, Periods: store.PeriodsOfYear(store.PeriodQuarter, 2024, 15),
		Rows: []store.CompletenessRow{{Office: store.Office{Code: "SH", Name: "Xã Suối Hoa"}, Cells: make([]store.CompletenessCell, 4)}}}
	doc, err := CompletenessDocument(testMeta(), c)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []Format{CSV, XLSX} {
		path := filepath.Join(dir, "c."+string(f))
		if err := doc.WriteFile(path, f); err != nil {
			t.Fatal(err)
		}
		tb, err := sheet.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range tb.Rows {
			if len(r) > 0 && strings.HasPrefix(r[0], "Ký hiệu: Đ = đã chốt") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no legend in %v", f, tb.Rows)
		}
	}
}
