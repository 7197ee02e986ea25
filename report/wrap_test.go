package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzWrap: whatever text an officer types, wrapping keeps every letter,
// in order, and no line is wider than asked (except a single letter wider
// than the line itself).
func FuzzWrap(f *testing.F) {
	for _, s := range []string{
		"Nuôi cá lồng", strings.Repeat("Đ", 300), "a\nb\n\nc", "  ", "", pangram(),
		"Mô hình 😀 trồng bưởi", "x\ty", "ー漢字", strings.Repeat("W", 90) + " i",
	} {
		f.Add(s, 20.0)
	}
	d := newPDF(Portrait, "fuzz")
	d.font("", 11)
	f.Fuzz(func(t *testing.T, s string, w float64) {
		if !utf8.ValidString(s) || w < 3 || w > 300 {
			t.Skip()
		}
		lines := d.wrap(s, w, w)
		if got, want := strings.Join(strings.Fields(strings.Join(lines, " ")), ""), strings.Join(strings.Fields(bmpOnly(s)), ""); got != want {
			t.Fatalf("wrap lost text:\n got %q\nwant %q", got, want)
		}
		for _, l := range lines {
			if d.f.GetStringWidth(l) > w+1e-9 && utf8.RuneCountInString(l) > 1 {
				t.Fatalf("line %q is %.2f mm wide, limit %.2f", l, d.f.GetStringWidth(l), w)
			}
		}
	})
}

// TestOutsideCharacters: text outside the font (emoji, CJK) must not break
// the document; it prints as the font's missing glyph.
func TestOutsideCharacters(t *testing.T) {
	doc, err := ModelsDocument(testMeta(), ModelList{Year: 2024, Items: []ModelItem{
		{Name: "Mô hình 😀 trồng bưởi 漢字", Field: "economy", Year: 2024},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := doc.WritePDF(&buf); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
}

// wrapReference is wrap as first written, word by word with strings.Fields
// and string concatenation: the faster wrap must break every text into the
// same lines.
func wrapReference(d *pdfDoc, text string, firstW, restW float64) []string {
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

func FuzzWrapSameLines(f *testing.F) {
	for _, s := range []string{
		"Nuôi cá lồng", strings.Repeat("Đ", 300), "a\nb\n\nc", "  ", "", "\n", "a\n", pangram(),
		"Mô hình 😀 trồng bưởi", "x\ty", "ー漢字", strings.Repeat("W", 90) + " i", " hai  dấu cách ",
		"W W", "i " + strings.Repeat("W", 40) + " i", "\u00a0không\u2003ngắt", "Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật",
	} {
		f.Add(s, 20.0, 12.0)
	}
	d := newPDF(Portrait, "fuzz")
	d.font("", 11)
	f.Fuzz(func(t *testing.T, s string, first, rest float64) {
		if !utf8.ValidString(s) || first < 0.5 || first > 300 || rest < 0.5 || rest > 300 {
			t.Skip()
		}
		got, want := d.wrap(s, first, rest), wrapReference(d, s, first, rest)
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Fatalf("wrap(%q, %v, %v)\n got %q\nwant %q", s, first, rest, got, want)
		}
	})
}
