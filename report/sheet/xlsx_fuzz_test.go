package sheet

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadXLSX checks that no spreadsheet, however broken, makes the reader
// panic, and that every refusal is a *FileError a person can be shown. The
// seed is a real file written by our own writer.
func FuzzReadXLSX(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.xlsx")
	seed := &Table{
		Header: []string{"Kỳ báo cáo", "Lĩnh vực", "(3)"},
		Kinds:  []Kind{Text, Text, Integer},
		Rows:   [][]string{{"2024-M04", "Hộ tịch", "25723"}},
	}
	if err := WriteFile(path, seed); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	if tb, err := Read(data, XLSX); err != nil || len(tb.Rows) != 1 {
		f.Fatalf("the seed file reads as %v, %v", tb, err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := Read(b, XLSX)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FileError", err)
			}
			return
		}
		if len(tb.Rows) != len(tb.Lines) {
			t.Fatalf("%d rows, %d line numbers", len(tb.Rows), len(tb.Lines))
		}
	})
}
