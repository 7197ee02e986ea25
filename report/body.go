package report

// drawTitle prints the document type and its subject, centred and bold,
// with a short rule under the subject.
func (d *pdfDoc) drawTitle(kind string, subject []string, subtitle string) {
	f := d.f
	y := f.GetY()
	if kind != "" {
		y = d.centred(marginLeft, y, d.contentW, []string{kind}, "B", 14)
	}
	if len(subject) > 0 {
		y = d.centred(marginLeft, y, d.contentW, subject, "B", 14)
	}
	if len(subject) > 0 || kind != "" {
		// The short rule goes under the trích yếu, before any subtitle.
		f.SetLineWidth(0.3)
		rule := d.contentW / 6
		f.Line(marginLeft+(d.contentW-rule)/2, y+0.8, marginLeft+(d.contentW+rule)/2, y+0.8)
		y += 2
	}
	if subtitle != "" {
		y = d.centred(marginLeft, y, d.contentW, []string{subtitle}, "I", 13)
	}
	f.SetXY(marginLeft, y+6)
}

// drawParagraph prints body text: justified, first line indented by 1 cm,
// 6 pt after. Lines are broken here rather than by fpdf's MultiCell, which
// has no first-line indent.
func (d *pdfDoc) drawParagraph(pg Paragraph) {
	f := d.f
	size := pg.Size
	if size == 0 {
		size = bodySize
	}
	style := ""
	if pg.Bold {
		style += "B"
	}
	if pg.Italic {
		style += "I"
	}
	d.font(style, size)
	lh := lineH(size) * 1.1
	indent := indentMM
	if pg.Plain {
		indent = 0
	}
	lines := d.wrap(pg.Text, d.contentW-indent, d.contentW)
	for i, l := range lines {
		x, w := marginLeft, d.contentW
		if i == 0 {
			x, w = marginLeft+indent, d.contentW-indent
		}
		d.ensure(lh)
		f.SetX(x)
		align := "J"
		if pg.Plain || i == len(lines)-1 {
			align = "L"
		}
		f.CellFormat(w, lh, l, "", 2, align, false, 0, "")
	}
	f.SetY(f.GetY() + paraGap*ptMM)
}

// drawHeading prints a bold section heading, kept with the next two lines.
func (d *pdfDoc) drawHeading(h Heading) {
	lh := lineH(bodySize) * 1.1
	d.ensure(3 * lh)
	d.drawParagraph(Paragraph{Text: h.Text, Bold: true, Plain: false})
}

// keepWithNext reserves room for a heading and the start of the block after
// it, so that a heading never ends a page alone.
func (d *pdfDoc) keepWithNext(next Block) {
	switch n := next.(type) {
	case TableBlock:
		L := d.layoutTable(n.Table)
		d.ensure(lineH(bodySize)*1.5 + L.header + 3*L.lh)
	case BarChart:
		d.ensure(lineH(bodySize)*1.5 + float64(len(n.Labels))*9 + 10)
	}
}

// drawSignature prints "Nơi nhận" on the left and the signature block on
// the right, side by side, on one page, with the QR stamp: beside the list
// on a landscape page, under it on a portrait one.
func (d *pdfDoc) drawSignature(s Signature, recipients []string, stamp *Stamp) error {
	f := d.f
	const sigGap = 24.0 // room for the handwritten signature and the seal
	var head []string
	for _, l := range []string{s.Authority, s.Title} {
		if l != "" {
			head = append(head, upper(l))
		}
	}
	d.font("B", 13)
	sigH := float64(len(d.wrapAll(head, d.rightColW)))*lineH(13) + sigGap + lineH(13)

	listW := d.leftColW
	beside := stamp != nil && d.leftColW >= 90
	if beside {
		listW = d.leftColW - stampSize - 4
	}
	d.font("", 11)
	var lines []string
	for _, r := range recipients {
		lines = append(lines, d.wrap("- "+r+";", listW, listW)...)
	}
	lines = append(lines, p("archive"))
	listH := lineH(12) + float64(len(lines))*lineH(11)
	leftH := listH
	if stamp != nil {
		if beside {
			leftH = max(listH, stampHeight())
		} else {
			leftH = listH + 3 + stampHeight()
		}
	}
	d.ensure(max(sigH, leftH) + 4)
	y0 := f.GetY() + 2
	rightX := marginLeft + d.leftColW

	// Signature: authority and title upper case bold, then room to sign,
	// then the name bold.
	ry := d.centred(rightX, y0, d.rightColW, head, "B", 13)
	if s.Name != "" {
		d.centred(rightX, ry+sigGap, d.rightColW, []string{s.Name}, "B", 13)
	}

	// Nơi nhận: 12 pt bold italic, then an 11 pt list ending "- Lưu: VT.".
	d.font("BI", 12)
	f.SetXY(marginLeft, y0)
	f.CellFormat(listW, lineH(12), p("recipients"), "", 2, "L", false, 0, "")
	d.font("", 11)
	for _, l := range lines {
		f.SetX(marginLeft)
		f.CellFormat(listW, lineH(11), l, "", 2, "L", false, 0, "")
	}
	if stamp != nil {
		x, y := marginLeft, f.GetY()+3
		if beside {
			x, y = marginLeft+listW+4, y0
		}
		if err := d.drawStamp(*stamp, x, y); err != nil {
			return err
		}
	}
	f.SetXY(marginLeft, y0+max(sigH, leftH)+4)
	return nil
}
