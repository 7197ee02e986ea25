package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"danvan/report/sheet"

	"github.com/xuri/excelize/v2"
)

// Built-in number formats. Their separators follow the reader's locale, so
// a Vietnamese Excel shows 25.723 and 99,08% from the same file that an
// English one shows as 25,723 and 99.08%.
const (
	numFmtThousands = 3  // #,##0
	numFmtPercent2  = 10 // 0.00%
)

// WriteXLSX writes every table of the document, one sheet each: a title
// block naming the office, the document and its period above the table,
// the header frozen and repeated on every printed page, numbers stored as
// numbers, widths that fit, and A4 fitted to the page's width (landscape
// for a wide table), so that the workbook prints as the PDF does.
func (doc *Document) WriteXLSX(w io.Writer) error {
	tables := doc.Tables()
	if len(tables) == 0 {
		return &NoDataError{Report: "table"}
	}
	x := excelize.NewFile()
	defer x.Close()
	now := time.Now().UTC().Format(time.RFC3339)
	if err := x.SetDocProps(&excelize.DocProperties{Title: doc.Title, Subject: strings.Join(doc.Subject, " "),
		Creator: "danvan", LastModifiedBy: "danvan", Created: now, Modified: now, Language: "vi-VN"}); err != nil {
		return err
	}
	st, err := newSheetStyles(x)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Name, i, used)
		if i == 0 {
			if err := x.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(name); err != nil {
			return err
		}
		top, err := doc.writeTitle(x, name, len(t.Columns), st)
		if err != nil {
			return fmt.Errorf("report: xlsx %s: %w", name, err)
		}
		if err := t.writeSheet(x, name, st, top); err != nil {
			return fmt.Errorf("report: xlsx %s: %w", name, err)
		}
		if err := doc.pageSetup(x, name, len(t.Columns), top, top+t.HeaderRows()-1); err != nil {
			return fmt.Errorf("report: xlsx %s: %w", name, err)
		}
	}
	return x.Write(w)
}

// writeTitle writes the rows above a sheet's table, each merged across its
// width: the form's number, the issuing office, the document's kind and
// subject, and the period line. It returns the first row of the table.
func (doc *Document) writeTitle(x *excelize.File, sheet string, ncol int, st *sheetStyles) (int, error) {
	type line struct {
		text  string
		style int
	}
	var lines []line
	if doc.FormCode != "" {
		lines = append(lines, line{doc.FormCode, st.titleRight})
	}
	if doc.Header.Issuer != "" {
		lines = append(lines, line{strings.ToUpper(doc.Header.Issuer), st.titleBold})
	}
	subject := strings.TrimSpace(strings.Join(append([]string{doc.Kind}, doc.Subject...), " "))
	if subject != "" {
		lines = append(lines, line{subject, st.titleBold})
	}
	if doc.Subtitle != "" {
		lines = append(lines, line{doc.Subtitle, st.titleItalic})
	}
	last := max(ncol, 1)
	for i, l := range lines {
		row := i + 1
		first, _ := excelize.CoordinatesToCellName(1, row)
		end, _ := excelize.CoordinatesToCellName(last, row)
		if err := x.SetCellValue(sheet, first, l.text); err != nil {
			return 0, err
		}
		if last > 1 {
			if err := x.MergeCell(sheet, first, end); err != nil {
				return 0, err
			}
		}
		if err := x.SetCellStyle(sheet, first, end, l.style); err != nil {
			return 0, err
		}
	}
	if len(lines) == 0 {
		return 1, nil
	}
	return len(lines) + 2, nil // one empty row between the title and the table
}

// pageSetup prints a sheet on A4 fitted to the page's width, landscape
// when the document is or the table is wide, with the table's header rows
// repeated on every page.
func (doc *Document) pageSetup(x *excelize.File, name string, ncol, headFirst, headLast int) error {
	return sheet.PageSetup(x, name, doc.Orientation == Landscape || ncol > 6, headFirst, headLast)
}

// WriteXLSX writes one table as a workbook of one sheet.
func (t *Table) WriteXLSX(w io.Writer) error {
	doc := &Document{Title: t.Name, Blocks: []Block{TableBlock{t}}}
	return doc.WriteXLSX(w)
}

// lineHeight is one line of 12 pt Times New Roman, in points.
const lineHeight = 16

