package sync

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"testing"
	"time"

	"danvan/store"
)

func TestEnrollment(t *testing.T) {
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	now := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	data, err := ExportEnrollment(ctx, sh.st, sh.sg, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("wrong fingerprint", func(t *testing.T) {
		if _, _, err := Enroll(ctx, htl.st, store.System, "sh.zip", data, "0000 0000 0000 0000"); !errors.Is(err, ErrWrongKey) {
			t.Errorf("err = %v, want wrong key", err)
		}
		if _, err := htl.st.Office(ctx, sh.self.ID); !errors.Is(err, store.ErrNotFound) {
			t.Error("a refused enrollment stored the office")
		}
	})
	t.Run("tampered", func(t *testing.T) {
		bad := append([]byte(nil), data...)
		i := indexOf(bad, []byte("Suối Hoa"))
		copy(bad[i:], "Suối Hoà")
		if _, err := ReadEnrollment("sh.zip", bad); err == nil {
			t.Error("a changed enrollment file was accepted")
		}
	})
	t.Run("own file", func(t *testing.T) {
		if _, _, err := Enroll(ctx, sh.st, store.System, "sh.zip", data, ""); !errors.Is(err, store.ErrEnrollSelf) {
			t.Errorf("err = %v, want ErrEnrollSelf", err)
		}
	})
	t.Run("officer may not enroll", func(t *testing.T) {
		if _, _, err := Enroll(ctx, htl.st, store.Actor{Name: "canbo", Role: store.RoleOfficer}, "sh.zip", data, ""); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("err = %v, want ErrForbidden", err)
		}
	})
	e, res, err := Enroll(ctx, htl.st, store.System, "sh.zip", data, Fingerprint(sh.sg.KeyID()))
	if err != nil || !res.New || e.Office.Code != "SH" {
		t.Fatalf("Enroll = %+v, %v", res, err)
	}
	if _, res, err := Enroll(ctx, htl.st, store.System, "sh.zip", data, ""); err != nil || res.New || len(res.NewKeys) != 0 {
		t.Errorf("enrolling again = %+v, %v; want no change", res, err)
	}

	t.Run("rotation", func(t *testing.T) {
		km, err := RotateKey(ctx, sh.st, store.System, sh.sg, "mật khẩu mới 2026")
		if err != nil {
			t.Fatal(err)
		}
		newSg, err := Unlock(km, "mật khẩu mới 2026")
		if err != nil {
			t.Fatal(err)
		}
		rotated, err := ExportEnrollment(ctx, sh.st, newSg, now)
		if err != nil {
			t.Fatal(err)
		}
		_, res, err := Enroll(ctx, htl.st, store.System, "sh2.zip", rotated, "")
		if err != nil || len(res.NewKeys) != 1 || res.NewKeys[0] != km.KeyID {
			t.Fatalf("rotated enrollment = %+v, %v", res, err)
		}
		keys, _ := htl.st.OfficeKeys(ctx, sh.self.ID)
		if len(keys) != 2 || keys[0].Current() || !keys[1].Current() {
			t.Errorf("keys after rotation = %+v", keys)
		}
	})

	t.Run("takeover refused", func(t *testing.T) {
		// Someone makes a fresh key and an enrollment claiming SH's id.
		_, thief := mustKey(t, "thief")
		fake, err := BuildEnrollment(sh.self, []store.OfficeKey{{KeyID: thief.KeyID(), PublicKey: thief.PublicKey()}}, thief, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := Enroll(ctx, htl.st, store.System, "fake.zip", fake, ""); !errors.Is(err, store.ErrKeyChain) {
			t.Errorf("err = %v, want ErrKeyChain", err)
		}
	})
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}
