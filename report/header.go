package report

import (
	"fmt"
	"strings"

	"danvan/store/vn"
)

// drawHeader prints the Decree 30 header block: the bodies on the left with
// the number under them, the quốc hiệu, tiêu ngữ and date line on the right.
func (d *pdfDoc) drawHeader(h Header) {
	f := d.f
	x0, y0 := marginLeft, f.GetY()
	rightX := x0 + d.leftColW

	// Right: quốc hiệu 12–13 pt bold; 13 unless it would not fit.
	qh := p("quoc_hieu")
	qhSize := 13.0
	d.font("B", qhSize)
	if f.GetStringWidth(qh) > d.rightColW {
		qhSize = 12
	}
	ry := d.centred(rightX, y0, d.rightColW, []string{qh}, "B", qhSize)
	tn := p("tieu_ngu")
	ry = d.centred(rightX, ry, d.rightColW, []string{tn}, "B", 13)
	// The tiêu ngữ is underlined by a line exactly as long as the text.
	d.font("B", 13)
	tw := f.GetStringWidth(tn)
	f.SetLineWidth(0.3)
	f.Line(rightX+(d.rightColW-tw)/2, ry+0.3, rightX+(d.rightColW+tw)/2, ry+0.3)

	// Left: parent body (not bold), then the issuing body (bold) with a
	// short rule under it.
	ly := y0
	if h.ParentBody != "" {
		ly = d.centred(x0, ly, d.leftColW, []string{strings.ToUpper(h.ParentBody)}, "", 13)
	}
	issuer := issuerLines(h.Issuer)
	ly = d.centred(x0, ly, d.leftColW, issuer, "B", 13)
	d.font("B", 13)
	widest := 0.0
	for _, l := range d.wrapAll(issuer, d.leftColW) {
		widest = max(widest, f.GetStringWidth(l))
	}
	rule := widest / 3
	f.Line(x0+(d.leftColW-rule)/2, ly+0.3, x0+(d.leftColW+rule)/2, ly+0.3)

	// "Số: 05/BC-UBND" on the left and the date line on the right, on one
	// line under both blocks.
	y := max(ly, ry) + 3
	d.centred(x0, y, d.leftColW, []string{numberLine(h.Number, h.Symbol)}, "", 13)
	date := vn.LongDate(h.Date)
	if h.Place != "" {
		date = p("date_line", args{"Place": h.Place, "Date": date})
	} else {
		date = upperFirst(date)
	}
	end := d.centred(rightX, y, d.rightColW, []string{date}, "I", 13)
	f.SetXY(x0, end+6)
}

// numberLine writes "Số: 05/BC-UBND": numbers below 10 take a leading zero.
// Without a number the space is left blank for the văn thư.
func numberLine(n int, symbol string) string {
	if n <= 0 {
		return p("number_blank", args{"Symbol": symbol})
	}
	return p("number", args{"Number": fmt.Sprintf("%02d", n), "Symbol": symbol})
}

// issuerLines writes the issuing body upper case, spelling out "UBND" the
// way headers do ("ỦY BAN NHÂN DÂN" over "XÃ SUỐI HOA").
func issuerLines(name string) []string {
	up := strings.ToUpper(vn.Clean(name))
	for _, abbr := range []string{"UBND ", "ỦY BAN NHÂN DÂN "} {
		if rest, ok := strings.CutPrefix(up, abbr); ok {
			return []string{p("ubnd_full"), rest}
		}
	}
	return []string{up}
}

func (d *pdfDoc) wrapAll(lines []string, w float64) []string {
	var out []string
	for _, l := range lines {
		out = append(out, d.wrap(l, w, w)...)
	}
	return out
}

// upperFirst capitalises the first letter: "ngày 05 …" → "Ngày 05 …".
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
