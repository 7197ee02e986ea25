package report

import "danvan/store/vn"

// TallyRow is one line of Biểu 06: a TTHC field and its figures. Col[3]
// to Col[13] are the form's columns (3) to (13); Col[0..2] are unused, so
// that the code reads like the form.
type TallyRow struct {
	Field string
	Col   [14]int64
	// PrevInProgress is the previous period's (11) for this field, which
	// this period's (6) must equal; nil when it is not known.
	PrevInProgress *int64
}

// Mismatch is one identity of Biểu 06 that the figures break.
type Mismatch struct {
	Field       string // the row's field; "" for the totals row
	Rule        string // "(3) = (7) + (11)"
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

// CheckTally lists every identity of Biểu 06 (domain.md §2) that r breaks.
// Rates are never checked: they are computed, not typed in.
func CheckTally(r TallyRow) []Mismatch {
	c := r.Col
	var out []Mismatch
	add := func(rule string, left, right int64, cols ...int) {
		if left != right {
			out = append(out, Mismatch{Field: r.Field, Rule: rule, Left: left, Right: right, Cols: cols})
		}
	}
	add("received", c[3], c[4]+c[5]+c[6], 3, 4, 5, 6)
	add("processed", c[7], c[8]+c[9]+c[10], 7, 8, 9, 10)
	add("in_progress", c[11], c[12]+c[13], 11, 12, 13)
	add("balance", c[3], c[7]+c[11], 3, 7, 11)
	if r.PrevInProgress != nil {
		add("carried", c[6], *r.PrevInProgress, 6)
	}
	return out
}

// sumRows adds the figures of rows column by column. The carried-over
// check of the total holds when it holds for each row, so the total keeps
// the previous figures only when every row has them.
func sumRows(rows []TallyRow) TallyRow {
	var t TallyRow
	var prev int64
	allPrev := len(rows) > 0
	for _, r := range rows {
		for i := 3; i <= 13; i++ {
			t.Col[i] += r.Col[i]
		}
		if r.PrevInProgress == nil {
			allPrev = false
		} else {
			prev += *r.PrevInProgress
		}
	}
	if allPrev {
		t.PrevInProgress = &prev
	}
	return t
}

// OnTimeRate is ((8)+(9))/(7); LateRate is (10)/(7); ProcessedRate is
// (7)/(3), the "đạt …%" of published reports. NaN when the base is zero.
func (r TallyRow) OnTimeRate() float64    { return vn.Ratio(r.Col[8]+r.Col[9], r.Col[7]) }
func (r TallyRow) LateRate() float64      { return vn.Ratio(r.Col[10], r.Col[7]) }
func (r TallyRow) ProcessedRate() float64 { return vn.Ratio(r.Col[7], r.Col[3]) }
