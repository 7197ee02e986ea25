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
