package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
)

// utf8BOM makes Excel on Windows read the file as UTF-8.
const utf8BOM = "\uFEFF"

// WriteCSV writes the document's first table (a CSV file holds one table)
// as UTF-8 with a BOM.
func (doc *Document) WriteCSV(w io.Writer) error {
	tables := doc.Tables()
	if len(tables) == 0 {
		return &NoDataError{Report: "table"}
	}
	return tables[0].WriteCSV(w)
}

// WriteCSV writes the table as UTF-8 CSV with a BOM: one header row
// (grouped titles are written "Group: Title"), then the rows. Whole numbers
// are written without thousands dots so that any program reads them back;
// rates are written as printed ("99,08%").
func (t *Table) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.flatHeader()); err != nil {
		return err
	}
	for _, r := range t.Rows {
		rec := make([]string, len(t.Columns))
		for i := range rec {
			if i < len(r.Cells) {
				rec[i] = r.Cells[i].plain()
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// flatHeader is one header row; a grouped column's title carries its group.
func (t *Table) flatHeader() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Title
		for _, g := range t.Groups {
			if i >= g.First && i <= g.Last {
				out[i] = g.Title + ": " + c.Title
			}
		}
	}
	return out
}

// plain is the cell for a machine: numbers without grouping.
func (c Cell) plain() string {
	switch c.Kind {
	case CellInt, CellOrdinal:
		return strconv.FormatInt(int64(math.Round(c.Num)), 10)
	case CellPercent:
		return Cell{Kind: CellPercent, Num: c.Num}.String()
	}
	return c.Text
}
