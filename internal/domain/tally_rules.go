package domain

import (
	"errors"
	"fmt"
	"math"

	"danvan/store/vn"
)

// Counts are the columns (3) to (13) of one row of Biểu 06, indexed by the
// column's number: c[3] is (3). Indexes 0–2 are never used. nil is "not
// reported"; a pointer to 0 is zero.
type Counts [14]*int64

// Column numbers of the form (domain.md §2).
const (
	ColReceived   = 3  // (3) = (4)+(5)+(6)
	ColOnline     = 4  // (4)
	ColInPerson   = 5  // (5)
	ColCarried    = 6  // (6) from the previous period
	ColProcessed  = 7  // (7) = (8)+(9)+(10)
	ColEarly      = 8  // (8)
	ColOnTime     = 9  // (9)
	ColLate       = 10 // (10)
	ColInProgress = 11 // (11) = (12)+(13)
	ColWithin     = 12 // (12)
	ColOverdue    = 13 // (13)
	FirstCol      = 3
	LastCol       = 13
)

// MaxCount is the largest count a cell may hold; more is a typing slip.
const MaxCount = 1_000_000_000

// TotalParts maps each total column to the columns it is made of.
var TotalParts = map[int][]int{
	ColReceived:   {ColOnline, ColInPerson, ColCarried},
	ColProcessed:  {ColEarly, ColOnTime, ColLate},
	ColInProgress: {ColWithin, ColOverdue},
}

// IsTotal reports whether column c is one of the totals (3), (7), (11).
func IsTotal(c int) bool { _, ok := TotalParts[c]; return ok }

// V returns a pointer to n, for building Counts.
func V(n int64) *int64 { return &n }

// Get returns column c and whether it is reported.
func (c Counts) Get(col int) (int64, bool) {
	if c[col] == nil {
		return 0, false
	}
	return *c[col], true
}

// Empty reports whether no column is reported.
func (c Counts) Empty() bool {
	for col := FirstCol; col <= LastCol; col++ {
		if c[col] != nil {
			return false
		}
	}
	return true
}

// SumOf adds columns; ok is false when any of them is not reported.
func (c Counts) SumOf(cols ...int) (int64, bool) {
	var s int64
	for _, col := range cols {
		v, ok := c.Get(col)
		if !ok {
			return 0, false
		}
		s += v
	}
	return s, true
}

// Effective fills each total left blank with the sum of its parts, when all
// the parts are reported. Typed totals are kept as typed, to be checked.
func (c Counts) Effective() Counts {
	out := c
	for total, parts := range TotalParts {
		if out[total] == nil {
			if s, ok := c.SumOf(parts...); ok {
				out[total] = V(s)
			}
		}
	}
	return out
}

// Rates are computed from the effective counts, never typed. A rate whose
// denominator is zero or not reported is NaN, which vn.FormatPercent shows
// as "—".
type Rates struct {
	OnTime  float64 // ((8)+(9)) / (7)
	Late    float64 // (10) / (7)
	Overdue float64 // (13) / (11)
}

// Rates computes the three shares of the form.
func (c Counts) Rates() Rates {
	e := c.Effective()
	r := Rates{OnTime: math.NaN(), Late: math.NaN(), Overdue: math.NaN()}
	if den, ok := e.Get(ColProcessed); ok {
		if n, ok := e.SumOf(ColEarly, ColOnTime); ok {
			r.OnTime = vn.Ratio(n, den)
		}
		if n, ok := e.Get(ColLate); ok {
			r.Late = vn.Ratio(n, den)
		}
	}
	if den, ok := e.Get(ColInProgress); ok {
		if n, ok := e.Get(ColOverdue); ok {
			r.Overdue = vn.Ratio(n, den)
		}
	}
	return r
}

