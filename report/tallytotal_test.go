package report

import (
	"danvan/internal/domain"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTotalsRowLeftBlank is the case a reviewer found: two rows that each
// pass every rule, the second with (3) left blank. The screen's total of (3)
// is 15; the paper printed "10 (*)" with a mismatch that does not exist.
func TestTotalsRowLeftBlank(t *testing.T) {
	var a, b domain.Counts
	a[domain.ColReceived], a[domain.ColOnline], a[domain.ColInPerson], a[domain.ColCarried] = domain.V(10), domain.V(5), domain.V(5), domain.V(0)
	b[domain.ColOnline], b[domain.ColInPerson], b[domain.ColCarried] = domain.V(2), domain.V(3), domain.V(0)
	rows := []TallyRow{{Field: "Hộ tịch", Counts: a}, {Field: "Chứng thực", Counts: b}}
	for _, r := range rows {
		if ms := CheckTally(r); len(ms) > 0 {
			t.Fatalf("row %s should pass, got %v", r.Field, ms)
		}
	}
	doc, err := TallyDocument(testMeta(), TallyInput{Period: seedPeriod(), Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	_, text := writePDF(t, doc, "tally-blank-total")
	if strings.Contains(text, "(*)") {
		t.Errorf("the printed form marks a figure that adds up:\n%s", text)
	}
	total := tableRow(t, doc, "Tổng cộng")
	if got := total[domain.ColReceived]; got != "15" {
		t.Errorf("printed total of (3) = %q, want 15 (the screen's domain.SumRows)", got)
	}
	if got := total[domain.ColOnline]; got != "7" {
		t.Errorf("printed total of (4) = %q, want 7", got)
	}
}

// TestTotalsRowIsTheStoresSum holds the printed totals row to the store's
// SumRows, the screen's total, over random rows and blank patterns, and
// checks that rows which each pass every rule never give a failing total.
func TestTotalsRowIsTheStoresSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 6))
	for n := 0; n < 2000; n++ {
		rows := make([]TallyRow, 1+rng.IntN(4))
		counts := make([]domain.Counts, len(rows))
		allPass := true
		for i := range rows {
			rows[i] = TallyRow{Field: "f", Counts: randomRow(rng)}
			if rng.IntN(2) == 0 {
				rows[i].PrevInProgress = rows[i].Counts[domain.ColCarried]
			}
			counts[i] = rows[i].Counts
			allPass = allPass && len(CheckTally(rows[i])) == 0
		}
		got := sumRows(rows)
		if want := domain.SumRows(counts); got.Counts != want && !sameCounts(got.Counts, want) {
			t.Fatalf("rows %v: printed total %v, store total %v", rows, got.Counts, want)
		}
		if allPass {
			if ms := CheckTally(got); len(ms) > 0 {
				t.Fatalf("rows %v each pass, but their total fails %v", rows, ms)
			}
		}
	}
}

// randomRow gives a row whose parts are consistent and whose cells are left
// blank at random, the totals included: the patterns people type.
func randomRow(rng *rand.Rand) domain.Counts {
	var c domain.Counts
	v := func() int64 { return rng.Int64N(50) }
	c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(v()), domain.V(v()), domain.V(v())
	recv := *c[domain.ColOnline] + *c[domain.ColInPerson] + *c[domain.ColCarried]
	c[domain.ColReceived] = domain.V(recv)
	proc := rng.Int64N(recv + 1)
	early := rng.Int64N(proc + 1)
	onTime := rng.Int64N(proc - early + 1)
	c[domain.ColProcessed], c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(proc), domain.V(early), domain.V(onTime), domain.V(proc-early-onTime)
	prog := recv - proc
	within := rng.Int64N(prog + 1)
	c[domain.ColInProgress], c[domain.ColWithin], c[domain.ColOverdue] = domain.V(prog), domain.V(within), domain.V(prog-within)
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		switch rng.IntN(4) {
		case 0:
			c[col] = nil // left blank
		case 1:
			if rng.IntN(8) == 0 {
				c[col] = domain.V(*c[col] + 1) // a slip
			}
		}
	}
	return c
}

func sameCounts(a, b domain.Counts) bool {
	for col := domain.FirstCol; col <= domain.LastCol; col++ {
		if (a[col] == nil) != (b[col] == nil) || (a[col] != nil && *a[col] != *b[col]) {
			return false
		}
	}
	return true
}

// tableRow finds the first table row of doc whose second cell is label and
// returns its cells by column number of the form: [3] is (3).
func tableRow(t *testing.T, doc *Document, label string) map[int]string {
	t.Helper()
	for _, bl := range doc.Blocks {
		tb, ok := bl.(TableBlock)
		if !ok {
			continue
		}
		for _, r := range tb.Table.Rows {
			if len(r.Cells) > 2 && r.Cells[1].Text == label {
				out := map[int]string{}
				for i, c := range r.Cells[2:] {
					out[3+i] = c.String()
				}
				return out
			}
		}
	}
	t.Fatalf("no row %q in the document", label)
	return nil
}
