package report

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"strings"
	"testing"
	"time"

	"danvan/store"
)

func setUpStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set := testMeta().Settings
	set.Language, set.CutoffDay, set.DueWorkingDays = "vi", 15, 2
	if _, err := st.Setup(ctx, store.SetupInput{
		Office:   domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: set,
	}); err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC) }
	return st
}

func TestEnrollmentPage(t *testing.T) {
	st := setUpStore(t)
	ctx := context.Background()
	var nd *NoDataError
	if _, err := Build(ctx, st, Request{Kind: KindEnrollment}); !errors.As(err, &nd) {
		t.Fatalf("without a key: err = %v, want NoDataError", err)
	}
	const pub = "RWQBAgMEBQYHCPmK1fJ8QxqkXhq9F5cQ3aF1nV3xD3m2k6Zb3p5Q7wYHfQzM1n0A"
	if err := st.CreateSelfKey(ctx, store.System, store.KeyMaterial{KeyID: "8F3A0C1D77B2E901", PublicKey: pub, EncryptedSecret: "secret"}); err != nil {
		t.Fatal(err)
	}
	doc, err := Build(ctx, st, Request{Kind: KindEnrollment})
	if err != nil {
		t.Fatal(err)
	}
	_, text := writePDF(t, doc, "enrollment")
	mustContain(t, text, "PHIẾU ĐĂNG KÝ", "Tên đơn vị: UBND xã Suối Hoa", "Mã đơn vị: SH",
		"Dấu vân tay của khóa: 8F3A 0C1D 77B2 E901", "Suối Hoa, ngày 05 tháng 01 năm 2026",
		"Ban Dân vận Huyện ủy Tân Lạc")
	// The public key wraps at the margin; joined back it is whole.
	if !strings.Contains(strings.Join(strings.Fields(text), ""), pub) {
		t.Errorf("public key missing")
	}
	if path, _ := writePDF(t, doc, "enrollment"); pdfPages(t, path) != 1 {
		t.Errorf("the enrollment page should be one page")
	}
}
