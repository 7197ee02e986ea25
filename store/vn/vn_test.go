package vn

import (
	"errors"
	"math"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Suối Hoa", "suoi hoa"},
		{"suoi  hoa", "suoi hoa"},
		{"Đông Lai", "dong lai"},
		{"ĐẢNG ỦY", "dang uy"},
		{norm.NFD.String("Ngổ Luông"), "ngo luong"},
		{"Mường Bi", "muong bi"},
		{"", ""},
		{"  Quyết   Chiến ", "quyet chien"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNFC(t *testing.T) {
	nfd := norm.NFD.String("Phú Cường")
	if nfd == "Phú Cường" {
		t.Fatal("test input is not decomposed")
	}
	if got, want := NFC(nfd), "Phú Cường"; got != want {
		t.Errorf("NFC = %q, want %q", got, want)
	}
	if got, want := Clean("  Tử   Nê \n"), "Tử Nê"; got != want {
		t.Errorf("Clean = %q, want %q", got, want)
	}
}

func TestHasControl(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"bình thường", false},
		{"dòng 1\ndòng 2\ttab", false},
		{"nul\x00", true},
		{"bell\a", true},
		{"bad \uFFFD", true},
		{"hdn\u202eexe.", true},  // right-to-left override
		{"a\u2066b\u2069", true}, // isolates
		{"a\u200fb", true},       // right-to-left mark
		{"Nguyễn Văn An – Đội 3", false},
	}
	for _, tt := range tests {
		if got := HasControl(tt.in); got != tt.want {
			t.Errorf("HasControl(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFormatNumbers(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{FormatInt(0), "0"},
		{FormatInt(999), "999"},
		{FormatInt(25723), "25.723"},
		{FormatInt(1234567), "1.234.567"},
		{FormatInt(-25813), "-25.813"},
		{FormatPercent(Ratio(25487-20, 25487)), "99,92%"},
		{FormatPercent(Ratio(20, 25487)), "0,08%"},
		{FormatPercent(0.9908), "99,08%"},
		{FormatPercent(Ratio(1, 0)), "—"},
		{FormatDecimal(1234.5, 2), "1.234,50"},
		{FormatDecimal(-0.001, 2), "0,00"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
	if !math.IsNaN(Ratio(3, 0)) {
		t.Error("Ratio over zero must be NaN")
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr error
	}{
		{"25723", 25723, nil},
		{"25.723", 25723, nil},
		{"1.234.567", 1234567, nil},
		{"25 723", 25723, nil},
		{"0", 0, nil},
		{"", 0, ErrEmpty},
		{"-5", 0, ErrNegative},
		{"12a", 0, ErrNotNumber},
		{"2.5723", 0, ErrGrouping},
		{"25.72", 0, ErrGrouping},
		{"1234.567", 0, ErrGrouping},
		{".123", 0, ErrGrouping},
		{"1.000 000", 0, ErrGrouping},
		{"1000000001", 0, ErrTooLarge},
		{"99999999999999999999", 0, ErrTooLarge},
		{"1,5", 0, ErrNotNumber},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseInt(tt.in, 1_000_000_000)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseInt(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseInt(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	if got, want := FormatDate(d), "05/01/2026"; got != want {
		t.Errorf("FormatDate = %q, want %q", got, want)
	}
	tests := []struct {
		in   time.Time
		want string
	}{
		{d, "ngày 05 tháng 01 năm 2026"},
		{time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), "ngày 28 tháng 02 năm 2026"},
		{time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), "ngày 09 tháng 3 năm 2026"},
		{time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), "ngày 14 tháng 12 năm 2026"},
	}
	for _, tt := range tests {
		if got := LongDate(tt.in); got != tt.want {
			t.Errorf("LongDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"05/01/2026", "5/1/2026", "2026-01-05", "05-01-2026", "05.01.2026"} {
		got, err := ParseDate(in)
		if err != nil || !got.Equal(d) {
			t.Errorf("ParseDate(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"31/02/2026", "hôm qua", "2026/13/01"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"25.723", "-1", "1 000", "abc", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseInt(s, math.MaxInt64)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseInt(%q) = %d, negative", s, n)
		}
		back, err := ParseInt(FormatInt(n), math.MaxInt64)
		if err != nil || back != n {
			t.Fatalf("round trip of %d via %q gave %d, %v", n, FormatInt(n), back, err)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Suối Hoa", "  ĐƯỜNG  giao\tthông ", "Quả\u0300", "Ǆ ǅ ǆ", "Ａ", "a\u00a0b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Fold(s)
		if Fold(a) != a {
			t.Fatalf("Fold is not idempotent on %q", s)
		}
		if slow := foldSlow(s); a != slow {
			t.Fatalf("Fold(%q) = %q, but the spelled-out fold gives %q", s, a, slow)
		}
	})
}

// TestFoldTable checks every letter of the fold tables, alone and between
// others, against the spelled-out fold.
func TestFoldTable(t *testing.T) {
	for _, rng := range [][2]rune{{latinFirst, latinEnd}, {extFirst, extEnd}} {
		for r := rng[0]; r < rng[1]; r++ {
			for _, s := range []string{string(r), "Xã " + string(r) + "ng " + string(r), string(r) + "\u0301"} {
				if got, want := Fold(s), foldSlow(s); got != want {
					t.Errorf("Fold(%q) = %q, want %q", s, got, want)
				}
			}
		}
	}
}
