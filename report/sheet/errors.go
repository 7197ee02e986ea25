package sheet

import (
	"errors"
	"fmt"
)

// The reasons a file cannot be read as a table. Each is a *FileError whose
// Kind is one of these, so callers can test with errors.Is.
var (
	ErrEmpty       = errors.New("sheet: the file is empty")
	ErrBinary      = errors.New("sheet: the file is not text")
	ErrEncoding    = errors.New("sheet: the file is not UTF-8")
	ErrMalformed   = errors.New("sheet: the file is not valid CSV")
	ErrNotXLSX     = errors.New("sheet: the file is not an Excel workbook")
	ErrNoHeader    = errors.New("sheet: the first row holds no column names")
	ErrUnknownType = errors.New("sheet: unknown file type")
	ErrTooLarge    = errors.New("sheet: the table is too large")
)

// FileError says why a file could not be read or written. It implements
// domain.Coded, so i18n.Err gives the officer a sentence.
type FileError struct {
	Kind   error
	Line   int    // 0 when not about one line
	Detail string // technical cause, for the log
}

func (e *FileError) Error() string {
	s := e.Kind.Error()
	if e.Line > 0 {
		s += fmt.Sprintf(" (line %d)", e.Line)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *FileError) Unwrap() error { return e.Kind }

// MessageCode implements domain.Coded; the keys live in models.*.json.
func (e *FileError) MessageCode() (string, map[string]any) {
	code := map[error]string{
		ErrEmpty:       "sheet.empty",
		ErrBinary:      "sheet.binary",
		ErrEncoding:    "sheet.encoding",
		ErrMalformed:   "sheet.malformed",
		ErrNotXLSX:     "sheet.not_xlsx",
		ErrNoHeader:    "sheet.no_header",
		ErrUnknownType: "sheet.unknown_type",
		ErrTooLarge:    "sheet.too_large",
	}[e.Kind]
	if code == "" {
		code = "sheet.malformed"
	}
	return code, map[string]any{"Line": e.Line}
}

func fileErr(kind error, line int, detail string) error {
	return &FileError{Kind: kind, Line: line, Detail: detail}
}
