package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is the length of a reporting period (kỳ báo cáo).
type PeriodKind string

const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodHalf    PeriodKind = "half"
	PeriodNine    PeriodKind = "nine_months"
	PeriodYear    PeriodKind = "year"
	PeriodCustom  PeriodKind = "custom"
)

// PeriodKinds lists the kinds from the shortest; the roll-up tries them in
// this order, so the finest stored periods are preferred.
var PeriodKinds = []PeriodKind{PeriodMonth, PeriodQuarter, PeriodHalf, PeriodNine, PeriodYear, PeriodCustom}

// Valid reports whether k is one of PeriodKinds.
func (k PeriodKind) Valid() bool {
	for _, v := range PeriodKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Years a period may fall in. The bounds keep typing slips such as 20224
// from creating periods nobody can see.
const (
	MinPeriodYear = 1990
	MaxPeriodYear = 2100
	// MaxCustomDays bounds a custom range; longer ones are almost surely a slip.
	MaxCustomDays = 5 * 366
)

// DateLayout is how calendar dates are kept in TEXT columns and written in
// custom period codes: sortable, and the ISO form scripts expect.
// DateLayout is how days are written in the database and in period codes.
const DateLayout = "2006-01-02"

// PeriodSpec names one reporting period and its dates. Start and End are
// whole days at midnight UTC, End inclusive.
type PeriodSpec struct {
	Kind  PeriodKind
	Year  int // the report's year; for a custom range, the year of End
	N     int // month 1–12, quarter 1–4, half 1–2; 0 otherwise
	Start time.Time
	End   time.Time
}

// Code is the period in the syntax of CLI.md: 2024-M04, 2024-Q2, 2024-H1,
// 2024-9M, 2024-Y or 2023-04-15..2024-04-14.
func (p PeriodSpec) Code() string {
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("%04d-M%02d", p.Year, p.N)
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case PeriodHalf:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case PeriodNine:
		return fmt.Sprintf("%04d-9M", p.Year)
	case PeriodYear:
		return fmt.Sprintf("%04d-Y", p.Year)
	}
	return p.Start.Format(DateLayout) + ".." + p.End.Format(DateLayout)
}

func (p PeriodSpec) String() string { return p.Code() }

// Days is the number of days the period covers.
func (p PeriodSpec) Days() int { return int(p.End.Sub(p.Start).Hours()/24) + 1 }

// Contains reports whether the day d falls in the period.
func (p PeriodSpec) Contains(d time.Time) bool {
	d = Day(d)
	return !d.Before(p.Start) && !d.After(p.End)
}

