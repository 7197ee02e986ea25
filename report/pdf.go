package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"danvan/assets"

	"github.com/go-pdf/fpdf"
)

// Page geometry in millimetres (Nghị định 30/2020/NĐ-CP, Phụ lục I): top and
// bottom 20–25, left 30–35, right 15–20. We take the smallest of each so
// that wide tables get the most room.
const (
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	ptMM         = 25.4 / 72 // one point in millimetres
	family       = "Tinos"
	bodySize     = 13.0 // body text, 13–14 pt
	paraGap      = 6.0  // points between paragraphs, at least 6
	indentMM     = 10.0 // first-line indent, 1 cm
)

// pdfDoc is a document being laid out.
type pdfDoc struct {
	f          *fpdf.Fpdf
	pageW      float64
	pageH      float64
	contentW   float64
	leftColW   float64 // header and "Nơi nhận" column
	rightColW  float64 // quốc hiệu and signature column
	bottomLine float64 // y beyond which nothing is drawn
	styles     [4]bool // the Tinos styles added so far, by fontStyles index
	// The font last set through font, so that setting it again writes
	// nothing: a table sets its row style once per row.
	curStyle string
	curSize  float64
}

// fontStyles are the Tinos styles a document may use. Each is added to the
// document the first time it is set: fpdf parses a whole TrueType file and
// hashes its width table for every style added, and embeds every style
// added, so a style a document never uses should cost nothing.
var fontStyles = [4]struct {
	style string
	data  []byte
}{{"", assets.TinosRegular}, {"B", assets.TinosBold}, {"I", assets.TinosItalic}, {"BI", assets.TinosBoldItalic}}

func newPDF(o Orientation, title string) *pdfDoc {
	orient := "P"
	if o == Landscape {
		orient = "L"
	}
	f := fpdf.New(orient, "mm", "A4", "")
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCellMargin(0)
	f.SetTitle(title, true)
	f.SetCreator("danvan", true)
	d := &pdfDoc{f: f, curSize: -1}
	d.pageW, d.pageH = f.GetPageSize()
	d.contentW = d.pageW - marginLeft - marginRight
	d.bottomLine = d.pageH - marginBottom
	d.leftColW = d.contentW * 0.40
	d.rightColW = d.contentW - d.leftColW
	// Page numbers: centred in the top margin, none on the first page.
	f.SetHeaderFuncMode(func() {
		if f.PageNo() < 2 {
			return
		}
		// fpdf sets the font of the page before this one back after the
		// header, so the font remembered is put back with it.
		style, size := d.curStyle, d.curSize
		defer func() { d.curStyle, d.curSize = style, size }()
		d.font("", bodySize)
		f.SetXY(marginLeft, marginTop/2-2)
		f.CellFormat(d.contentW, 5, strconv.Itoa(f.PageNo()), "", 0, "C", false, 0, "")
		f.SetXY(marginLeft, marginTop)
	}, false)
	f.AddPage()
	return d
}

// font sets the Tinos style ("", "B", "I" or "BI") and size. Every font
// this package sets goes through here, so that each style is added on its
// first use.
func (d *pdfDoc) font(style string, size float64) {
	if style == "IB" {
		style = "BI"
	}
	if style == d.curStyle && size == d.curSize {
		return
	}
	for i, fs := range fontStyles {
		if fs.style == style {
			if !d.styles[i] {
				d.f.AddUTF8FontFromBytes(family, fs.style, fs.data)
				d.styles[i] = true
			}
			break
		}
	}
	d.f.SetFont(family, style, size)
	d.curStyle, d.curSize = style, size
}

// lineH is the line height for a font size: single spacing with a little air.
func lineH(size float64) float64 { return size * ptMM * 1.22 }

// room is the space left on the page below the cursor.
func (d *pdfDoc) room() float64 { return d.bottomLine - d.f.GetY() }

// ensure starts a new page unless h millimetres are left.
func (d *pdfDoc) ensure(h float64) {
	if d.room() < h {
		d.f.AddPage()
	}
}

// centred prints lines centred in the column starting at x, advancing y.
func (d *pdfDoc) centred(x, y, w float64, lines []string, style string, size float64) float64 {
	d.font(style, size)
	lh := lineH(size)
	for _, l := range lines {
		for _, part := range d.wrap(l, w, w) {
			d.f.SetXY(x, y)
			d.f.CellFormat(w, lh, part, "", 0, "C", false, 0, "")
			y += lh
		}
	}
	return y
}

func (d *pdfDoc) output(w io.Writer) (err error) {
	// fpdf panics on some inputs instead of returning an error; a report
	// that cannot be written must say so, not bring the window down.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("report: pdf: %v", r)
		}
	}()
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
