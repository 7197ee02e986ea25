// Package vn holds the Vietnamese text, number and date rules that every
// other package uses: NFC normalisation, diacritic folding for search, and
// the "25.723" / "99,08%" / "dd/mm/yyyy" formats.
//
// It imports nothing from this module and never imports Fyne.
package vn

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C. Every string the store keeps
// goes through it, because the Windows keyboard and text pasted from macOS or
// Word arrive decomposed (NFD) while Unikey produces NFC.
func NFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// Clean trims s, turns it into NFC and folds runs of white space inside it to
// one space. It is what forms and importers apply to single-line fields.
func Clean(s string) string {
	return strings.Join(strings.Fields(NFC(s)), " ")
}

// foldChain strips combining marks after decomposition. It is not safe for
// concurrent use, so Fold builds one per call; the cost is small next to the
// allocation the transform makes anyway.
func newFolder() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// Fold maps s to the key used for diacritic-insensitive matching:
// lower case, no tone or vowel marks, đ → d, white space folded.
// "Suối Hoa" and "suoi  hoa" both give "suoi hoa".
func Fold(s string) string {
	if isPlainASCII(s) {
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	out, _, err := transform.String(newFolder(), s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// HasControl reports whether s holds a control character other than tab,
// new line or carriage return. Such characters come from binary files or
// broken copy and paste and are refused at entry.
func HasControl(s string) bool {
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || r == '\uFFFD' {
			return true
		}
	}
	return false
}
