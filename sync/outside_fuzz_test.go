package sync

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"testing"
	"time"

	"danvan/store"
)

// FuzzReadEnrollment feeds arbitrary bytes to the enrollment reader, which
// reads files that arrive by USB or e-mail: it must never panic, and what it
// accepts must be a whole, self-consistent enrollment.
func FuzzReadEnrollment(f *testing.F) {
	sh := mustOffice(f, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	data, err := ExportEnrollment(context.Background(), sh.st, sh.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := ReadEnrollment("sh.zip", data); err != nil {
		f.Fatalf("the seed enrollment is refused: %v", err)
	}
	f.Add(data)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ReadEnrollment("x.zip", b)
		if err != nil {
			return
		}
		if len(e.Keys) == 0 || e.Current().PublicKey == "" {
			t.Fatalf("accepted an enrollment without a key: %+v", e)
		}
		if err := e.validate(); err != nil {
			t.Fatalf("accepted an enrollment that does not validate: %v", err)
		}
	})
}

// FuzzReadReceipt does the same for receipts, read at the commune from
// whatever the collecting office sent back.
func FuzzReadReceipt(f *testing.F) {
	ctx := context.Background()
	sh := mustOffice(f, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(f, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	enroll(f, htl, sh)
	got := []store.ReceivedBatch{{OfficeID: sh.self.ID, Seq: 1, SHA256: string(bytes.Repeat([]byte("ab"), 32)), FileName: "SH-000001-20260105.zip", CreatedAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), ArrivedAt: time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)}}
	data, _, err := BuildReceipt(htl.self, sh.self, got, htl.sg, time.Date(2026, 1, 6, 1, 0, 0, 0, time.UTC))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := ReadReceipt(ctx, sh.st, sh.self, "r.zip", data); err != nil {
		f.Fatalf("the seed receipt is refused: %v", err)
	}
	f.Add(data)
	f.Add([]byte("PK\x05\x06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ReadReceipt(ctx, sh.st, sh.self, "r.zip", b)
		if err != nil {
			return
		}
		if r == nil {
			t.Fatal("no receipt and no error")
		}
	})
}

// FuzzReadSettings does the same for the settings files a collecting
// office sends down: whatever the reader accepts is signed by an enrolled
// office and passes the publication's own rules.
func FuzzReadSettings(f *testing.F) {
	ctx := context.Background()
	sh := mustOffice(f, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(f, "HTL", "Văn phòng UBND tỉnh", domain.RoleCollector)
	enroll(f, htl, sh)
	p, err := htl.st.OwnPublished(ctx)
	if err != nil {
		f.Fatal(err)
	}
	data, _, err := BuildSettings(htl.self, p, htl.sg, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := ReadSettings(ctx, sh.st, "s.zip", data); err != nil {
		f.Fatalf("the seed settings file is refused: %v", err)
	}
	f.Add(data)
	f.Add([]byte("PK\x05\x06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadSettings(ctx, sh.st, "s.zip", b)
		if err != nil {
			return
		}
		if d.From.ID != htl.self.ID {
			t.Fatalf("accepted settings from %s", d.From.Code)
		}
		pub := d.Published()
		if err := pub.Validate(); err != nil {
			t.Fatalf("accepted settings that do not validate: %v", err)
		}
	})
}
