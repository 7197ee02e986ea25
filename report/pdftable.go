package report

import (
	"fmt"
	"strings"

	"danvan/store/vn"
)

// Cell padding and the default table font size.
const (
	cellPadX      = 1.2
	cellPadY      = 0.9
	tableFontSize = 11.0
)

type tableLayout struct {
	t      *Table
	x      []float64 // left edge of each column
	w      []float64 // width of each column
	size   float64
	lh     float64
	header float64 // height of the header rows, numbers included
}

// layoutTable scales the relative widths to the page.
func (d *pdfDoc) layoutTable(t *Table) *tableLayout {
	L := &tableLayout{t: t, size: t.FontSize}
	if L.size == 0 {
		L.size = tableFontSize
	}
	L.lh = lineH(L.size)
	total := 0.0
	for _, c := range t.Columns {
		total += max(c.Width, 0.1)
	}
	x := marginLeft
	for _, c := range t.Columns {
		w := max(c.Width, 0.1) / total * d.contentW
		L.x = append(L.x, x)
		L.w = append(L.w, w)
		x += w
	}
	L.header = d.drawTableHeader(L, false)
	return L
}

func (L *tableLayout) groupOf(col int) (HeaderGroup, bool) {
	for _, g := range L.t.Groups {
		if col >= g.First && col <= g.Last {
			return g, true
		}
	}
	return HeaderGroup{}, false
}

func (L *tableLayout) span(g HeaderGroup) (x, w float64) {
	x = L.x[g.First]
	for i := g.First; i <= g.Last && i < len(L.w); i++ {
		w += L.w[i]
	}
	return x, w
}

// drawTableHeader draws (or, with draw false, only measures) the header
// rows at the cursor and returns their height.
func (d *pdfDoc) drawTableHeader(L *tableLayout, draw bool) float64 {
	f := d.f
	d.font("B", L.size)
	t := L.t
	y0 := f.GetY()
	box := func(lines int) float64 { return float64(lines)*L.lh + 2*cellPadY }
	// First row: the group titles.
	h1 := 0.0
	for _, g := range t.Groups {
		_, w := L.span(g)
		h1 = max(h1, box(len(d.wrap(g.Title, w-2*cellPadX, w-2*cellPadX))))
	}
	// Second row: the titles of grouped columns; ungrouped titles span both.
	h2 := 0.0
	lines := make([][]string, len(t.Columns))
	for i, c := range t.Columns {
		lines[i] = d.wrap(c.Title, L.w[i]-2*cellPadX, L.w[i]-2*cellPadX)
		if _, ok := L.groupOf(i); ok {
			h2 = max(h2, box(len(lines[i])))
		}
	}
	for i := range t.Columns {
		if _, ok := L.groupOf(i); !ok {
			h2 = max(h2, box(len(lines[i]))-h1)
		}
	}
	numH := 0.0
	if t.Numbered {
		numH = box(1)
	}
	total := h1 + h2 + numH
	if !draw {
		return total
	}
	f.SetLineWidth(0.2)
	for _, g := range t.Groups {
		x, w := L.span(g)
		f.Rect(x, y0, w, h1, "D")
		d.vcentred(x, y0, w, h1, d.wrap(g.Title, w-2*cellPadX, w-2*cellPadX), L.lh, "C")
	}
	for i := range t.Columns {
		y, h := y0+h1, h2
		if _, ok := L.groupOf(i); !ok {
			y, h = y0, h1+h2
		}
		f.Rect(L.x[i], y, L.w[i], h, "D")
		d.vcentred(L.x[i], y, L.w[i], h, lines[i], L.lh, "C")
	}
	if t.Numbered {
		d.font("I", L.size)
		for i := range t.Columns {
			f.Rect(L.x[i], y0+h1+h2, L.w[i], numH, "D")
			d.vcentred(L.x[i], y0+h1+h2, L.w[i], numH, []string{fmt.Sprintf("(%d)", i+1)}, L.lh, "C")
		}
	}
	f.SetXY(marginLeft, y0+total)
	return total
}

// vcentred prints lines centred vertically in a box.
func (d *pdfDoc) vcentred(x, y, w, h float64, lines []string, lh float64, align string) {
	top := y + (h-float64(len(lines))*lh)/2
	for i, l := range lines {
		d.f.SetXY(x+cellPadX, top+float64(i)*lh)
		d.f.CellFormat(w-2*cellPadX, lh, l, "", 0, align, false, 0, "")
	}
}

