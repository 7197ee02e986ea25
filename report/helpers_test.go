package report

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writePDF writes doc to a temporary PDF and returns its path and the text
// pdftotext extracts from it. With DANVAN_REPORT_OUT set, the PDF is also
// copied there under name, so that a person can look at the pages.
func writePDF(t *testing.T, doc *Document, name string) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".pdf")
	if err := doc.WriteFile(path, PDF); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if out := os.Getenv("DANVAN_REPORT_OUT"); out != "" {
		data, _ := os.ReadFile(path)
		os.WriteFile(filepath.Join(out, name+".pdf"), data, 0o644)
	}
	return path, pdfText(t, path)
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pdfPages asks pdfinfo for the page count, independently of fpdf.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatalf("pdfinfo gave no page count")
	return 0
}

// squash folds white space so that text broken over lines by the layout
// can be searched for as one phrase.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func mustContain(t *testing.T, text string, wants ...string) {
	t.Helper()
	flat := squash(text)
	for _, w := range wants {
		if !strings.Contains(flat, squash(w)) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}

func testHeader() Header {
	return Header{
		ParentBody: "UBND huyện Tân Lạc",
		Issuer:     "UBND xã Suối Hoa",
		Number:     5,
		Symbol:     "BC-UBND",
		Place:      "Suối Hoa",
		Date:       time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
	}
}

func testSignature() Signature {
	return Signature{Authority: "TM. Ủy ban nhân dân", Title: "Chủ tịch", Name: "Bùi Văn Minh"}
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

var _ = bytes.NewReader

func mustLack(t *testing.T, text string, unwanted ...string) {
	t.Helper()
	flat := squash(text)
	for _, w := range unwanted {
		if strings.Contains(flat, squash(w)) {
			t.Errorf("PDF text has %q", w)
		}
	}
}

func asErr(err error, target any) bool { return err != nil && errors.As(err, target) }
