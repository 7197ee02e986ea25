package report

import (
	"io"
	"math"
	"strconv"

	"danvan/report/sheet"
)

// WriteCSV writes the document's first table (a CSV file holds one table)
// as UTF-8 with a BOM.
func (doc *Document) WriteCSV(w io.Writer) error {
	tables := doc.Tables()
	if len(tables) == 0 {
		return &NoDataError{Report: "table"}
	}
	return tables[0].WriteCSV(w)
}

// WriteCSV writes the table as UTF-8 CSV with a BOM through the
// interchange writer (report/sheet), so that what the program exports is
// what it reads back: one header row (grouped titles are written
// "Group: Title"), then the rows. Whole numbers are written without
// thousands dots so that any program reads them; rates as printed
// ("99,08%").
func (t *Table) WriteCSV(w io.Writer) error {
	st := &sheet.Table{Header: t.flatHeader()}
	for _, r := range t.Rows {
		rec := make([]string, len(t.Columns))
		for i := range rec {
			if i < len(r.Cells) {
				rec[i] = r.Cells[i].plain()
			}
		}
		st.Rows = append(st.Rows, rec)
	}
	// The notes printed under the table (a legend …) follow an empty row.
	if len(t.Notes) > 0 && t.NotesInCSV {
		st.Rows = append(st.Rows, make([]string, len(t.Columns)))
	}
	for _, n := range t.Notes {
		if !t.NotesInCSV {
			break
		}
		rec := make([]string, len(t.Columns))
		rec[0] = n
		st.Rows = append(st.Rows, rec)
	}
	return sheet.WriteCSV(w, st)
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