type sheetStyles struct {
	header, text, int, pct, boldText, boldInt, boldPct, flagInt, ord int
	titleBold, titleItalic, titleRight                               int
}

func newSheetStyles(x *excelize.File) (*sheetStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	mk := func(bold bool, numFmt int, wrap bool, center bool, fill string) (int, error) {
		s := &excelize.Style{
			Border:    border,
			Font:      &excelize.Font{Bold: bold, Family: "Times New Roman", Size: 12},
			NumFmt:    numFmt,
			Alignment: &excelize.Alignment{WrapText: wrap, Vertical: "top"},
		}
		if center {
			s.Alignment.Horizontal = "center"
			s.Alignment.Vertical = "center"
		}
		if fill != "" {
			s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		}
		return x.NewStyle(s)
	}
	var st sheetStyles
	var err error
	for _, s := range []struct {
		dst    *int
		bold   bool
		numFmt int
		wrap   bool
		center bool
		fill   string
	}{
		{&st.header, true, 0, true, true, "D9D9D9"},
		{&st.text, false, 0, true, false, ""},
		{&st.int, false, numFmtThousands, false, false, ""},
		{&st.pct, false, numFmtPercent2, false, false, ""},
		{&st.boldText, true, 0, true, false, ""},
		{&st.boldInt, true, numFmtThousands, false, false, ""},
		{&st.boldPct, true, numFmtPercent2, false, false, ""},
		{&st.flagInt, false, numFmtThousands, false, false, "FFFF00"},
		{&st.ord, false, 1, false, true, ""},
	} {
		if *s.dst, err = mk(s.bold, s.numFmt, s.wrap, s.center, s.fill); err != nil {
			return nil, err
		}
	}
	for _, s := range []struct {
		dst          *int
		bold, italic bool
		align        string
	}{
		{&st.titleBold, true, false, "center"},
		{&st.titleItalic, false, true, "center"},
		{&st.titleRight, false, false, "right"},
	} {
		if *s.dst, err = x.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Bold: s.bold, Italic: s.italic, Family: "Times New Roman", Size: 13},
			Alignment: &excelize.Alignment{Horizontal: s.align, Vertical: "center", WrapText: true},
		}); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

// HeaderRows is how many rows the header of t takes in a sheet.
func (t *Table) HeaderRows() int {
	n := 1
	if len(t.Groups) > 0 {
		n++
	}
	if t.Numbered {
		n++
	}
	return n
}

