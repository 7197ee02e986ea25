package report

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestModelPageCounts checks the list's length against what the layout
// must give: one page for one model, and for more a count that grows with
// the rows, with every model's name printed.
func TestModelPageCounts(t *testing.T) {
	for _, tc := range []struct {
		n          int
		minP, maxP int
	}{
		// One model, its subtotal, the total and the signature fit a page.
		{1, 1, 1},
		// A landscape page holds ≈150 mm of rows under the repeated
		// header. A one-line row is ≈6,4 mm, a two-line row ≈10,9 mm, and
		// three of the five sample rows wrap ("Duy trì, nhân rộng", the
		// recognition, the long club name): ≈9,1 mm a row, 16–17 rows a
		// page. 50 rows, 4 sections and 4 subtotals after the first page's
		// header block: 4–5 pages.
		{50, 4, 5},
		// 1.000 rows at 16–17 a page, and the signature: 59–64 pages.
		{1000, 59, 64},
	} {
		t.Run(strings.ReplaceAll(formatN(tc.n), ".", ""), func(t *testing.T) {
			doc, err := ModelsDocument(testMeta(), ModelList{Year: 2024, Items: manyModels(tc.n)})
			if err != nil {
				t.Fatal(err)
			}
			path, text := writePDF(t, doc, "models-"+formatN(tc.n))
			pages := pdfPages(t, path)
			if pages < tc.minP || pages > tc.maxP {
				t.Errorf("%d models: %d pages, want %d–%d", tc.n, pages, tc.minP, tc.maxP)
			}
			if fpdfPages, _ := doc.PageCount(); fpdfPages != pages {
				t.Errorf("PageCount = %d, pdfinfo says %d", fpdfPages, pages)
			}
			flat := squash(text)
			for i := 1; i <= tc.n; i += max(1, tc.n/50) {
				if name := manyModels(tc.n)[i-1].Name; !strings.Contains(flat, name) {
					t.Errorf("model %q missing from the PDF", name)
				}
			}
			// The header repeats on every page of the table.
			if got := strings.Count(flat, "Tên mô hình, điển hình"); got != pages && got != pages-1 {
				t.Errorf("table header printed %d times over %d pages", got, pages)
			}
		})
	}
}

func formatN(n int) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.Repeat(" ", 0)+itoa(n), " ", ""))
}

// TestLongNameWraps: a 2.000-character name wraps over many lines, and over
// pages when it must, and every character is printed.
func TestLongNameWraps(t *testing.T) {
	words := strings.Fields(strings.Repeat("Mô hình trồng bưởi đỏ và bưởi da xanh ở Thanh Hối ", 50))
	name := strings.Join(words, " ")
	name = (name + strings.Repeat("x", 2000))[:2000]
	unbroken := strings.Repeat("Đ", 2000) // no space to break at
	for _, tc := range []struct{ label, name string }{{"words", name}, {"one word", unbroken}} {
		t.Run(tc.label, func(t *testing.T) {
			// Only the name and the kind "Điển hình" are printed in the
			// long row, so that the name's pieces can be joined back.
			items := []ModelItem{{Name: tc.name, Field: "economy", Exemplar: true}, sampleModels[0]}
			doc, err := ModelsDocument(testMeta(), ModelList{Year: 2024, Items: items})
			if err != nil {
				t.Fatal(err)
			}
			path, text := writePDF(t, doc, "long-"+strings.ReplaceAll(tc.label, " ", "-"))
			if pdfPages(t, path) < 2 {
				t.Errorf("a 2.000-character name should run over a page")
			}
			// Lines are broken at spaces or between letters, and the row
			// continues under the repeated header of the next page: take
			// the page number and header away, join the pieces, and the
			// whole name must be there.
			var header string
			for _, c := range doc.Tables()[0].Columns {
				header += strings.Join(strings.Fields(c.Title), "")
			}
			var joined string
			for i, page := range strings.Split(text, "\f") {
				pj := strings.Join(strings.Fields(page), "")
				if i > 0 {
					pj = strings.TrimPrefix(pj, itoa(i+1))
					pj = strings.TrimPrefix(pj, header)
				}
				joined += pj
			}
			joined = strings.ReplaceAll(joined, "Điểnhình", "")
			if !strings.Contains(joined, strings.Join(strings.Fields(tc.name), "")) {
				t.Errorf("the 2.000-character name was cut")
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	doc, _ := ModelsDocument(testMeta(), ModelList{Year: 2024, Items: sampleModels})
	dir := t.TempDir()
	t.Run("missing folder", func(t *testing.T) {
		path := filepath.Join(dir, "no", "such", "folder", "a.pdf")
		err := doc.WriteFile(path, PDF)
		var we *WriteError
		if !errors.As(err, &we) || we.Path != path {
			t.Fatalf("err = %v, want a WriteError for %s", err, path)
		}
		if code, args := we.MessageCode(); code != "report_write" || args["Path"] != path {
			t.Errorf("MessageCode = %s %v", code, args)
		}
	})
	t.Run("a folder in the way", func(t *testing.T) {
		var we *WriteError
		if err := doc.WriteFile(dir, PDF); !errors.As(err, &we) {
			t.Fatalf("err = %v, want WriteError", err)
		}
	})
	t.Run("read-only folder keeps the old file", func(t *testing.T) {
		if runtime.GOOS == "windows" || os.Geteuid() == 0 {
			t.Skip("permissions are not enforced for this user")
		}
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o755)
		old := filepath.Join(ro, "a.pdf")
		os.WriteFile(old, []byte("old"), 0o644)
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
		var we *WriteError
		if err := doc.WriteFile(old, PDF); !errors.As(err, &we) {
			t.Fatalf("err = %v, want WriteError", err)
		}
		if data, _ := os.ReadFile(old); string(data) != "old" {
			t.Errorf("old file changed")
		}
	})
	t.Run("failure leaves nothing behind", func(t *testing.T) {
		sub := filepath.Join(dir, "clean")
		os.Mkdir(sub, 0o755)
		empty := &Document{Title: "x"} // no tables: XLSX fails after the temp file exists
		err := empty.WriteFile(filepath.Join(sub, "x.xlsx"), XLSX)
		var nd *NoDataError
		if !errors.As(err, &nd) {
			t.Fatalf("err = %v, want NoDataError", err)
		}
		if ents, _ := os.ReadDir(sub); len(ents) != 0 {
			t.Errorf("left behind: %v", ents)
		}
	})
	t.Run("unknown format", func(t *testing.T) {
		var fe *FormatError
		if _, err := ParseFormat("docx"); !errors.As(err, &fe) {
			t.Errorf("ParseFormat(docx) = %v", err)
		}
	})
}

// BenchmarkSummaryPDF is the speed claim: the summary plus a
// 1.000-model list as PDF in at most a second.
func BenchmarkSummaryPDF(b *testing.B) {
	m := testMeta()
	items := manyModels(1000)
	in := SummaryInput{Period: seedPeriod(), Tally: seedTally(), Year: 2024, Baseline: 2019, Fields: districtFields()}
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := SummaryDocument(m, in)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.WriteFile(filepath.Join(dir, "s.pdf"), PDF); err != nil {
			b.Fatal(err)
		}
		l, err := ModelsDocument(m, ModelList{Year: 2024, Items: items})
		if err != nil {
			b.Fatal(err)
		}
		if err := l.WriteFile(filepath.Join(dir, "l.pdf"), PDF); err != nil {
			b.Fatal(err)
		}
	}
}
