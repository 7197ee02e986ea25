package report

import (
	"danvan/internal/domain"
	"danvan/store/vn"
)

// TallyRow is one line of Biểu 06: a TTHC field and its figures, columns
// (3) to (13) as the store keeps them (nil is "not reported").
type TallyRow struct {
	Field  string
	Counts domain.Counts
	// PrevInProgress is the previous period's (11) for this field, which
	// this period's (6) must equal; nil when it is not known.
	PrevInProgress *int64
}

// get is column c as printed and summed: the effective value (a blank
// total is the sum of its parts), 0 when not reported.
func (r TallyRow) get(c int) int64 {
	v, _ := r.Counts.Effective().Get(c)
	return v
}

// has reports whether column c has a value to print.
func (r TallyRow) has(c int) bool {
	_, ok := r.Counts.Effective().Get(c)
	return ok
}

// Mismatch is one identity of Biểu 06 that the figures break.
type Mismatch struct {
	Field       string // the row's field; "" for the totals row
	Rule        string // the store's identity: received, processed, in_progress, balance, carried
	Left, Right int64  // both sides as entered
	Cols        []int  // the columns to mark
}

// Diff is how far apart the two sides are.
func (m Mismatch) Diff() int64 {
	if m.Left > m.Right {
		return m.Left - m.Right
	}
	return m.Right - m.Left
}

// Sentence writes the mismatch for the section under the table:
// "(3) = 25.723 nhưng (7) + (11) = 25.813, chênh lệch 90 hồ sơ".
func (m Mismatch) Sentence() string {
	return p("mismatch."+m.Rule, args{
		"Left": vn.FormatInt(m.Left), "Right": vn.FormatInt(m.Right), "Diff": vn.FormatInt(m.Diff()),
	})
}

// CheckTally lists every identity of Biểu 06 (domain.md §2) that r breaks,
// by the store's own rules, so that paper and screen never disagree.
// Blank columns are not a mismatch here; the entry screen deals with them.
func CheckTally(r TallyRow) []Mismatch {
	var out []Mismatch
	for _, pr := range r.Counts.Problems(r.PrevInProgress, false) {
		out = append(out, Mismatch{Field: r.Field, Rule: pr.Identity, Left: pr.Left, Right: pr.Right, Cols: pr.Cells})
	}
	return out
}

// sumRows is the form's totals row, by the store's rules (domain.SumRows,
// domain.SumCarried): the very figures the entry screen shows under the
// grid, so that the paper and the screen never disagree.
func sumRows(rows []TallyRow) TallyRow {
	counts := make([]domain.Counts, len(rows))
	prev := make([]*int64, len(rows))
	for i, r := range rows {
		counts[i], prev[i] = r.Counts, r.PrevInProgress
	}
	return TallyRow{Counts: domain.SumRows(counts), PrevInProgress: domain.SumCarried(counts, prev)}
}

// OnTimeRate is ((8)+(9))/(7), LateRate (10)/(7), and ProcessedRate
// (7)/(3), the "đạt …%" of published reports; NaN without a base.
func (r TallyRow) OnTimeRate() float64 { return r.Counts.Rates().OnTime }
func (r TallyRow) LateRate() float64   { return r.Counts.Rates().Late }
func (r TallyRow) ProcessedRate() float64 {
	e := r.Counts.Effective()
	n, ok1 := e.Get(domain.ColProcessed)
	d, ok2 := e.Get(domain.ColReceived)
	if !ok1 || !ok2 {
		return vn.Ratio(0, 0)
	}
	return vn.Ratio(n, d)
}