// drawTable prints a table whose rows wrap their text and may run over
// pages: the header is repeated on every page, and a row taller than a
// page continues on the next one, so that no text is ever cut.
func (d *pdfDoc) drawTable(t *Table) {
	f := d.f
	f.SetAutoPageBreak(false, marginBottom)
	defer f.SetAutoPageBreak(true, marginBottom)
	L := d.layoutTable(t)
	pageBody := d.bottomLine - marginTop - L.header
	// The grid is drawn as one outline per row and, for each run of rows
	// that have columns, one line per column boundary from the run's top
	// to its bottom: the same lines as a box per cell, in a tenth of the
	// drawing operations. A run ends at a section row, a page's end and
	// the table's end.
	runTop, runBottom := -1.0, 0.0
	endRun := func() {
		if runTop < 0 {
			return
		}
		for i := 1; i < len(L.x); i++ {
			f.Line(L.x[i], runTop, L.x[i], runBottom)
		}
		runTop = -1
	}
	newPage := func() {
		endRun()
		f.AddPage()
		d.drawTableHeader(L, true)
	}
	if d.room() < L.header+2*L.lh+2*cellPadY {
		f.AddPage()
	}
	d.drawTableHeader(L, true)
	f.SetLineWidth(0.2)
	for ri, row := range t.Rows {
		style := ""
		if row.Kind != RowData {
			style = "B"
		}
		d.font(style, L.size)
		cells, aligns, xs, ws := d.rowCells(L, row)
		n := 1
		for _, c := range cells {
			n = max(n, len(c))
		}
		rowH := func(k int) float64 { return float64(k)*L.lh + 2*cellPadY }
		// A section title stays with the first line of what follows it.
		if row.Kind == RowSection && ri+1 < len(t.Rows) && d.room() < rowH(n)+rowH(1) {
			newPage()
			d.font(style, L.size)
		}
		for start := 0; start < n; {
			fit := int((d.room() - 2*cellPadY) / L.lh)
			need := n - start
			if fit < need && (fit < 1 || start == 0 && rowH(need) <= pageBody) {
				// Move the whole row to the next page when it fits there;
				// split it only when it is taller than a page.
				newPage()
				d.font(style, L.size)
				continue
			}
			k := min(fit, need)
			y := f.GetY()
			h := rowH(k)
			if row.Kind == RowSection {
				endRun()
			} else if runTop < 0 {
				runTop = y
			}
			f.Rect(marginLeft, y, d.contentW, h, "D")
			runBottom = y + h
			for ci := range cells {
				for li := start; li < start+k && li < len(cells[ci]); li++ {
					f.SetXY(xs[ci]+cellPadX, y+cellPadY+float64(li-start)*L.lh)
					f.CellFormat(ws[ci]-2*cellPadX, L.lh, cells[ci][li], "", 0, aligns[ci], false, 0, "")
				}
			}
			f.SetXY(marginLeft, y+h)
			start += k
			if start < n {
				newPage()
				d.font(style, L.size)
			}
		}
	}
	endRun()
	d.font("I", L.size)
	for _, note := range t.Notes {
		f.SetY(f.GetY() + 1)
		d.drawParagraph(Paragraph{Text: note, Italic: true, Plain: true, Size: L.size})
	}
	f.SetXY(marginLeft, f.GetY()+paraGap*ptMM)
}

// rowCells wraps each cell's text into lines for its column.
func (d *pdfDoc) rowCells(L *tableLayout, row Row) (cells [][]string, aligns []string, xs, ws []float64) {
	if row.Kind == RowSection {
		text := ""
		if len(row.Cells) > 0 {
			text = row.Cells[0].String()
		}
		w := d.contentW
		return [][]string{d.wrap(text, w-2*cellPadX, w-2*cellPadX)}, []string{"L"}, []float64{marginLeft}, []float64{w}
	}
	n := len(L.t.Columns)
	cells, aligns = make([][]string, n), make([]string, n)
	for i, col := range L.t.Columns {
		var c Cell
		if i < len(row.Cells) {
			c = row.Cells[i]
		}
		align := col.Align
		if c.Kind != CellText && align == Left {
			align = Right
		}
		cells[i] = d.wrap(c.String(), L.w[i]-2*cellPadX, L.w[i]-2*cellPadX)
		aligns[i] = alignStr(align)
	}
	return cells, aligns, L.x, L.w
}

func alignStr(a Align) string {
	switch a {
	case Center:
		return "C"
	case Right:
		return "R"
	}
	return "L"
}

// upper is a body's name as headers print it.
func upper(s string) string { return strings.ToUpper(vn.Clean(s)) }
