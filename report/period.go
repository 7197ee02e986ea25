package report

import (
	"strconv"
	"strings"
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
	year, rest, ok := strings.Cut(pd.Code, "-")
	if !ok || len(year) != 4 || strings.Contains(pd.Code, "..") {
		return ""
	}
	a := args{"Year": year}
	switch {
	case rest == "Y":
		return p("period.year", a)
	case rest == "9M":
		return p("period.nine", a)
	case rest == "H1" || rest == "H2":
		return p("period.h"+rest[1:], a)
	case strings.HasPrefix(rest, "Q"):
		n, _ := strconv.Atoi(rest[1:])
		a["N"] = roman(n)
		return p("period.quarter", a)
	case strings.HasPrefix(rest, "M"):
		n, _ := strconv.Atoi(rest[1:])
		a["N"] = n
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
