// Package vn holds the Vietnamese text, number and date rules that every
// other package uses: NFC normalisation, diacritic folding for search, and
// the "25.723" / "99,08%" / "dd/mm/yyyy" formats.
//
// It imports nothing from this module and never imports Fyne.
package vn

import (
	"slices"
	"strings"
	stdsync "sync"
	"unicode"
	"unicode/utf8"

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
//
// Text made of ASCII and precomposed Latin letters, which is all of
// Vietnamese in NFC, folds one letter at a time through a table; anything
// else (combining marks, other scripts, unusual spaces) takes foldSlow,
// which the table is built from, so both give the same key. A batch import
// folds every model it writes (docs/performance.md P5).
func Fold(s string) string {
	if isPlainASCII(s) {
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false // white space seen since the last word
	t := foldTables()
	for _, r := range s {
		var f rune
		switch {
		case r < utf8.RuneSelf:
			f = unicode.ToLower(r)
		case r >= latinFirst && r < latinEnd:
			f = t.latin[r-latinFirst]
		case r >= extFirst && r < extEnd:
			f = t.ext[r-extFirst]
		}
		if f == 0 {
			return foldSlow(s)
		}
		if unicode.IsSpace(f) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(f)
	}
	return b.String()
}

// foldSlow is Fold spelled out: decompose, drop the combining marks,
// recompose, then đ → d and lower case.
//
// Invalid UTF-8 is first replaced by U+FFFD, one per run of bad bytes, as
// strings.ToValidUTF8 does: the normaliser copies a bad byte through with
// the bytes after it undecomposed ("\xf7Ǡ" kept its marks), so a folded
// key would fold again to something else. With the replacement the key is
// valid UTF-8 and folding it again changes nothing.
func foldSlow(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
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

// The fold tables cover Latin-1 Supplement to Latin Extended-B and Latin
// Extended Additional (ạ … ỹ); 0 marks a letter that does not fold to one
// letter, which sends the text to foldSlow. They are built on the first
// fold of a non-ASCII text, not at start: every command starts this
// package, and most never fold.
const (
	latinFirst, latinEnd = 0x00C0, 0x0250
	extFirst, extEnd     = 0x1E00, 0x1F00
)

var foldTables = stdsync.OnceValue(func() (t struct{ latin, ext []rune }) {
	t.latin, t.ext = foldTable(latinFirst, latinEnd), foldTable(extFirst, extEnd)
	return t
})

// foldTable folds each letter as foldSlow would, without its transform
// chain: the canonical decomposition's first letter, if everything after it
// is a combining mark (TestFoldTable holds the two to the same result).
func foldTable(first, end rune) []rune {
	t := make([]rune, end-first)
	for r := first; r < end; r++ {
		d := []rune(norm.NFD.String(string(r)))
		if slices.ContainsFunc(d[1:], func(m rune) bool { return !unicode.Is(unicode.Mn, m) }) {
			continue
		}
		switch d[0] {
		case 'đ', 'Đ':
			t[r-first] = 'd'
		default:
			t[r-first] = unicode.ToLower(d[0])
		}
	}
	return t
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
// new line or carriage return, or a bidirectional override (U+202A–U+202E,
// U+2066–U+2069, the marks U+200E, U+200F, U+061C). Such characters come
// from binary files, broken copy and paste, or someone making a name print
// backwards on a report ("ExE.ndh" for "hdn.ExE"), and are refused at entry.
func HasControl(s string) bool {
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || r == '\uFFFD' || isBidiControl(r) {
			return true
		}
	}
	return false
}

func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069' || r == '\u200E' || r == '\u200F' || r == '\u061C'
}
