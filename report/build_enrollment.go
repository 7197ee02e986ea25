package report

import (
	"context"
	"errors"
	"strings"

	"danvan/store"
	"danvan/store/vn"
)

func init() {
	register(KindEnrollment, buildEnrollment)
}

// buildEnrollment prints the page the collecting office uses to confirm an
// enrollment file by another channel: the office, its key's fingerprint
// and public key, and a QR code holding them.
func buildEnrollment(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	km, err := st.SelfKey(ctx)
	if errors.Is(err, store.ErrNoKey) {
		return nil, &NoDataError{Report: "enrollment"}
	}
	if err != nil {
		return nil, err
	}
	return EnrollmentDocument(m, EnrollmentInput{KeyID: km.KeyID, PublicKey: km.PublicKey})
}

// EnrollmentInput is the key an office enrolls with.
type EnrollmentInput struct {
	KeyID     string // minisign key id, 16 hex digits
	PublicKey string // minisign base64
}

// Fingerprint writes a key id as people read it over the phone, in four
// groups: "8F3A 0C1D 77B2 E901". It is the sync package's format, repeated
// here because report must not import sync.
func Fingerprint(keyID string) string {
	if len(keyID) != 16 {
		return keyID
	}
	return keyID[0:4] + " " + keyID[4:8] + " " + keyID[8:12] + " " + keyID[12:16]
}

// EnrollmentDocument builds the enrollment page.
func EnrollmentDocument(m Meta, in EnrollmentInput) (*Document, error) {
	if in.KeyID == "" || in.PublicKey == "" {
		return nil, &NoDataError{Report: "enrollment"}
	}
	fp := Fingerprint(in.KeyID)
	line := func(key, value string) Paragraph {
		return Paragraph{Text: p(key, args{"Value": value}), Plain: true}
	}
	blocks := []Block{
		Paragraph{Text: p("enroll.intro", args{"Collector": m.Settings.CollectorName})},
		line("enroll.office", m.Office.Name),
		line("enroll.code", m.Office.Code),
		line("enroll.kind", p("office_kind."+string(m.Office.Kind))),
		Paragraph{Text: p("enroll.fingerprint", args{"Value": fp}), Bold: true, Plain: true, Size: 16},
		line("enroll.public_key", in.PublicKey),
		line("enroll.date", vn.FormatDate(m.Date)),
		QRBlock{
			Content: strings.Join([]string{"DANVAN-ENROLL1", m.Office.Code, in.KeyID, in.PublicKey}, ";"),
			Caption: []string{p("enroll.qr_caption"), fp},
			SizeMM:  36,
		},
		Paragraph{Text: p("enroll.check")},
	}
	return &Document{
		Orientation: Portrait,
		Header:      m.header(p("symbol.enroll")),
		Kind:        p("doc.enroll"),
		Subject:     []string{p("enroll.subject")},
		Blocks:      blocks,
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Title:       p("enroll.title"),
	}, nil
}
