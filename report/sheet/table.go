package sheet

import (
	"path/filepath"
	"strings"
)

// Kind tells the XLSX writer how to store a column's cells. CSV always
// writes the text as given.
type Kind int

const (
	Text    Kind = iota
	Integer      // whole numbers: stored as numbers, shown "25.723" by a Vietnamese Excel
	Percent      // "99,08%" text, stored as the ratio 0.9908 with a percent format
	Year         // a year: stored as a number shown without grouping, 2024 not 2.024
	Date         // "dd/mm/yyyy" text, stored as a date shown dd/mm/yyyy
)

// Table is a header row and the rows under it, as text.
type Table struct {
	Header []string
	// Kinds, when set, gives the kind of each column for writing.
	Kinds []Kind
	Rows  [][]string
	// Lines holds, for each row, its row number in the file (the header is
	// row 1), so that problems can be reported where the officer sees them.
	// Blank rows are skipped, so the numbers can have gaps.
	Lines []int
}

// Cell returns row r's cell in column c, or "" when the row is shorter.
func (t *Table) Cell(r, c int) string {
	if r < 0 || r >= len(t.Rows) || c < 0 || c >= len(t.Rows[r]) {
		return ""
	}
	return t.Rows[r][c]
}

// Line returns the file row number of row r.
func (t *Table) Line(r int) int {
	if r >= 0 && r < len(t.Lines) {
		return t.Lines[r]
	}
	return r + 2
}

// Column returns the index of the header cell equal to name (compared after
// trimming), or -1.
func (t *Table) Column(name string) int {
	for i, h := range t.Header {
		if strings.TrimSpace(h) == name {
			return i
		}
	}
	return -1
}

// Format is a file format this package reads and writes.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf returns the format named by path's extension, or "".
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt":
		return CSV
	case ".xlsx", ".xlsm":
		return XLSX
	}
	return ""
}

func isBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
