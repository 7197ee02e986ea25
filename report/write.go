package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Format is an output file format.
type Format string

const (
	PDF  Format = "pdf"
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// Formats lists the formats in the order the interface offers them.
var Formats = []Format{PDF, XLSX, CSV}

// ParseFormat reads "pdf", "xlsx" or "csv" (any case).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, ok := range Formats {
		if f == ok {
			return f, nil
		}
	}
	return "", &FormatError{Given: s}
}

// FormatError is an unknown output format.
type FormatError struct{ Given string }

func (e *FormatError) Error() string { return fmt.Sprintf("report: unknown format %q", e.Given) }

// MessageCode implements domain.Coded.
func (e *FormatError) MessageCode() (string, map[string]any) {
	return "report_format", map[string]any{"Given": e.Given}
}

// WriteError is a file that could not be written. Nothing was left behind:
// neither a half-written file nor a changed old one.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string { return fmt.Sprintf("report: write %s: %v", e.Path, e.Err) }
func (e *WriteError) Unwrap() error { return e.Err }

// MessageCode implements domain.Coded.
func (e *WriteError) MessageCode() (string, map[string]any) {
	return "report_write", map[string]any{"Path": e.Path}
}

// WriteFile writes the document to path in the given format. It writes a
// temporary file beside path and renames it into place, so that a failure
// never leaves a half-written file or damages an older one.
func (doc *Document) WriteFile(path string, format Format) error {
	return doc.writeFile(path, format, nil)
}

// writeFile is WriteFile with a last word: gate, when not nil, is asked
// once the file is complete, before it is moved into place, and an error
// from it leaves nothing behind.
func (doc *Document) writeFile(path string, format Format, gate func() error) error {
	var fn func(io.Writer) error
	switch format {
	case PDF:
		fn = doc.WritePDF
	case XLSX:
		fn = doc.WriteXLSX
	case CSV:
		fn = doc.WriteCSV
	default:
		return &FormatError{Given: string(format)}
	}
	return writeAtomic(path, fn, gate)
}

// Write writes the document to w in the given format.
func (doc *Document) Write(w io.Writer, format Format) error {
	switch format {
	case PDF:
		return doc.WritePDF(w)
	case XLSX:
		return doc.WriteXLSX(w)
	case CSV:
		return doc.WriteCSV(w)
	}
	return &FormatError{Given: string(format)}
}

// writeAtomic writes path through a temporary file beside it, renamed into
// place once complete and on disk; gate, when not nil, is asked just
// before the rename.
func writeAtomic(path string, fn func(io.Writer) error, gate func() error) (err error) {
	if path == "" {
		return &WriteError{Path: path, Err: errors.New("no file name")}
	}
	if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
		return &WriteError{Path: path, Err: errors.New("is a folder")}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return &WriteError{Path: path, Err: err}
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := fn(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	if err := tmp.Sync(); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	if err := tmp.Close(); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	if gate != nil {
		if err := gate(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return &WriteError{Path: path, Err: err}
	}
	done = true
	return nil
}
