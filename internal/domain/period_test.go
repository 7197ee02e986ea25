package domain

import (
	"errors"
	"testing"
	"time"
)

func d(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in         string
		cutoff     int
		code       string
		start, end time.Time
	}{
		{"2024-M04", 15, "2024-M04", d(2024, 3, 15), d(2024, 4, 14)},
		{"2024-M01", 15, "2024-M01", d(2023, 12, 15), d(2024, 1, 14)},
		{"2024-M12", 15, "2024-M12", d(2024, 11, 15), d(2024, 12, 14)},
		{"2024-M03", 15, "2024-M03", d(2024, 2, 15), d(2024, 3, 14)},
		{" 2024-m04 ", 15, "2024-M04", d(2024, 3, 15), d(2024, 4, 14)},
		{"2024-Q1", 15, "2024-Q1", d(2023, 12, 15), d(2024, 3, 14)},
		{"2024-Q2", 15, "2024-Q2", d(2024, 3, 15), d(2024, 6, 14)},
		{"2024-Q4", 15, "2024-Q4", d(2024, 9, 15), d(2024, 12, 14)},
		{"2024-H1", 15, "2024-H1", d(2023, 12, 15), d(2024, 6, 14)},
		{"2024-H2", 15, "2024-H2", d(2024, 6, 15), d(2024, 12, 14)},
		{"2024-9M", 15, "2024-9M", d(2023, 12, 15), d(2024, 9, 14)},
		{"2024-Y", 15, "2024-Y", d(2023, 12, 15), d(2024, 12, 14)},
		{"2024-y", 15, "2024-Y", d(2023, 12, 15), d(2024, 12, 14)},
		{"2024-M03", 20, "2024-M03", d(2024, 2, 20), d(2024, 3, 19)},
		{"2024-M02", 1, "2024-M02", d(2024, 2, 1), d(2024, 2, 29)},
		{"2024-Y", 1, "2024-Y", d(2024, 1, 1), d(2024, 12, 31)},
		{"2023-04-15..2024-04-14", 15, "2023-04-15..2024-04-14", d(2023, 4, 15), d(2024, 4, 14)},
		{"2024-01-01..2024-01-01", 15, "2024-01-01..2024-01-01", d(2024, 1, 1), d(2024, 1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in, tt.cutoff)
			if err != nil {
				t.Fatalf("ParsePeriod(%q) error: %v", tt.in, err)
			}
			if got := p.Code(); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
			if !p.Start.Equal(tt.start) || !p.End.Equal(tt.end) {
				t.Errorf("dates = %s..%s, want %s..%s", p.Start.Format(DateLayout), p.End.Format(DateLayout),
					tt.start.Format(DateLayout), tt.end.Format(DateLayout))
			}
		})
	}
}

func TestParsePeriodRefuses(t *testing.T) {
	tests := []struct{ in, code string }{
		{"", "tally.period_syntax"},
		{"2024", "tally.period_syntax"},
		{"2024-M4", "tally.period_syntax"},
		{"2024-M13", "tally.period_syntax"},
		{"2024-M00", "tally.period_syntax"},
		{"2024-Q5", "tally.period_syntax"},
		{"2024-Q0", "tally.period_syntax"},
		{"2024-H3", "tally.period_syntax"},
		{"2024-6M", "tally.period_syntax"},
		{"24-M04", "tally.period_syntax"},
		{"2024-M04x", "tally.period_syntax"},
		{"tháng 4", "tally.period_syntax"},
		{"1800-Y", "tally.period_range"},
		{"2024-04-15..2023-04-14", "tally.period_order"},
		{"2024-4-15..2024-05-14", "tally.period_syntax"},
		{"2024-02-30..2024-03-14", "tally.period_syntax"},
		{"2000-01-01..2024-01-01", "tally.period_range"},
		{"2024-01-01..", "tally.period_syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParsePeriod(tt.in, 15)
			var pe *PeriodError
			if !errors.As(err, &pe) {
				t.Fatalf("ParsePeriod(%q) error = %v, want a PeriodError", tt.in, err)
			}
			if pe.Code != tt.code {
				t.Errorf("code = %s, want %s", pe.Code, tt.code)
			}
		})
	}
}

