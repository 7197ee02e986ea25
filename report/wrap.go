package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wrap breaks text into lines that fit the current font: the first line in
// firstW millimetres (a paragraph's indented line), the rest in restW.
// Explicit new lines are kept. A word wider than a line is broken between
// letters, so that nothing is ever cut off, however long. Words are
// separated by one space, whatever white space the text had. Every line is
// a slice of the text (or of its tidied copy), not a new string: a long
// list wraps thousands of cells.
func (d *pdfDoc) wrap(text string, firstW, restW float64) []string {
	text = bmpOnly(text)
	out := make([]string, 0, 2)
	avail := firstW
	space := d.f.GetStringWidth(" ")
	for {
		para, rest, more := strings.Cut(text, "\n")
		out = d.wrapPara(out, tidySpaces(para), avail, restW, space)
		avail = restW
		if !more {
			return out
		}
		text = rest
	}
}

// wrapPara appends the lines of one paragraph, whose words are separated by
// single spaces, to out; an empty paragraph is one empty line.
func (d *pdfDoc) wrapPara(out []string, para string, avail, restW, space float64) []string {
	from, to, lw := 0, 0, 0.0 // the line so far is para[from:to], lw wide
	for i := 0; i < len(para); {
		j := strings.IndexByte(para[i:], ' ')
		if j < 0 {
			j = len(para)
		} else {
			j += i
		}
		word := para[i:j]
		ww := d.f.GetStringWidth(word)
		switch {
		case ww > avail:
			// A word longer than the line: finish the line, then cut the
			// word into pieces that fit.
			if from != to {
				out = append(out, para[from:to])
				avail = restW
			}
			for ww > avail {
				piece := d.fitPrefix(word, avail)
				out = append(out, piece)
				avail = restW
				word = word[len(piece):]
				ww = d.f.GetStringWidth(word)
			}
			from, to, lw = j-len(word), j, ww
		case from == to:
			from, to, lw = i, j, ww
		case lw+space+ww <= avail:
			to = j
			lw += space + ww
		default:
			out = append(out, para[from:to])
			avail = restW
			from, to, lw = i, j, ww
		}
		i = j + 1
	}
	return append(out, para[from:to])
}

// tidySpaces returns s with its words separated by single spaces and no
// space at either end; s itself when it is already so, as nearly every
// cell is.
func tidySpaces(s string) string {
	prevSpace := true
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = true
		case unicode.IsSpace(r):
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
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
