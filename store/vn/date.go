package vn

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DateLayout is the Vietnamese date format, dd/mm/yyyy.
const DateLayout = "02/01/2006"

// FormatDate writes t as dd/mm/yyyy, or "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// FormatDateTime writes t as "dd/mm/yyyy hh:mm" in t's location.
func FormatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006 15:04")
}

// ErrDate is returned for text that is not a date in dd/mm/yyyy.
var ErrDate = errors.New("not a date in dd/mm/yyyy")

// ParseDate reads dd/mm/yyyy (also d/m/yyyy, and "-" or "." as separators)
// and the ISO form yyyy-mm-dd that spreadsheets sometimes produce. The result
// is midnight UTC of that day: dates in this domain are calendar days.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrEmpty
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	norm := strings.NewReplacer("-", "/", ".", "/").Replace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02/1/2006", "2/01/2006"} {
		if t, err := time.Parse(layout, norm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q", ErrDate, s)
}

// LongDate writes the date line of an official document:
// "ngày 05 tháng 01 năm 2026". Days below 10 and months 1 and 2 carry a
// leading zero (Nghị định 30/2020/NĐ-CP); months 3 to 9 do not.
func LongDate(t time.Time) string {
	month := fmt.Sprintf("%d", int(t.Month()))
	if t.Month() <= 2 {
		month = fmt.Sprintf("%02d", int(t.Month()))
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
}