// writeSheet writes t with its header's first row at top.
func (t *Table) writeSheet(x *excelize.File, sheet string, st *sheetStyles, top int) error {
	ncol := len(t.Columns)
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col+1, row)
		return name
	}
	widths := make([]int, ncol)
	note := func(col int, s string) {
		widths[col] = max(widths[col], utf8.RuneCountInString(s))
	}
	row := top
	if len(t.Groups) > 0 {
		for i, c := range t.Columns {
			if _, ok := groupOf(t, i); !ok {
				if err := x.MergeCell(sheet, cell(i, top), cell(i, top+1)); err != nil {
					return err
				}
				x.SetCellValue(sheet, cell(i, top), c.Title)
			}
		}
		for _, g := range t.Groups {
			if err := x.MergeCell(sheet, cell(g.First, top), cell(g.Last, top)); err != nil {
				return err
			}
			x.SetCellValue(sheet, cell(g.First, top), g.Title)
		}
		row++
	}
	for i, c := range t.Columns {
		if _, ok := groupOf(t, i); ok || len(t.Groups) == 0 {
			x.SetCellValue(sheet, cell(i, row), c.Title)
		}
		for _, word := range strings.Fields(c.Title) {
			note(i, word)
		}
	}
	if t.Numbered {
		row++
		for i := range t.Columns {
			x.SetCellValue(sheet, cell(i, row), fmt.Sprintf("(%d)", i+1))
		}
	}
	if err := x.SetCellStyle(sheet, cell(0, top), cell(ncol-1, row), st.header); err != nil {
		return err
	}
	headerRows := row
	for _, r := range t.Rows {
		row++
		bold := r.Kind != RowData
		if r.Kind == RowSection {
			text := ""
			if len(r.Cells) > 0 {
				text = r.Cells[0].Text
			}
			x.SetCellValue(sheet, cell(0, row), text)
			if ncol > 1 {
				x.MergeCell(sheet, cell(0, row), cell(ncol-1, row))
			}
			x.SetCellStyle(sheet, cell(0, row), cell(ncol-1, row), st.boldText)
			continue
		}
		for i := 0; i < ncol; i++ {
			var c Cell
			if i < len(r.Cells) {
				c = r.Cells[i]
			}
			ref := cell(i, row)
			style := st.text
			switch c.Kind {
			case CellInt:
				x.SetCellInt(sheet, ref, int64(math.Round(c.Num)))
				style = st.int
				if bold {
					style = st.boldInt
				}
				if c.Flag {
					style = st.flagInt
				}
				note(i, c.String())
			case CellOrdinal:
				x.SetCellInt(sheet, ref, int64(math.Round(c.Num)))
				style = st.ord
				note(i, c.String())
			case CellPercent:
				if c.Valid() {
					x.SetCellFloat(sheet, ref, c.Num, -1, 64)
				} else {
					x.SetCellValue(sheet, ref, "—")
				}
				style = st.pct
				if bold {
					style = st.boldPct
				}
				note(i, "100,00%")
			default:
				x.SetCellValue(sheet, ref, c.Text)
				if bold {
					style = st.boldText
				}
				note(i, c.Text)
			}
			x.SetCellStyle(sheet, ref, ref, style)
		}
	}
	// The notes printed under the table in the PDF (a legend, why a
	// figure is marked) follow it here too, after an empty row.
	if len(t.Notes) > 0 {
		row++
	}
	for _, n := range t.Notes {
		row++
		x.SetCellValue(sheet, cell(0, row), n)
		x.SetCellStyle(sheet, cell(0, row), cell(0, row), st.text)
	}
	colW := make([]float64, ncol)
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		// Widths fit the content between a readable minimum and a maximum
		// past which the text wraps instead.
		colW[i] = math.Min(math.Max(float64(w)+2, 6), 60)
		if err := x.SetColWidth(sheet, col, col, colW[i]); err != nil {
			return err
		}
	}
	// Spreadsheets do not grow a row for wrapped text in merged cells, so
	// the header's rows get the height of their longest title: otherwise
	// LibreOffice prints "Số hồ sơ nhận" over its neighbour.
	lines := func(text string, width float64) float64 {
		return math.Max(1, math.Ceil(float64(utf8.RuneCountInString(text))*1.1/math.Max(width-1, 1)))
	}
	titleLines := 1.0
	for i, c := range t.Columns {
		if _, grouped := groupOf(t, i); grouped || len(t.Groups) == 0 {
			titleLines = math.Max(titleLines, lines(c.Title, colW[i]))
		}
	}
	if len(t.Groups) > 0 {
		groupLines := 1.0
		for _, g := range t.Groups {
			w := 0.0
			for c := g.First; c <= g.Last; c++ {
				w += colW[c]
			}
			groupLines = math.Max(groupLines, lines(g.Title, w))
		}
		// A column outside the groups spans both rows.
		for i, c := range t.Columns {
			if _, grouped := groupOf(t, i); !grouped {
				titleLines = math.Max(titleLines, lines(c.Title, colW[i])-groupLines)
			}
		}
		if err := x.SetRowHeight(sheet, top, groupLines*lineHeight); err != nil {
			return err
		}
		if err := x.SetRowHeight(sheet, top+1, titleLines*lineHeight); err != nil {
			return err
		}
	} else if err := x.SetRowHeight(sheet, top, titleLines*lineHeight); err != nil {
		return err
	}
	return x.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: headerRows, TopLeftCell: cell(0, headerRows+1), ActivePane: "bottomLeft",
	})
}

func groupOf(t *Table, col int) (HeaderGroup, bool) {
	for _, g := range t.Groups {
		if col >= g.First && col <= g.Last {
			return g, true
		}
	}
	return HeaderGroup{}, false
}

// sheetName makes a valid, unique sheet name: at most 31 characters and
// none of []:*?/\.
func sheetName(name string, i int, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		name = fmt.Sprintf("Bang %d", i+1)
	}
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	base := name
	for n := 2; used[name]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		name = string(r) + suffix
	}
	used[name] = true
	return name
}
