package vn

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable is s made safe to print to a terminal or write into a text
// file a person opens: control characters (ESC, NUL, a carriage return …),
// the bidirectional overrides that make text read backwards (RLO …),
// line separators and invalid UTF-8 become visible escapes such as \x1b and
// \u202e. Vietnamese letters and every other printable text stay as they
// are. A file name, a zip member or any string that came from outside is
// passed through it before it reaches a screen or a note.
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || r < 0x20 || r == 0x7f || unsafeRune(r) {
			return true
		}
		i += n
	}
	return false
}

// unsafeRune are the C1 controls, the bidirectional marks, embeddings,
// overrides and isolates, and the line and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
