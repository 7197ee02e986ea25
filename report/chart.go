package report

import "danvan/store/vn"

// drawBarChart draws one horizontal bar per label, scaled to the largest
// value, with the figure at the end of each bar. Black and grey only: the
// document is printed on office printers.
func (d *pdfDoc) drawBarChart(c BarChart) {
	f := d.f
	const barH, gap = 6.0, 3.0
	n := len(c.Labels)
	titleH := 0.0
	if c.Title != "" {
		titleH = lineH(12) + 2
	}
	d.ensure(titleH + float64(n)*(barH+gap) + 4)
	y := f.GetY()
	if c.Title != "" {
		y = d.centred(marginLeft, y, d.contentW, []string{c.Title}, "B", 12) + 2
	}
	y0 := y
	labelW := d.contentW * 0.32
	barMax := d.contentW - labelW - 18
	var top int64 = 1
	for _, v := range c.Values {
		top = max(top, v)
	}
	d.font("", 11)
	f.SetLineWidth(0.2)
	for i, label := range c.Labels {
		var v int64
		if i < len(c.Values) {
			v = c.Values[i]
		}
		f.SetXY(marginLeft, y)
		f.CellFormat(labelW-2, barH, bmpOnly(label), "", 0, "R", false, 0, "")
		w := float64(v) / float64(top) * barMax
		f.SetFillColor(110, 110, 110)
		if w > 0 {
			f.Rect(marginLeft+labelW, y+0.5, w, barH-1, "FD")
		}
		f.SetXY(marginLeft+labelW+w+1.5, y)
		f.CellFormat(16, barH, vn.FormatInt(v), "", 0, "L", false, 0, "")
		y += barH + gap
	}
	f.Line(marginLeft+labelW, y0, marginLeft+labelW, y-gap)
	f.SetXY(marginLeft, y+4)
}
