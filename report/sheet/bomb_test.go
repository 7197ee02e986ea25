package sheet

import (
	"archive/zip"
	"bytes"
	"danvan/internal/race"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// bombXLSX writes a workbook whose one sheet holds rows of cells copies of
// one row, compressed: a small file that inflates to rows×len(row) bytes.
func bombXLSX(t *testing.T, rows, cells int) string {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Tên mô hình", "Lĩnh vực"})
	var small bytes.Buffer
	if err := f.Write(&small); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(small.Bytes()), int64(small.Len()))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bom.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name != "xl/worksheets/sheet1.xml" {
			r, _ := zf.Open()
			io.Copy(w, r)
			r.Close()
			continue
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		var row strings.Builder
		for c := 0; c < cells; c++ {
			row.WriteString(`<c><v>1</v></c>`)
		}
		r := []byte(`<row>` + row.String() + `</row>`)
		for i := 0; i < rows; i++ {
			w.Write(r)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return path
}

// peakHeap runs f and returns the largest heap in use seen meanwhile.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak uint64
	var mu stdsync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peak
}

// Spreadsheet bombs are refused while they are read, within 300 MB: one that
// inflates past what a workbook may (1 GiB from a file of about a
// megabyte), and one that stays under it but holds millions of cells.
func TestSpreadsheetBombsRefused(t *testing.T) {
	if race.Enabled || testing.Short() {
		t.Skip("measures memory: run without -race (make bounds)")
	}
	for _, c := range []struct {
		name        string
		rows, cells int
		ok          bool
	}{
		{"at the bounds", MaxCells/40 - 1, 40, true}, // read, still within 300 MB
		{"inflates to 1 GiB", 1 << 20, 68, false},    // 1 Mi rows of about 1 KiB
		{"millions of cells", 150_000, 40, false},    // 6 million cells in about 90 MB: under the unzip bound, over the cells'

	} {
		t.Run(c.name, func(t *testing.T) {
			path := bombXLSX(t, c.rows, c.cells)
			fi, _ := os.Stat(path)
			var err error
			start := time.Now()
			peak := peakHeap(func() { _, err = ReadFile(path) })
			t.Logf("%s: %d KB file, done in %v, heap peak %d MB: %v", c.name, fi.Size()>>10, time.Since(start).Round(time.Millisecond), peak>>20, err)
			if c.ok && err != nil {
				t.Fatalf("read: %v", err)
			}
			if !c.ok && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("read: %v, want ErrTooLarge", err)
			}
			if peak > 300<<20 {
				t.Errorf("heap peaked at %d MB reading the bomb", peak>>20)
			}
		})
	}
}

// A CSV past the table's bounds is refused as it is read.
func TestCSVTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("Tên,Lĩnh vực\n")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&b, "m%d,Kinh tế\n", i)
	}
	if _, err := Read([]byte(b.String()), CSV); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("read: %v, want ErrTooLarge", err)
	}
}