func TestPeriodDue(t *testing.T) {
	tests := []struct {
		period string
		days   int
		want   time.Time
	}{
		// 14/04/2024 is a Sunday: Monday 15 and Tuesday 16 are the two working days.
		{"2024-M04", 2, d(2024, 4, 16)},
		// 14/03/2024 is a Thursday: Friday 15, then Monday 18.
		{"2024-M03", 2, d(2024, 3, 18)},
		{"2024-M03", 0, d(2024, 3, 14)},
		// 14/06/2024 is a Friday.
		{"2024-H1", 2, d(2024, 6, 18)},
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			p, err := ParsePeriod(tt.period, 15)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Due(tt.days); !got.Equal(tt.want) {
				t.Errorf("Due(%d) = %s, want %s", tt.days, got.Format(DateLayout), tt.want.Format(DateLayout))
			}
		})
	}
}

func TestPeriodPrevious(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-M01", "2023-M12"},
		{"2024-M04", "2024-M03"},
		{"2024-Q1", "2023-Q4"},
		{"2024-H1", "2023-H2"},
		{"2024-H2", "2024-H1"},
		{"2024-9M", "2023-9M"},
		{"2024-Y", "2023-Y"},
		{"2023-04-15..2024-04-14", "2022-04-15..2023-04-14"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in, 15)
			if err != nil {
				t.Fatal(err)
			}
			prev := p.Previous(15)
			if got := prev.Code(); got != tt.want {
				t.Errorf("Previous = %s, want %s", got, tt.want)
			}
			if p.Kind != PeriodNine && p.Kind != PeriodCustom && !prev.End.AddDate(0, 0, 1).Equal(p.Start) {
				t.Errorf("previous ends %s, not the day before %s", prev.End.Format(DateLayout), p.Start.Format(DateLayout))
			}
		})
	}
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		kind PeriodKind
		day  time.Time
		want string
	}{
		{PeriodMonth, d(2024, 4, 14), "2024-M04"},
		{PeriodMonth, d(2024, 4, 15), "2024-M05"},
		{PeriodMonth, d(2024, 12, 20), "2025-M01"},
		{PeriodQuarter, d(2024, 3, 15), "2024-Q2"},
		{PeriodYear, d(2024, 12, 15), "2025-Y"},
		{PeriodHalf, d(2024, 6, 14), "2024-H1"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			p := PeriodOf(tt.kind, tt.day, 15)
			if got := p.Code(); got != tt.want {
				t.Errorf("PeriodOf(%s, %s) = %s, want %s", tt.kind, tt.day.Format(DateLayout), got, tt.want)
			}
			if !p.Contains(tt.day) {
				t.Errorf("%s does not contain %s", p.Code(), tt.day.Format(DateLayout))
			}
		})
	}
}