// Due is the day the report is due: workingDays Monday-to-Friday days after
// the cut-off (the period's last day). Public holidays vary by year and are
// not counted; the setting can be raised where they matter.
func (p PeriodSpec) Due(workingDays int) time.Time {
	d := p.End
	for n := 0; n < workingDays; {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return d
}

// Previous is the period of the same kind before p. For a month, quarter,
// half or year it ends the day before p starts; 9 months and custom ranges
// have no such neighbour, so they give last year's 9 months and the range of
// the same length just before.
func (p PeriodSpec) Previous(cutoff int) PeriodSpec {
	switch p.Kind {
	case PeriodMonth:
		y, m := p.Year, p.N-1
		if m == 0 {
			y, m = y-1, 12
		}
		return MonthPeriod(y, m, cutoff)
	case PeriodQuarter:
		y, q := p.Year, p.N-1
		if q == 0 {
			y, q = y-1, 4
		}
		return QuarterPeriod(y, q, cutoff)
	case PeriodHalf:
		if p.N == 2 {
			return HalfPeriod(p.Year, 1, cutoff)
		}
		return HalfPeriod(p.Year-1, 2, cutoff)
	case PeriodNine:
		return NineMonthsPeriod(p.Year-1, cutoff)
	case PeriodYear:
		return YearPeriod(p.Year-1, cutoff)
	}
	end := p.Start.AddDate(0, 0, -1)
	start := end.AddDate(0, 0, 1-p.Days())
	// A range of whole months ("April to April") steps back by months, so a
	// leap day does not shift it.
	if after := p.End.AddDate(0, 0, 1); after.Day() == p.Start.Day() {
		months := (after.Year()-p.Start.Year())*12 + int(after.Month()) - int(p.Start.Month())
		start = p.Start.AddDate(0, -months, 0)
	}
	q, _ := CustomPeriod(start, end)
	return q
}

// Next is the period of the same kind after p, the inverse of Previous: for
// a month, quarter, half or year it starts the day after p ends; 9 months
// give next year's; a custom range gives the range of the same length just
// after (a range of whole months steps by months, as Previous does).
func (p PeriodSpec) Next(cutoff int) PeriodSpec {
	switch p.Kind {
	case PeriodMonth:
		y, m := p.Year, p.N+1
		if m == 13 {
			y, m = y+1, 1
		}
		return MonthPeriod(y, m, cutoff)
	case PeriodQuarter:
		y, q := p.Year, p.N+1
		if q == 5 {
			y, q = y+1, 1
		}
		return QuarterPeriod(y, q, cutoff)
	case PeriodHalf:
		if p.N == 1 {
			return HalfPeriod(p.Year, 2, cutoff)
		}
		return HalfPeriod(p.Year+1, 1, cutoff)
	case PeriodNine:
		return NineMonthsPeriod(p.Year+1, cutoff)
	case PeriodYear:
		return YearPeriod(p.Year+1, cutoff)
	}
	start := p.End.AddDate(0, 0, 1)
	end := start.AddDate(0, 0, p.Days()-1)
	if start.Day() == p.Start.Day() {
		months := (start.Year()-p.Start.Year())*12 + int(start.Month()) - int(p.Start.Month())
		end = start.AddDate(0, months, -1)
	}
	q, _ := CustomPeriod(start, end)
	return q
}

// day drops the time of day, keeping the calendar date.
func Day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// monthEnd is the cut-off date closing month m of year y. A cut-off day of 1
// means calendar months; otherwise month m ends on day cutoff-1 of m, so
// month 01 runs from the cutoff of December of the year before.
func monthEnd(y, m, cutoff int) time.Time {
	if cutoff <= 1 {
		return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, time.Month(m), cutoff-1, 0, 0, 0, 0, time.UTC)
}

func monthStart(y, m, cutoff int) time.Time {
	return monthEnd(y, m-1, cutoff).AddDate(0, 0, 1)
}

func monthsSpec(kind PeriodKind, y, n, first, last, cutoff int) PeriodSpec {
	return PeriodSpec{Kind: kind, Year: y, N: n, Start: monthStart(y, first, cutoff), End: monthEnd(y, last, cutoff)}
}

// MonthPeriod is month m of year y under the cut-off day.
func MonthPeriod(y, m, cutoff int) PeriodSpec {
	return monthsSpec(PeriodMonth, y, m, m, m, cutoff)
}

// QuarterPeriod is quarter q (1–4) of year y.
func QuarterPeriod(y, q, cutoff int) PeriodSpec {
	return monthsSpec(PeriodQuarter, y, q, 3*q-2, 3*q, cutoff)
}

// HalfPeriod is half h (1–2) of year y. Half 1 is the "6 tháng" report.
func HalfPeriod(y, h, cutoff int) PeriodSpec {
	return monthsSpec(PeriodHalf, y, h, 6*h-5, 6*h, cutoff)
}

// NineMonthsPeriod is the "9 tháng" report of year y.
func NineMonthsPeriod(y, cutoff int) PeriodSpec {
	return monthsSpec(PeriodNine, y, 0, 1, 9, cutoff)
}

// YearPeriod is the yearly report of year y.
func YearPeriod(y, cutoff int) PeriodSpec {
	return monthsSpec(PeriodYear, y, 0, 1, 12, cutoff)
}

// CustomPeriod is an arbitrary range of whole days, such as "April 2023 to
// April 2024".
func CustomPeriod(start, end time.Time) (PeriodSpec, error) {
	start, end = Day(start), Day(end)
	if end.Before(start) {
		return PeriodSpec{}, &PeriodError{Code: "tally.period_order", Input: start.Format(DateLayout) + ".." + end.Format(DateLayout)}
	}
	p := PeriodSpec{Kind: PeriodCustom, Year: end.Year(), Start: start, End: end}
	if p.Days() > MaxCustomDays || start.Year() < MinPeriodYear || end.Year() > MaxPeriodYear {
		return PeriodSpec{}, &PeriodError{Code: "tally.period_range", Input: p.Code()}
	}
	return p, nil
}

// PeriodOf is the period of the given kind (not custom) that holds day d.
func PeriodOf(kind PeriodKind, d time.Time, cutoff int) PeriodSpec {
	d = Day(d)
	// The report month holding d: after the cut-off, d belongs to next month.
	y, m := d.Year(), int(d.Month())
	if cutoff > 1 && d.Day() >= cutoff {
		m++
		if m == 13 {
			y, m = y+1, 1
		}
	}
	switch kind {
	case PeriodQuarter:
		return QuarterPeriod(y, (m+2)/3, cutoff)
	case PeriodHalf:
		return HalfPeriod(y, (m+5)/6, cutoff)
	case PeriodNine:
		return NineMonthsPeriod(y, cutoff)
	case PeriodYear:
		return YearPeriod(y, cutoff)
	}
	return MonthPeriod(y, m, cutoff)
}

// PeriodError says why a period could not be read. It carries the text the
// person wrote, so the message can quote it.
type PeriodError struct {
	Code  string // "tally.period_syntax", "tally.period_range", "tally.period_order"
	Input string
}

func (e *PeriodError) Error() string { return fmt.Sprintf("store: period %q: %s", e.Input, e.Code) }

// MessageCode implements Coded.
func (e *PeriodError) MessageCode() (string, map[string]any) {
	return e.Code, map[string]any{"Input": e.Input, "MinYear": MinPeriodYear, "MaxYear": MaxPeriodYear}
}

// ParsePeriod reads a period in the syntax of CLI.md, computing its dates
// from the cut-off day. Letters may be in either case and spaces around the
// text are ignored; anything else is an error, never a guess.
func ParsePeriod(s string, cutoff int) (PeriodSpec, error) {
	in := strings.TrimSpace(s)
	bad := func(code string) (PeriodSpec, error) {
		return PeriodSpec{}, &PeriodError{Code: code, Input: in}
	}
	if a, b, ok := strings.Cut(in, ".."); ok {
		start, err1 := time.Parse(DateLayout, strings.TrimSpace(a))
		end, err2 := time.Parse(DateLayout, strings.TrimSpace(b))
		if err1 != nil || err2 != nil || !isoDate(strings.TrimSpace(a)) || !isoDate(strings.TrimSpace(b)) {
			return bad("tally.period_syntax")
		}
		return CustomPeriod(start, end)
	}
	ys, rest, ok := strings.Cut(strings.ToUpper(in), "-")
	if !ok || len(ys) != 4 || !AllDigits(ys) {
		return bad("tally.period_syntax")
	}
	y, _ := strconv.Atoi(ys)
	num := func(prefix string, digits, max int) (int, bool) {
		v, ok := strings.CutPrefix(rest, prefix)
		if !ok || len(v) != digits || !AllDigits(v) {
			return 0, false
		}
		n, _ := strconv.Atoi(v)
		return n, n >= 1 && n <= max
	}
	var p PeriodSpec
	switch {
	case rest == "Y":
		p = YearPeriod(y, cutoff)
	case rest == "9M":
		p = NineMonthsPeriod(y, cutoff)
	case strings.HasPrefix(rest, "M"):
		m, ok := num("M", 2, 12)
		if !ok {
			return bad("tally.period_syntax")
		}
		p = MonthPeriod(y, m, cutoff)
	case strings.HasPrefix(rest, "Q"):
		q, ok := num("Q", 1, 4)
		if !ok {
			return bad("tally.period_syntax")
		}
		p = QuarterPeriod(y, q, cutoff)
	case strings.HasPrefix(rest, "H"):
		h, ok := num("H", 1, 2)
		if !ok {
			return bad("tally.period_syntax")
		}
		p = HalfPeriod(y, h, cutoff)
	default:
		return bad("tally.period_syntax")
	}
	if y < MinPeriodYear || y > MaxPeriodYear {
		return bad("tally.period_range")
	}
	return p, nil
}

// isoDate insists on the zero-padded yyyy-mm-dd form, which time.Parse
// already requires; the length check refuses trailing text it would not.
func isoDate(s string) bool { return len(s) == len(DateLayout) }

func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// SpecFromRow rebuilds a spec from stored columns.
func SpecFromRow(kind PeriodKind, code, start, end string) PeriodSpec {
	p := PeriodSpec{Kind: kind}
	p.Start, _ = time.Parse(DateLayout, start)
	p.End, _ = time.Parse(DateLayout, end)
	p.Year = p.End.Year()
	if kind != PeriodCustom && len(code) >= 4 {
		p.Year, _ = strconv.Atoi(code[:4])
		if i := strings.IndexAny(code, "MQH"); i > 4 && i+1 < len(code) {
			p.N, _ = strconv.Atoi(code[i+1:])
		}
	}
	return p
}

// NextDue is the report a unit owes next on day d: the month that ended
// before d while its report is not yet due, else the month holding d; and
// the day it is due (Due).
func NextDue(d time.Time, cutoff, workingDays int) (PeriodSpec, time.Time) {
	return NextDueOf(PeriodMonth, d, cutoff, workingDays)
}

// NextDueOf is NextDue for periods of a kind (a quarter, a year …).
func NextDueOf(kind PeriodKind, d time.Time, cutoff, workingDays int) (PeriodSpec, time.Time) {
	d = Day(d)
	cur := PeriodOf(kind, d, cutoff)
	if prev := cur.Previous(cutoff); !d.After(prev.Due(workingDays)) {
		return prev, prev.Due(workingDays)
	}
	return cur, cur.Due(workingDays)
}
