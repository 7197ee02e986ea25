package report

import "io"

// WritePDF lays the document out and writes it to w.
func (doc *Document) WritePDF(w io.Writer) error {
	d, err := doc.layout()
	if err != nil {
		return err
	}
	return d.output(w)
}

func (doc *Document) layout() (*pdfDoc, error) {
	d := newPDF(doc.Orientation, doc.Title)
	if doc.FormCode != "" {
		d.font("B", 11)
		d.f.CellFormat(d.contentW, lineH(11), doc.FormCode, "", 2, "L", false, 0, "")
		d.f.SetY(d.f.GetY() + 1)
	}
	d.drawHeader(doc.Header)
	d.drawTitle(doc.Kind, doc.Subject, doc.Subtitle)
	for i, b := range doc.Blocks {
		switch b := b.(type) {
		case Paragraph:
			d.drawParagraph(b)
		case Heading:
			if i+1 < len(doc.Blocks) {
				d.keepWithNext(doc.Blocks[i+1])
			}
			d.drawHeading(b)
		case TableBlock:
			d.drawTable(b.Table)
		case BarChart:
			d.drawBarChart(b)
		case PageBreak:
			d.f.AddPage()
		case QRBlock:
			if err := d.drawQRBlock(b); err != nil {
				return nil, err
			}
		}
	}
	if err := d.drawSignature(doc.Signature, doc.Recipients, doc.Stamp); err != nil {
		return nil, err
	}
	return d, nil
}

// PageCount lays the document out and returns its number of pages.
func (doc *Document) PageCount() (int, error) {
	d, err := doc.layout()
	if err != nil {
		return 0, err
	}
	return d.f.PageCount(), d.f.Error()
}