// Identities a row must satisfy (domain.md §2).
const (
	IdentityReceived   = "received"    // (3) = (4)+(5)+(6)
	IdentityProcessed  = "processed"   // (7) = (8)+(9)+(10)
	IdentityInProgress = "in_progress" // (11) = (12)+(13)
	IdentityBalance    = "balance"     // (3) = (7)+(11)
	IdentityCarried    = "carried"     // (6) = previous period's (11)
	IdentityMissing    = "missing"     // a final row reports every column
)

// Problem is one failing rule of one tally row, with the numbers that show
// it. It implements Coded: the message key is "err.tally.<identity>".
type Problem struct {
	Identity string
	Column   int   // the cell to highlight
	Cells    []int // every cell the rule involves
	Left     int64 // the total as typed (or this period's (6))
	Right    int64 // what the parts add up to (or the previous (11))
	Missing  []int // for IdentityMissing: the blank columns
}

// Diff is how far apart the two sides are, always positive.
func (p Problem) Diff() int64 {
	if p.Left > p.Right {
		return p.Left - p.Right
	}
	return p.Right - p.Left
}

func (p Problem) Error() string {
	if p.Identity == IdentityMissing {
		return fmt.Sprintf("tally: columns %v not reported", p.Missing)
	}
	return fmt.Sprintf("tally: %s: %d vs %d (diff %d)", p.Identity, p.Left, p.Right, p.Diff())
}

// MessageCode implements Coded. Numbers are written the Vietnamese way
// (25.723) here, so every caller shows the same sentence.
func (p Problem) MessageCode() (string, map[string]any) {
	if p.Identity == IdentityMissing {
		cols := ""
		for i, c := range p.Missing {
			if i > 0 {
				cols += ", "
			}
			cols += fmt.Sprintf("(%d)", c)
		}
		return "tally.missing", map[string]any{"Columns": cols, "Count": len(p.Missing)}
	}
	return "tally." + p.Identity, map[string]any{
		"Left": vn.FormatInt(p.Left), "Right": vn.FormatInt(p.Right), "Diff": vn.FormatInt(p.Diff()),
	}
}

// Problems lists every failing rule of a row. It is the only home of the
// rules: the collecting office's SQL shortcut (tally_clean, migration 0009)
// only skips rows no rule here can fail, which TestSQLRulesAgreeWithGo
// checks for every blank pattern; a new rule that it lets through fails
// there, and tally_clean must then be narrowed in a new migration. prev is the previous
// period's effective (11) for this field, or nil when there is none. When
// final is true, blank columns are a problem too: a final row is complete.
func (c Counts) Problems(prev *int64, final bool) []Problem {
	var out []Problem
	e := c.Effective()
	for _, total := range []int{ColReceived, ColProcessed, ColInProgress} {
		parts := TotalParts[total]
		typed, ok := c.Get(total)
		sum, all := c.SumOf(parts...)
		if ok && all && typed != sum {
			id := map[int]string{ColReceived: IdentityReceived, ColProcessed: IdentityProcessed, ColInProgress: IdentityInProgress}[total]
			out = append(out, Problem{Identity: id, Column: total, Cells: append([]int{total}, parts...), Left: typed, Right: sum})
		}
	}
	if r, ok := e.Get(ColReceived); ok {
		if s, ok := e.SumOf(ColProcessed, ColInProgress); ok && r != s {
			out = append(out, Problem{Identity: IdentityBalance, Column: ColReceived, Cells: []int{ColReceived, ColProcessed, ColInProgress}, Left: r, Right: s})
		}
	}
	if prev != nil {
		if v, ok := c.Get(ColCarried); ok && v != *prev {
			out = append(out, Problem{Identity: IdentityCarried, Column: ColCarried, Cells: []int{ColCarried}, Left: v, Right: *prev})
		}
	}
	if final {
		var miss []int
		for col := FirstCol; col <= LastCol; col++ {
			if e[col] == nil {
				miss = append(miss, col)
			}
		}
		if len(miss) > 0 {
			out = append(out, Problem{Identity: IdentityMissing, Column: miss[0], Cells: miss, Missing: miss})
		}
	}
	return out
}

