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
