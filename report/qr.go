package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrPayload is what a printed QR code holds, in one line a phone can show:
// "DANVAN1;SH;2024-Y;<sha256 hex>". The short hash printed under the code
// is the first 16 hex digits in groups of four, so that an officer can
// compare a paper copy with a signed file by eye.
func (s Stamp) payload() string {
	return strings.Join([]string{"DANVAN1", s.OfficeCode, s.Period, s.SHA256}, ";")
}

// ShortHash is the hash as printed under the code: "3f2a 9c1b 7d04 e5f6".
func ShortHash(hexHash string) string {
	h := hexHash
	if len(h) > 16 {
		h = h[:16]
	}
	var parts []string
	for len(h) > 4 {
		parts = append(parts, h[:4])
		h = h[4:]
	}
	return strings.Join(append(parts, h), " ")
}

// DataHash is the SHA-256 of v's JSON encoding: the fingerprint of a
// report's figures when no signed batch covers them yet. The same figures
// always give the same hash.
func DataHash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Report inputs are plain structs; failing to encode one is a
		// programming error, and an empty hash would silently match.
		panic(fmt.Sprintf("report: hashing data: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// drawQR draws a QR code as vector squares at (x, y), size millimetres wide.
func (d *pdfDoc) drawQR(content string, x, y, size float64) error {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("report: qr: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	if len(bm) == 0 {
		return fmt.Errorf("report: qr: empty bitmap")
	}
	m := size / float64(len(bm))
	d.f.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			// One rectangle per run of dark modules keeps the file small.
			start := c
			for c < len(row) && row[c] {
				c++
			}
			d.f.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m, "F")
		}
	}
	return nil
}

// stampSize is the printed QR code's width in millimetres: large enough
// for a phone camera at 2 mm per module.
const stampSize = 24.0

func stampHeight() float64 { return stampSize + 1 + 3*lineH(8) }

// drawStamp prints the document's QR code at (x, y) with its caption.
func (d *pdfDoc) drawStamp(s Stamp, x, y float64) error {
	capLines := []string{
		p("qr.office_period", args{"Office": s.OfficeCode, "Period": s.Period}),
		p("qr.hash", args{"Hash": ShortHash(s.SHA256)}),
	}
	if s.FromBatch {
		capLines = append(capLines, p("qr.from_batch"))
	} else {
		capLines = append(capLines, p("qr.from_data"))
	}
	if err := d.drawQR(s.payload(), x, y, stampSize); err != nil {
		return err
	}
	d.font("", 8)
	for i, l := range capLines {
		d.f.SetXY(x, y+stampSize+1+float64(i)*lineH(8))
		l = bmpOnly(l)
		d.f.CellFormat(d.f.GetStringWidth(l)+1, lineH(8), l, "", 0, "L", false, 0, "")
	}
	return nil
}

// drawQRBlock prints a larger QR code in the body, centred, with a caption.
func (d *pdfDoc) drawQRBlock(b QRBlock) error {
	size := b.SizeMM
	if size == 0 {
		size = 45
	}
	d.ensure(size + 4 + float64(len(b.Caption))*lineH(11))
	y := d.f.GetY() + 2
	if err := d.drawQR(b.Content, marginLeft+(d.contentW-size)/2, y, size); err != nil {
		return err
	}
	end := d.centred(marginLeft, y+size+2, d.contentW, b.Caption, "", 11)
	d.f.SetXY(marginLeft, end+4)
	return nil
}
