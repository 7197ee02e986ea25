package report

import (
	"danvan/internal/domain"
	"strings"
	"time"

	"danvan/store/vn"
)

// Meta is what every report of an office shares: who issues it, when, under
// which number, who signs and who receives it.
type Meta struct {
	Office     domain.Office
	Settings   domain.Settings
	Date       time.Time // the document's date; zero means today
	Number     int       // the document's number; 0 leaves it blank
	Recipients []string  // nil means the collecting office
	BatchHash  string    // SHA-256 of the latest signed batch covering the figures, if any
	BatchFile  string    // SHA-256 of that batch's file as sent (encrypted or not); "" if not recorded
	// dataStamp makes the stamp the figures' hash even when a batch
	// covers them: what qr check recomputes to match a printout.
	dataStamp bool

	reads *sharedReads // what the reports of one WriteAll read once for all; nil for one report
}

// header builds the Decree 30 header for a document of the given kind
// ("BC" for báo cáo, "DS" for danh sách).
func (m Meta) header(kindSymbol string) Header {
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	place := m.Settings.PlaceName
	if place == "" {
		place = placeFromName(m.Office.Name)
	}
	return Header{
		ParentBody: m.Settings.ParentBody,
		Issuer:     m.Office.Name,
		Number:     m.Number,
		Symbol:     kindSymbol + "-" + issuerSymbol(m.Office),
		Place:      place,
		Date:       date,
	}
}

func (m Meta) signature() Signature {
	return Signature{Authority: m.Settings.SignerAuthority, Title: m.Settings.SignerTitle, Name: m.Settings.SignerName}
}

func (m Meta) recipients() []string {
	if m.Recipients != nil {
		return m.Recipients
	}
	if m.Settings.Recipients != "" {
		return strings.Split(m.Settings.Recipients, "\n")
	}
	if m.Settings.CollectorName != "" {
		return []string{m.Settings.CollectorName}
	}
	return nil
}

// stamp ties the printed figures to data: the signed batch's hash when
// there is one, else the hash of the figures themselves.
func (m Meta) stamp(period string, data any) *Stamp {
	s := &Stamp{OfficeCode: m.Office.Code, Period: period}
	if m.BatchHash != "" && !m.dataStamp {
		s.SHA256, s.FileSHA256, s.FromBatch = m.BatchHash, m.BatchFile, true
	} else {
		s.SHA256 = DataHash(data)
	}
	return s
}

// issuerSymbol is the issuing body's part of the ký hiệu: "UBND" for an
// Ủy ban nhân dân, "ĐU" for a Đảng ủy, "MTTQ" for the Mặt trận; otherwise
// the office's code.
func issuerSymbol(o domain.Office) string {
	f := vn.Fold(o.Name)
	for _, s := range []struct{ prefix, symbol string }{
		{"ubnd", "UBND"}, {"uy ban nhan dan", "UBND"},
		{"dang uy", "ĐU"}, {"mttq", "MTTQ"}, {"uy ban mttq", "MTTQ"}, {"uy ban mat tran", "MTTQ"},
		{"ban dan van", "BDV"},
	} {
		if strings.HasPrefix(f, s.prefix) {
			return s.symbol
		}
	}
	return o.Code
}

// placeFromName guesses the địa danh from the office's name: the words
// after the unit kind ("UBND xã Suối Hoa" → "Suối Hoa"), or after a
// district or provincial party committee's "ủy" ("Ban Dân vận Huyện ủy Tân
// Lạc" → "Tân Lạc"; a commune's "Đảng ủy xã …" reads on to "xã"). The
// setting overrides it.
func placeFromName(name string) string {
	words := strings.Fields(name)
	rest := func(i int) string {
		if i < len(words) {
			return strings.Join(words[i:], " ")
		}
		return name
	}
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = vn.Fold(words[i+1])
		}
		switch vn.Fold(w) {
		case "xa", "phuong", "huyen", "tinh", "quan":
			if next == "uy" {
				return rest(i + 2)
			}
			return rest(i + 1)
		case "thi":
			if next == "tran" {
				return rest(i + 2)
			}
		}
	}
	return name
}

// wholeArea is "toàn xã", "toàn phường", … for the office's kind.
func wholeArea(k domain.OfficeKind) string {
	return p("area." + string(k))
}
