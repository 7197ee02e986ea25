package sheet

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"danvan/store/vn"

	"github.com/xuri/excelize/v2"
)

// WriteFile writes t as CSV or XLSX, chosen by path's extension. It writes a
// temporary file beside path and renames it, so that a failed export never
// leaves half a file under the name the officer chose.
func WriteFile(path string, t *Table) error {
	var buf bytes.Buffer
	switch FormatOf(path) {
	case CSV:
		if err := WriteCSV(&buf, t); err != nil {
			return err
		}
	case XLSX:
		if err := WriteXLSX(&buf, t, ""); err != nil {
			return err
		}
	default:
		return fileErr(ErrUnknownType, 0, filepath.Ext(path))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// WriteCSV writes UTF-8 with a BOM, so that Excel on Windows opens the
// Vietnamese text correctly, and "," as separator. A cell holding ";" is
// quoted too, so that the reader's separator guess cannot be fooled by our
// own files.
//
// Whole numbers are written as plain digits (25723): a CSV is read by
// programs and by spreadsheets of every locale, and an en-US one reads
// "25.723" as twenty-five and a fraction (CLI.md). Reading still takes the
// thousands dots people type.
func WriteCSV(w io.Writer, t *Table) error {
	var b bytes.Buffer
	b.Write(bom)
	writeRecord(&b, t.Header)
	for _, r := range t.Rows {
		writeRecord(&b, plainNumbers(t, r))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// plainNumbers is r with the cells of Integer columns as plain digits.
func plainNumbers(t *Table, r []string) []string {
	var out []string
	for i, v := range r {
		if i < len(t.Kinds) && t.Kinds[i] == Integer && v != "" {
			if n, err := vn.ParseInt(v, math.MaxInt64); err == nil {
				if out == nil {
					out = append([]string(nil), r...)
				}
				out[i] = strconv.FormatInt(n, 10)
			}
		}
	}
	if out == nil {
		return r
	}
	return out
}

func writeRecord(b *bytes.Buffer, rec []string) {
	for i, v := range rec {
		if i > 0 {
			b.WriteByte(',')
		}
		if v == "" || !strings.ContainsAny(v, "\",;\r\n") && strings.TrimSpace(v) == v {
			b.WriteString(v)
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(v, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteString("\r\n")
}

// Built-in Excel number formats: 3 is "#,##0" and 10 is "0.00%". Both follow
// the reader's locale, so a Vietnamese Excel shows 25.723 and 99,08%.
const (
	numFmtWhole     = 1 // "0"
	numFmtThousands = 3
	numFmtPercent   = 10
)

// excelSerial is the day number Excel keeps date t as (1900 system): days
// since 30/12/1899.
func excelSerial(t time.Time) float64 {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return float64(day.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
}

// WriteXLSX writes t to one sheet (named sheetName, or "Sheet1") with the
// header row bold and frozen, columns as wide as their text, and Integer and
// Percent columns stored as numbers.
func WriteXLSX(w io.Writer, t *Table, sheetName string) error {
	f := excelize.NewFile()
	defer f.Close()
	name := "Sheet1"
	if sheetName != "" {
		if err := f.SetSheetName(name, sheetName); err != nil {
			return err
		}
		name = sheetName
	}
	// Before the stream writer: it writes the sheet's settings as they
	// are when it is made.
	if err := printSetup(f, name, len(t.Header)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	intStyle, err := f.NewStyle(&excelize.Style{NumFmt: numFmtThousands})
	if err != nil {
		return err
	}
	pctStyle, err := f.NewStyle(&excelize.Style{NumFmt: numFmtPercent})
	if err != nil {
		return err
	}
	yearStyle, err := f.NewStyle(&excelize.Style{NumFmt: numFmtWhole})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	styles := cellStyles{intStyle, pctStyle, yearStyle, dateStyle}
	for c, width := range columnWidths(t) {
		if err := sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for r, row := range t.Rows {
		vals := make([]any, len(row))
		for c, v := range row {
			vals[c] = cellValue(kindOf(t, c), v, styles)
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// printSetup makes a workbook print as an office expects and say who wrote
// it: A4, landscape when the table is wide, fitted to the page's width with
// the header row repeated on every page; the document's properties name
// danvan and the time it was written, not the library's defaults ("xuri",
// 2006).
func printSetup(f *excelize.File, sheet string, cols int) error {
	now := time.Now().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "danvan", LastModifiedBy: "danvan", Created: now, Modified: now,
		Title: sheet, Language: "vi-VN"}); err != nil {
		return err
	}
	return PageSetup(f, sheet, cols > 6, 1, 1)
}

// PageSetup prints a sheet on A4 fitted to the page's width (landscape or
// portrait), with rows first to last, the table's header, repeated on
// every page.
func PageSetup(f *excelize.File, sheet string, landscape bool, first, last int) error {
	a4, one, zero := 9, 1, 0
	orient := "portrait"
	if landscape {
		orient = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), first, last), Scope: sheet})
}

func kindOf(t *Table, c int) Kind {
	if c < len(t.Kinds) {
		return t.Kinds[c]
	}
	return Text
}

// cellStyles are the number formats of a workbook's kinds of cell.
type cellStyles struct{ int, pct, year, date int }

// cellValue turns a text cell into what the workbook stores. A cell of a
// numeric or date column that does not parse stays text rather than being
// lost.
func cellValue(k Kind, v string, st cellStyles) any {
	switch k {
	case Integer:
		if n, err := vn.ParseInt(v, math.MaxInt64); err == nil {
			return excelize.Cell{StyleID: st.int, Value: n}
		}
	case Year:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n < 10000 {
			return excelize.Cell{StyleID: st.year, Value: n}
		}
	case Date:
		if tm, err := vn.ParseDate(v); err == nil {
			// The serial number Excel keeps a date as; the style shows it
			// as dd/mm/yyyy and the reader turns it back into that text.
			return excelize.Cell{StyleID: st.date, Value: excelSerial(tm)}
		}
	case Percent:
		if f, ok := parsePercent(v); ok {
			return excelize.Cell{StyleID: st.pct, Value: f}
		}
	}
	// Text cells are written as strings even when they look like numbers,
	// so that a phone number keeps its leading zero.
	return excelize.Cell{Value: v}
}

// parsePercent reads "99,08%" (or "99.08%") as 0.9908.
func parsePercent(v string) (float64, bool) {
	s := strings.TrimSpace(v)
	if !strings.HasSuffix(s, "%") {
		return 0, false
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	s = strings.ReplaceAll(s, ".", "")
	s = strings.Replace(s, ",", ".", 1)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f / 100, true
}

// columnWidths fits each column to its longest line, between 8 and 60
// characters, looking at the first 1000 rows only: enough to be right and
// cheap on a 100.000-row export.
func columnWidths(t *Table) []float64 {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	widths := make([]float64, n)
	measure := func(c int, s string) {
		for _, line := range strings.Split(s, "\n") {
			widths[c] = max(widths[c], float64(utf8.RuneCountInString(line))+2)
		}
	}
	for c, h := range t.Header {
		measure(c, h)
	}
	for i, r := range t.Rows {
		if i >= 1000 {
			break
		}
		for c, v := range r {
			measure(c, v)
		}
	}
	for c := range widths {
		widths[c] = min(max(widths[c], 8), 60)
	}
	return widths
}
