package sheet

import (
	"bytes"
	"io"
	"os"

	"danvan/store/vn"
)

// MaxFileSize bounds what Read accepts, so that a wrong file picked by
// mistake (a video, a disk image) fails at once instead of filling memory.
const MaxFileSize = 64 << 20

// The bounds of a table, checked while it is read: a spreadsheet from
// outside may be a "zip bomb" (a 1 MB .xlsx whose sheet inflates to a
// gigabyte) or hold millions of cells. A province's models of a year (some
// thousands, 35 columns) fit well within them; an XLSX within them is read
// in under 300 MB (reading a cell's date format holds its sheet in memory,
// about 600 bytes a cell).
const (
	MaxRows  = 50_000
	MaxCols  = 1_024
	MaxCells = 300_000
	// MaxUnzipped is what an XLSX may inflate to in all; a sheet over
	// 16 MiB is unzipped to a temporary file, not to memory.
	MaxUnzipped = 256 << 20
)

// cellCount refuses a table growing past the bounds, row by row.
type cellCount struct{ rows, cells int }

func (c *cellCount) add(rec []string, line int) error {
	c.rows++
	c.cells += len(rec)
	if c.rows > MaxRows || len(rec) > MaxCols || c.cells > MaxCells {
		return fileErr(ErrTooLarge, line, "over the table's bounds")
	}
	return nil
}

// ReadFile reads a CSV or XLSX file, chosen by its extension; a file whose
// bytes say otherwise (an XLSX renamed .csv) is read by its content.
func ReadFile(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fileErr(ErrBinary, 0, "file larger than 64 MiB")
	}
	return Read(data, FormatOf(path))
}

// Read parses data in the given format. An empty format means "guess from
// the bytes".
func Read(data []byte, format Format) (*Table, error) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, bom))) == 0 {
		return nil, fileErr(ErrEmpty, 0, "")
	}
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	switch {
	case isZip:
		return ReadXLSX(data)
	case format == XLSX:
		return nil, fileErr(ErrNotXLSX, 0, "no zip signature")
	}
	return ReadCSV(data)
}

// cleanHeader trims and normalises the header cells, so that a header typed
// on a keyboard that produces NFD still matches.
func cleanHeader(h []string) []string {
	out := make([]string, len(h))
	for i, c := range h {
		out[i] = vn.Clean(c)
	}
	return out
}

// finish drops trailing empty header cells and checks there is a header.
func finish(t *Table) (*Table, error) {
	t.Header = cleanHeader(t.Header)
	for len(t.Header) > 0 && t.Header[len(t.Header)-1] == "" {
		t.Header = t.Header[:len(t.Header)-1]
	}
	if len(t.Header) == 0 {
		return nil, fileErr(ErrNoHeader, 1, "")
	}
	return t, nil
}
