package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// payload is what a printed QR code holds, one line a phone can show
// (docs/ma-qr.md):
//
//	DANVAN2;SH;2024-Q1;B;<signed zip's sha256>;<sent file's sha256>
//	DANVAN2;SH;2024-Q1;D;<printed figures' sha256>
//
// B: the figures are those of a signed batch; the first hash is the
// batch's (what the collecting office holds), the second that of the file
// the commune sent (what its outbox holds; empty for a batch sent before
// danvan recorded it). D: no batch covers the figures yet; the hash is of
// the figures themselves. The short hash printed under the code is the
// first 16 hex digits in groups of four, to compare paper with file by eye.
func (s Stamp) payload() string {
	if s.FromBatch {
		return strings.Join([]string{qrMagic, s.OfficeCode, s.Period, "B", s.SHA256, s.FileSHA256}, ";")
	}
	return strings.Join([]string{qrMagic, s.OfficeCode, s.Period, "D", s.SHA256}, ";")
}

const qrMagic = "DANVAN2"

// QRCode is a printout's QR text, read back.
type QRCode struct {
	Office    string
	Period    string
	FromBatch bool   // B: the hashes are a batch's; false: the figures' (D)
	Known     bool   // false for a first-version code, which did not say which
	SHA256    string // lower-case hex
	FileHash  string // the sent file's, lower-case hex; "" when not carried
}

// MaxQRText bounds what ParseQR reads: a code is a line of some 160
// characters.
const MaxQRText = 512

// QRError is QR text that is not a danvan printout's.
type QRError struct{ Reason string }

func (e *QRError) Error() string { return "report: not a danvan QR code: " + e.Reason }

// MessageCode implements domain.Coded.
func (e *QRError) MessageCode() (string, map[string]any) { return "qr_bad", nil }

// ParseQR reads the text of a printout's QR code, as a phone or zbarimg
// shows it: "DANVAN2;…" (and the first version's "DANVAN1;office;period;
// hash", which did not say whose hash it was). Text from outside: bounded,
// and every part checked before use.
func ParseQR(text string) (QRCode, error) {
	var q QRCode
	text = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "QR-Code:"))
	if len(text) > MaxQRText {
		return q, &QRError{Reason: "too long"}
	}
	parts := strings.Split(text, ";")
	switch {
	case len(parts) == 4 && parts[0] == "DANVAN1":
		q.Office, q.Period, q.SHA256 = parts[1], parts[2], parts[3]
	case (len(parts) == 5 || len(parts) == 6) && parts[0] == qrMagic:
		q.Office, q.Period, q.Known = parts[1], parts[2], true
		switch {
		case parts[3] == "B" && len(parts) == 6:
			q.FromBatch, q.SHA256, q.FileHash = true, parts[4], parts[5]
		case parts[3] == "D" && len(parts) == 5:
			q.SHA256 = parts[4]
		default:
			return QRCode{}, &QRError{Reason: "kind"}
		}
	default:
		return q, &QRError{Reason: "format"}
	}
	q.SHA256, q.FileHash = strings.ToLower(q.SHA256), strings.ToLower(q.FileHash)
	if !isHex64(q.SHA256) || q.FileHash != "" && !isHex64(q.FileHash) {
		return QRCode{}, &QRError{Reason: "hash"}
	}
	if !plainCode(q.Office, 20) || !plainCode(q.Period, 32) {
		return QRCode{}, &QRError{Reason: "office or period"}
	}
	return q, nil
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// plainCode is an office code or a period as danvan writes them: ASCII
// letters, digits, "-" and "." only.
func plainCode(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
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
