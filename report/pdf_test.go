package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// embeddedFonts lists the fonts pdffonts finds in a PDF: "utf8tinos",
// "utf8tinosB" …
func embeddedFonts(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdffonts"); err != nil {
		t.Skip("pdffonts (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n")[2:] {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	slices.Sort(names)
	return names
}

func TestFontsAddedOnFirstUse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		styles []string
		want   []string
	}{
		{"regular only", []string{""}, []string{"utf8tinos"}},
		{"bold and italic", []string{"B", "I", "B"}, []string{"utf8tinosB", "utf8tinosI"}},
		{"IB is BI", []string{"IB", "BI"}, []string{"utf8tinosBI"}},
		{"all four", []string{"", "B", "I", "BI"}, []string{"utf8tinos", "utf8tinosB", "utf8tinosBI", "utf8tinosI"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newPDF(Portrait, "thử")
			for _, s := range tc.styles {
				d.font(s, 12)
				d.f.CellFormat(50, 6, "Chữ có dấu: Đường", "", 1, "L", false, 0, "")
			}
			var buf bytes.Buffer
			if err := d.output(&buf); err != nil {
				t.Fatal(err)
			}
			got := embeddedFonts(t, buf.Bytes())
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("embedded %v, want %v", got, tc.want)
			}
		})
	}
}

// The page number is printed in the header in regular type; fpdf then puts
// back the font the page break interrupted. Setting that font again must
// still be a no-op, and text after the break keeps its style.
func TestFontAfterPageBreak(t *testing.T) {
	d := newPDF(Portrait, "thử")
	d.font("B", 11)
	d.f.AddPage() // page 2 prints its number in the regular style
	if d.curStyle != "B" || d.curSize != 11 {
		t.Fatalf("remembered %q %v after a page break, want B 11", d.curStyle, d.curSize)
	}
	d.font("B", 11)
	d.f.CellFormat(50, 6, "Đậm", "", 1, "L", false, 0, "")
	var buf bytes.Buffer
	if err := d.output(&buf); err != nil {
		t.Fatal(err)
	}
	got := embeddedFonts(t, buf.Bytes())
	if strings.Join(got, " ") != "utf8tinos utf8tinosB" {
		t.Errorf("embedded %v", got)
	}
}