// Twelve months tile the year exactly, for every cut-off day.
func TestMonthsTileTheYear(t *testing.T) {
	for cutoff := 1; cutoff <= 28; cutoff++ {
		y := YearPeriod(2024, cutoff)
		next := y.Start
		for m := 1; m <= 12; m++ {
			p := MonthPeriod(2024, m, cutoff)
			if !p.Start.Equal(next) {
				t.Fatalf("cut-off %d: month %d starts %s, want %s", cutoff, m, p.Start.Format(DateLayout), next.Format(DateLayout))
			}
			next = p.End.AddDate(0, 0, 1)
		}
		if !next.Equal(y.End.AddDate(0, 0, 1)) {
			t.Fatalf("cut-off %d: months end %s, year ends %s", cutoff, next.Format(DateLayout), y.End.Format(DateLayout))
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2024-M04", "2024-Q2", "2024-H1", "2024-9M", "2024-Y", "2023-04-15..2024-04-14", "x", "2024-M4", "9999-Y"} {
		f.Add(s, 15)
	}
	f.Fuzz(func(t *testing.T, s string, cutoff int) {
		if cutoff < 1 || cutoff > 28 {
			cutoff = 15
		}
		p, err := ParsePeriod(s, cutoff)
		if err != nil {
			var pe *PeriodError
			if !errors.As(err, &pe) {
				t.Fatalf("ParsePeriod(%q) error %v is not a PeriodError", s, err)
			}
			return
		}
		if p.End.Before(p.Start) {
			t.Fatalf("ParsePeriod(%q) ends before it starts", s)
		}
		// What is accepted re-reads to the same period.
		back, err := ParsePeriod(p.Code(), cutoff)
		if err != nil || back != p {
			t.Fatalf("ParsePeriod(%q) = %v, re-read of %q = %v, %v", s, p, p.Code(), back, err)
		}
	})
}

// Stepping forward and back are inverses for every kind of period, over 30
// years and three cut-off days, and a month, quarter, half or year starts
// the day after the one before it ends: the window's arrows and the
// carry-over walk the same calendar.
func TestPeriodNextAndPreviousRoundTrip(t *testing.T) {
	for _, cutoff := range []int{1, 15, 28} {
		var all []PeriodSpec
		for y := 1997; y <= 2026; y++ {
			for m := 1; m <= 12; m++ {
				all = append(all, MonthPeriod(y, m, cutoff))
			}
			for q := 1; q <= 4; q++ {
				all = append(all, QuarterPeriod(y, q, cutoff))
			}
			all = append(all, HalfPeriod(y, 1, cutoff), HalfPeriod(y, 2, cutoff), NineMonthsPeriod(y, cutoff), YearPeriod(y, cutoff))
			for _, r := range [][2]time.Time{
				{d(y, 4, 15), d(y+1, 4, 14)}, // "April to April"
				{d(y, 1, 1), d(y, 3, 31)},    // a calendar quarter as a range
				{d(y, 2, 20), d(y, 3, 1)},    // ten days across the end of February
			} {
				p, err := CustomPeriod(r[0], r[1])
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, p)
			}
		}
		for _, p := range all {
			next, prev := p.Next(cutoff), p.Previous(cutoff)
			if got := next.Previous(cutoff); got.Code() != p.Code() || !got.Start.Equal(p.Start) || !got.End.Equal(p.End) {
				t.Fatalf("cut-off %d: %s → next %s → previous %s", cutoff, p.Code(), next.Code(), got.Code())
			}
			if got := prev.Next(cutoff); got.Code() != p.Code() || !got.Start.Equal(p.Start) || !got.End.Equal(p.End) {
				t.Fatalf("cut-off %d: %s → previous %s → next %s", cutoff, p.Code(), prev.Code(), got.Code())
			}
			if p.Kind != PeriodNine && !next.Start.Equal(p.End.AddDate(0, 0, 1)) {
				t.Fatalf("cut-off %d: %s ends %s, the next (%s) starts %s", cutoff, p.Code(), p.End.Format(DateLayout), next.Code(), next.Start.Format(DateLayout))
			}
		}
	}
}

func TestNextDue(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(DateLayout, s); return d }
	for _, c := range []struct {
		today, period, due string
	}{
		{"2026-12-07", "2026-M12", "2026-12-16"}, // 15/11–14/12, due two working days after Mon 14/12
		{"2026-12-15", "2026-M12", "2026-12-16"}, // the month ended, its report not yet due
		{"2026-12-16", "2026-M12", "2026-12-16"}, // the due day itself
		{"2026-12-17", "2027-M01", "2027-01-18"}, // 15/12–14/01 (Thu), then Fri 15 and Mon 18
	} {
		p, due := NextDue(day(c.today), 15, 2)
		if p.Code() != c.period || due.Format(DateLayout) != c.due {
			t.Errorf("NextDue(%s) = %s due %s; want %s due %s", c.today, p.Code(), due.Format(DateLayout), c.period, c.due)
		}
	}
}
