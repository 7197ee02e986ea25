package report

import (
	"strings"
	"unicode/utf8"
)

// wrap breaks text into lines that fit the current font: the first line in
// firstW millimetres (a paragraph's indented line), the rest in restW.
// Explicit new lines are kept. A word wider than a line is broken between
// letters, so that nothing is ever cut off, however long.
func (d *pdfDoc) wrap(text string, firstW, restW float64) []string {
	text = bmpOnly(text)
	var out []string
	avail := firstW
	space := d.f.GetStringWidth(" ")
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			avail = restW
			continue
		}
		line, lw := "", 0.0
		for _, word := range words {
			ww := d.f.GetStringWidth(word)
			if ww > avail {
				// A word longer than the line: finish the line, then cut
				// the word into pieces that fit.
				if line != "" {
					out = append(out, line)
					avail = restW
					line, lw = "", 0
				}
				for ww > avail {
					piece := d.fitPrefix(word, avail)
					out = append(out, piece)
					avail = restW
					word = word[len(piece):]
					ww = d.f.GetStringWidth(word)
				}
				line, lw = word, ww
				continue
			}
			switch {
			case line == "":
				line, lw = word, ww
			case lw+space+ww <= avail:
				line += " " + word
				lw += space + ww
			default:
				out = append(out, line)
				avail = restW
				line, lw = word, ww
			}
		}
		out = append(out, line)
		avail = restW
	}
	return out
}

// fitPrefix returns the longest prefix of word (at least one letter) no
// wider than w.
func (d *pdfDoc) fitPrefix(word string, w float64) string {
	total := 0.0
	for i, r := range word {
		total += d.f.GetStringWidth(string(r))
		if total > w {
			if i == 0 {
				return word[:utf8.RuneLen(r)]
			}
			return word[:i]
		}
	}
	return word
}

// bmpOnly replaces characters beyond the Basic Multilingual Plane (emoji,
// rare CJK) with U+FFFD: fpdf's font tables stop at U+FFFF and it panics on
// them, and no Vietnamese letter lies there.
func bmpOnly(s string) string {
	for _, r := range s {
		if r > 0xFFFF {
			return strings.Map(func(r rune) rune {
				if r > 0xFFFF {
					return '\uFFFD'
				}
				return r
			}, s)
		}
	}
	return s
}
