package vn

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatInt writes n with "." between thousands: 25723 → "25.723".
func FormatInt(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(digits[:lead])
	for i := lead; i < len(digits); i += 3 {
		b.WriteByte('.')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatDecimal writes f with the given number of decimals, "," as the decimal
// mark and "." between thousands: 1234.5 → "1.234,50" for 2 decimals.
func FormatDecimal(f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(intPart, 10, 64)
	out := FormatInt(n)
	if f < 0 && (n != 0 || strings.Trim(frac, "0") != "") {
		out = "-" + out
	}
	if decimals > 0 {
		out += "," + frac
	}
	return out
}

// FormatPercent writes a ratio (0.9908) as a percentage with two decimals:
// "99,08%". A ratio with no denominator (NaN) is written "—".
func FormatPercent(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "—"
	}
	return FormatDecimal(ratio*100, 2) + "%"
}

// Ratio returns num/den, or NaN when den is zero, so that a rate over nothing
// is shown as "—" instead of a made-up 0% or 100%.
func Ratio(num, den int64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// ErrNotNumber and its siblings are the reasons ParseInt gives; callers map
// them to messages in the user's language.
var (
	ErrEmpty     = errors.New("empty")
	ErrNotNumber = errors.New("not a whole number")
	ErrGrouping  = errors.New("thousands separators in the wrong place")
	ErrNegative  = errors.New("negative")
	ErrTooLarge  = errors.New("too large")
)

// ParseInt reads a whole number as officers type it: "25723", "25.723" or
// "25 723". Thousands separators must be in groups of three. Negative numbers
// are refused because no count in this domain is negative; limit is the
// largest value accepted.
func ParseInt(s string, limit int64) (int64, error) {
	s = strings.TrimSpace(NFC(s))
	if s == "" {
		return 0, ErrEmpty
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		if _, err := ParseInt(strings.TrimLeft(s, "-−"), math.MaxInt64); err == nil {
			return 0, ErrNegative
		}
		return 0, ErrNotNumber
	}
	s = strings.TrimPrefix(s, "+")
	sep := rune(0)
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' || r == ' ' || r == '\u00a0':
			if sep == 0 {
				sep = r
			} else if sep != r {
				return 0, ErrGrouping
			}
		default:
			return 0, ErrNotNumber
		}
	}
	digits := s
	if sep != 0 {
		groups := strings.Split(s, string(sep))
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, ErrGrouping
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, ErrGrouping
			}
		}
		digits = strings.Join(groups, "")
	}
	if len(digits) > 18 {
		return 0, ErrTooLarge
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNotNumber, err)
	}
	if n > limit {
		return 0, ErrTooLarge
	}
	return n, nil
}
