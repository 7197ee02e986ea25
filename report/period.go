package report

import (
	"danvan/internal/domain"
	"strconv"
	"time"

	"danvan/store/vn"
)

// Period is a reporting period as a report prints it.
type Period struct {
	Code     string    // CLI syntax: 2024-Y, 2024-Q2, 2023-04-15..2024-04-14
	From, To time.Time // inclusive calendar days
}

// Label is the period's name on paper: "Năm 2024", "Quý II năm 2024",
// "Tháng 4 năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024"; "" for a
// custom range, which prints its dates only.
func (pd Period) Label() string {
	// The one grammar of period codes (domain.ParsePeriod); the cut-off day
	// does not change a period's name.
	spec, err := domain.ParsePeriod(pd.Code, 1)
	if err != nil {
		return ""
	}
	a := args{"Year": strconv.Itoa(spec.Year)}
	switch spec.Kind {
	case domain.PeriodYear:
		return p("period.year", a)
	case domain.PeriodNine:
		return p("period.nine", a)
	case domain.PeriodHalf:
		return p("period.h"+strconv.Itoa(spec.N), a)
	case domain.PeriodQuarter:
		a["N"] = roman(spec.N)
		return p("period.quarter", a)
	case domain.PeriodMonth:
		a["N"] = spec.N
		return p("period.month", a)
	}
	return ""
}

// Line is the full period line: "Kỳ báo cáo: Năm 2024 (Từ ngày 15/12/2023
// đến ngày 14/12/2024)".
func (pd Period) Line() string {
	a := args{"From": vn.FormatDate(pd.From), "To": vn.FormatDate(pd.To), "Label": pd.Label()}
	if pd.Label() == "" {
		return p("period.line_range", a)
	}
	return p("period.line", a)
}