// CellError is a value that cannot go in a cell: negative, not a whole
// number, thousands dots in the wrong place, or above MaxCount.
type CellError struct {
	Code  string // "tally.negative", "tally.not_digits", "tally.grouping", "tally.too_large"
	Input string
}

func (e *CellError) Error() string { return fmt.Sprintf("tally: %q: %s", e.Input, e.Code) }

// MessageCode implements Coded.
func (e *CellError) MessageCode() (string, map[string]any) {
	return e.Code, map[string]any{"Input": e.Input, "Max": vn.FormatInt(MaxCount)}
}

// ParseCount reads what a person typed in a cell. Empty is "not reported"
// (nil); thousands dots are accepted where they belong (25.723).
func ParseCount(s string) (*int64, error) {
	n, err := vn.ParseInt(s, MaxCount)
	switch {
	case err == nil:
		return &n, nil
	case errors.Is(err, vn.ErrEmpty):
		return nil, nil
	case errors.Is(err, vn.ErrNegative):
		return nil, &CellError{Code: "tally.negative", Input: s}
	case errors.Is(err, vn.ErrGrouping):
		return nil, &CellError{Code: "tally.grouping", Input: s}
	case errors.Is(err, vn.ErrTooLarge):
		return nil, &CellError{Code: "tally.too_large", Input: s}
	}
	return nil, &CellError{Code: "tally.not_digits", Input: s}
}

// Validate checks the range of every cell; the parser already did for
// typed text, but API callers pass numbers.
func (c Counts) Validate() error {
	for col := FirstCol; col <= LastCol; col++ {
		if v, ok := c.Get(col); ok {
			if v < 0 {
				return &CellError{Code: "tally.negative", Input: fmt.Sprint(v)}
			}
			if v > MaxCount {
				return &CellError{Code: "tally.too_large", Input: fmt.Sprint(v)}
			}
		}
	}
	return nil
}

// CarriedOut is what the row carries into the next period: its (11),
// typed or computed from (12)+(13); nil when neither says. The next
// period's (6) is this (domain.md §2: this period's (6) = the previous
// period's (11)).
func (c Counts) CarriedOut() *int64 {
	if v, ok := c.Effective().Get(ColInProgress); ok {
		return V(v)
	}
	return nil
}

// WithCarried is c with (6) taken from prev, the previous period's
// CarriedOut, when the row has figures and (6) was left empty.
func (c Counts) WithCarried(prev *int64) Counts {
	if c[ColCarried] == nil && !c.Empty() && prev != nil {
		c[ColCarried] = V(*prev)
	}
	return c
}

// SumRows is the form's totals row: each column summed over the rows that
// report anything, with totals computed where left blank. A column some
// reporting row leaves blank has no total (nil), since a partial sum would
// pass for the whole.
func SumRows(rows []Counts) Counts {
	var out Counts
	first := true
	for _, c := range rows {
		if c.Empty() {
			continue
		}
		e := c.Effective()
		if first {
			out, first = e, false
			continue
		}
		out = out.Plus(e)
	}
	return out
}

// SumCarried is what the totals row's (6) must equal: the previous period's
// (11) added over the rows SumRows adds (those that report anything). It is
// nil when one of those rows has no previous figure, since the check would
// then compare a partial sum. prev[i] belongs to rows[i].
func SumCarried(rows []Counts, prev []*int64) *int64 {
	var s int64
	some := false
	for i, c := range rows {
		if c.Empty() {
			continue
		}
		if i >= len(prev) || prev[i] == nil {
			return nil
		}
		s, some = s+*prev[i], true
	}
	if !some {
		return nil
	}
	return &s
}

// Plus is the column-wise sum of c and o; a column blank in either is
// blank in the sum.
func (c Counts) Plus(o Counts) Counts {
	var out Counts
	for col := FirstCol; col <= LastCol; col++ {
		if c[col] != nil && o[col] != nil {
			out[col] = V(*c[col] + *o[col])
		}
	}
	return out
}
