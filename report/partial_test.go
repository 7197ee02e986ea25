package report

import (
	"context"
	"danvan/internal/domain"
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
		var c domain.Counts
		for col, v := range map[int]int64{domain.ColReceived: 10, domain.ColOnline: 6, domain.ColInPerson: 4, domain.ColCarried: 0,
			domain.ColProcessed: 10, domain.ColEarly: 5, domain.ColOnTime: 5, domain.ColLate: 0,
			domain.ColInProgress: 0, domain.ColWithin: 0, domain.ColOverdue: 0} {
			c[col] = domain.V(v)
		}
		if _, err := st.SaveTallies(ctx, store.System, domain.MonthPeriod(2026, m, 15), []store.TallyInput{{FieldID: fields[0].ID, Counts: c}}); err != nil {
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
	var c domain.Counts
	for col, v := range map[int]int64{domain.ColReceived: 20, domain.ColOnline: 10, domain.ColInPerson: 10, domain.ColCarried: 0,
		domain.ColProcessed: 20, domain.ColLate: 20, domain.ColInProgress: 0, domain.ColWithin: 0, domain.ColOverdue: 0} {
		c[col] = domain.V(v)
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
	c := store.Completeness{Kind: domain.PeriodQuarter, Year: 2024, Periods: store.PeriodsOfYear(domain.PeriodQuarter, 2024, 15),
		Rows: []store.CompletenessRow{{Office: domain.Office{Code: "SH", Name: "Xã Suối Hoa"}, Cells: make([]store.CompletenessCell, 4)}}}
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
