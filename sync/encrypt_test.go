package sync

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/text/unicode/norm"

	"danvan/store"
)

// personal is a model whose every personal field is filled, so that a test
// can look for each of them in a file's bytes.
func (o *office) addPersonal(t testing.TB) domain.Model {
	t.Helper()
	m, err := o.st.SaveModel(context.Background(), store.System, domain.Model{
		Kind: domain.KindModel, Name: "Dân vận khéo nuôi ong lấy mật ở xóm Trám", Field: domain.FieldEconomy, Year: 2026, Body: domain.BodyFarmers,
		Location: "xóm Trám", PersonName: "Hà Thị Quyên", PersonPhone: "0912345678", Content: "Hộ nghèo vay vốn nuôi ong.", Budget: 90_000_000,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// enrolledPair is a commune that has enrolled its collecting office (and the other
// way round), as after the first visit.
func enrolledPair(t *testing.T) (sh, htl *office) {
	sh = mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl = mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	enroll(t, sh, htl)
	enroll(t, htl, sh)
	return sh, htl
}

// TestEncryptedBatchHidesPersonalData: the file a commune exports holds no
// model name, person name or phone number in clear, in any Unicode form
// and not even in a zip member name; the collecting office imports it.
func TestEncryptedBatchHidesPersonalData(t *testing.T) {
	ctx := context.Background()
	sh, htl := enrolledPair(t)
	m := sh.addPersonal(t)
	res, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Encrypted || !strings.HasSuffix(res.Path, ".zip.age") || res.Manifest.Format != Format {
		t.Fatalf("exported %s (encrypted %v, format %s), want an encrypted danvan-batch/2 .zip.age", res.Path, res.Encrypted, res.Manifest.Format)
	}
	data, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{m.Name, m.PersonName, m.PersonPhone, "nuôi ong", "Quyên", "Trám", "5678", "models.jsonl", "manifest.json", sh.self.Name} {
		for _, form := range []string{norm.NFC.String(secret), norm.NFD.String(secret)} {
			if bytes.Contains(data, []byte(form)) {
				t.Errorf("the exported file holds %q in clear", form)
			}
		}
	}
	if !IsEncrypted(data) || bytes.HasPrefix(data, []byte("PK")) {
		t.Error("the file is not an age file")
	}

	r := ImportFileWith(ctx, htl.st, store.System, htl.dir, res.Path, Options{Key: htl.sg})
	if r.Err != nil || r.Import.Counts.New == 0 || !r.Batch.Encrypted {
		t.Fatalf("import: %v, %+v, encrypted %v", r.Err, r.Import.Counts, r.Batch != nil && r.Batch.Encrypted)
	}
	got, err := htl.st.Model(ctx, m.ID)
	if err != nil || got.PersonName != m.PersonName || got.PersonPhone != m.PersonPhone || got.Name != m.Name {
		t.Fatalf("imported model = %+v, %v", got, err)
	}
	if r.Batch.SHA256 != res.SHA256 {
		t.Errorf("the batch's hash at the collecting office (%s) is not the one the commune recorded (%s)", r.Batch.SHA256, res.SHA256)
	}
	rb, _ := htl.st.ReceivedBatches(ctx, sh.self.ID)
	if len(rb) != 1 || !rb[0].Encrypted {
		t.Errorf("received = %+v, want batch 1 recorded as encrypted", rb)
	}
}

// nothingStored fails when the collecting office holds any batch or model
// from the commune.
func nothingStored(t *testing.T, htl, sh *office) {
	t.Helper()
	ctx := context.Background()
	rb, err := htl.st.ReceivedBatches(ctx, sh.self.ID)
	if err != nil || len(rb) != 0 {
		t.Errorf("received batches = %d (%v), want none", len(rb), err)
	}
	models, err := htl.st.SearchModels(ctx, store.ModelFilter{})
	if err != nil || len(models) != 0 {
		t.Errorf("models at the collecting office = %d (%v), want none", len(models), err)
	}
}

// TestEncryptedRefusals: a batch encrypted to another office, a damaged
// one, and one in clear that should be encrypted are each refused with
// their reason, set aside in quarantine/ with a note, and store nothing.
// One read while the key is locked is refused too, and left where it is.
func TestEncryptedRefusals(t *testing.T) {
	ctx := context.Background()
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		make     func(t *testing.T, sh *office, signed, sealed []byte) []byte
		want     error
		key      bool
		setAside bool
	}{
		{"encrypted to another office", func(t *testing.T, _ *office, signed, _ []byte) []byte {
			b, err := Seal(signed, []string{other.Recipient().String()})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, ErrNotForUs, true, true},
		{"truncated", func(_ *testing.T, _ *office, _, sealed []byte) []byte { return sealed[:len(sealed)*2/3] }, ErrUndecryptable, true, true},
		{"one bit changed", func(_ *testing.T, _ *office, _, sealed []byte) []byte {
			b := append([]byte(nil), sealed...)
			b[len(b)/2] ^= 0x10
			return b
		}, ErrUndecryptable, true, true},
		{"taken out of its encryption", func(_ *testing.T, _ *office, signed, _ []byte) []byte { return signed }, ErrPlaintext, true, true},
		{"the key locked", func(_ *testing.T, _ *office, _, sealed []byte) []byte { return sealed }, ErrNeedKey, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sh, htl := enrolledPair(t)
			sh.addPersonal(t)
			plan, err := sh.st.PrepareExport(ctx, store.System, "", false)
			if err != nil {
				t.Fatal(err)
			}
			signed, m, err := BuildBatch(plan, sh.sg, time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC), nil)
			if err != nil {
				t.Fatal(err)
			}
			sealed, err := Seal(signed, plan.Recipients)
			if err != nil {
				t.Fatal(err)
			}
			usb := t.TempDir()
			path := filepath.Join(usb, m.FileName())
			os.WriteFile(path, c.make(t, sh, signed, sealed), 0o600)
			opt := Options{}
			if c.key {
				opt.Key = htl.sg
			}
			r := ImportFileWith(ctx, htl.st, store.System, htl.dir, path, opt)
			if !errors.Is(r.Err, c.want) {
				t.Fatalf("import said %v, want %v", r.Err, c.want)
			}
			if code, _ := r.Err.(interface {
				MessageCode() (string, map[string]any)
			}).MessageCode(); code != "batch."+string(ProblemOf(c.want)) {
				t.Errorf("message code %q", code)
			}
			nothingStored(t, htl, sh)
			_, left := os.Stat(path)
			if r.Quarantined != c.setAside || (left == nil) == c.setAside {
				t.Errorf("quarantined %v, file still on the stick %v; want set aside %v", r.Quarantined, left == nil, c.setAside)
			}
			if c.setAside {
				note, err := os.ReadFile(r.QuarantinedAs + ".txt")
				if err != nil || !strings.Contains(string(note), m.FileName()) {
					t.Errorf("quarantine note: %q, %v", note, err)
				}
			}
		})
	}
}

// TestChangeOver follows docs/batch-format.md §8.4: a commune that enrolled
// its collecting office before encryption sends in clear (and is warned);
// once it enrolls the new enrollment file it encrypts; the collecting
// office still takes the earlier batch in clear that arrives late, and
// refuses a later one in clear.
func TestChangeOver(t *testing.T) {
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	enroll(t, sh, htl)
	// HTL's file from before encryption: the same, without age_recipient.
	old, err := ReadEnrollment("htl.zip", mustEnrollment(t, htl))
	if err != nil {
		t.Fatal(err)
	}
	se := old.StoreEnrollment()
	se.Recipient = ""
	if _, err := sh.st.EnrollOffice(ctx, store.System, se); err != nil {
		t.Fatal(err)
	}
	if clear, without, err := ClearExport(ctx, sh.st); err != nil || !clear || len(without) != 1 || without[0].Code != "HTL" {
		t.Fatalf("ClearExport = %v %v %v, want in clear, HTL without a key", clear, without, err)
	}
	sh.addModel(t, "Nuôi cá lồng")
	b1, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil || b1.Encrypted || b1.Manifest.Format != FormatClear || !strings.HasSuffix(b1.Path, ".zip") {
		t.Fatalf("batch 1: %+v, %v; want danvan-batch/1 in clear", b1, err)
	}

	// HTL's new enrollment file arrives; from now on SH encrypts.
	if _, _, err := Enroll(ctx, sh.st, store.System, "htl.zip", mustEnrollment(t, htl), ""); err != nil {
		t.Fatal(err)
	}
	if clear, _, _ := ClearExport(ctx, sh.st); clear {
		t.Fatal("still in clear after enrolling the file with a recipient")
	}
	sh.addModel(t, "Trồng bưởi đỏ")
	b2, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil || !b2.Encrypted {
		t.Fatalf("batch 2: %+v, %v; want encrypted", b2, err)
	}
	if b2.Manifest.PrevSHA256 != b1.SHA256 {
		t.Error("batch 2 does not name batch 1 across the change of version")
	}
	// A stale copy of the old program: batch 3 in clear.
	sh.addModel(t, "Chăn nuôi bò")
	plan, err := sh.st.PrepareExport(ctx, store.System, "", false)
	if err != nil {
		t.Fatal(err)
	}
	plan.Recipients = nil
	clear3, m3, err := BuildBatch(plan, sh.sg, time.Date(2026, 1, 6, 3, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	p3 := filepath.Join(t.TempDir(), m3.FileName())
	os.WriteFile(p3, clear3, 0o600)

	opt := Options{Key: htl.sg}
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, b2.Path, opt); r.Err != nil || r.Chain.State != store.ChainGap {
		t.Fatalf("batch 2 first: %v, %v", r.Err, r.Chain.State)
	}
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, b1.Path, opt); r.Err != nil || r.Import.Counts.New == 0 {
		t.Fatalf("batch 1 in clear, arriving late: %v, %+v", r.Err, r.Import.Counts)
	}
	r := ImportFileWith(ctx, htl.st, store.System, htl.dir, p3, opt)
	var pe *store.PlaintextError
	if !errors.As(r.Err, &pe) || pe.Since != 2 || pe.Seq != 3 || !r.Quarantined {
		t.Fatalf("batch 3 in clear after encrypted 2: %v (quarantined %v)", r.Err, r.Quarantined)
	}
	if rb, _ := htl.st.ReceivedBatches(ctx, sh.self.ID); len(rb) != 2 {
		t.Errorf("received %d batches, want 1 and 2 only", len(rb))
	}
	// Dry run says the same.
	os.WriteFile(p3, clear3, 0o600)
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, p3, Options{Key: htl.sg, DryRun: true}); !errors.As(r.Err, &pe) {
		t.Errorf("preview of batch 3: %v", r.Err)
	}
}

func mustEnrollment(t *testing.T, o *office) []byte {
	t.Helper()
	data, err := ExportEnrollment(context.Background(), o.st, o.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOpenKeyGivesOldCollectorAnIdentity: a collecting office whose key was
// made before encryption gets an encryption identity the first time it is
// unlocked, under the same passphrase; its enrollment file then carries the
// recipient. A commune's key is left as it is.
func TestOpenKeyGivesOldCollectorAnIdentity(t *testing.T) {
	ctx := context.Background()
	for _, role := range []domain.OfficeRole{domain.RoleCollector, domain.RoleCommune} {
		st, err := store.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		km, err := GenerateKey(nil, testPass)
		if err != nil {
			t.Fatal(err)
		}
		km.Recipient, km.EncryptedIdentity = "", "" // as wave 1 made it
		kind := domain.KindXa
		if role == domain.RoleCollector {
			kind = domain.KindHuyen
		}
		set := domain.DefaultSettings()
		set.CollectorName = "Ban Dân vận Tỉnh ủy"
		if _, err := st.Setup(ctx, store.SetupInput{Office: domain.Office{Code: "HTL", Name: "Ban Dân vận Huyện ủy Tân Lạc", Kind: kind, Role: role},
			Settings: set, Key: &km}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := OpenKey(ctx, st, store.System, "sai mật khẩu"); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s: a wrong passphrase: %v", role, err)
		}
		sg, created, err := OpenKey(ctx, st, store.System, testPass)
		if err != nil {
			t.Fatal(err)
		}
		// Every office gets an identity (a commune encrypts its batches to
		// itself too); only a collecting office must send its enrollment
		// file again.
		if created != (role == domain.RoleCollector) || sg.Recipient() == "" {
			t.Errorf("%s: created %v, recipient %q", role, created, sg.Recipient())
		}
		again, created, err := OpenKey(ctx, st, store.System, testPass)
		if err != nil || created || again.Recipient() != sg.Recipient() {
			t.Errorf("second unlock: %v, created %v, %q", err, created, again.Recipient())
		}
		self, _ := st.SelfOffice(ctx)
		if r, _ := st.Recipient(ctx, self.ID); r != sg.Recipient() {
			t.Errorf("stored recipient %q", r)
		}
		data, err := ExportEnrollment(ctx, st, sg, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// Only a collecting office's file offers its recipient: nobody
		// encrypts to a commune.
		e, err := ReadEnrollment("e.zip", data)
		if want := map[bool]string{true: sg.Recipient(), false: ""}[role == domain.RoleCollector]; err != nil || e.AgeRecipient != want {
			t.Errorf("%s: enrollment recipient %q, %v", role, e.AgeRecipient, err)
		}
	}
}

// TestRotationKeepsIdentity: rotating the signing key keeps the encryption
// identity, now under the new passphrase, so batches on their way to the
// collecting office still open.
func TestRotationKeepsIdentity(t *testing.T) {
	ctx := context.Background()
	sh, htl := enrolledPair(t)
	sh.addModel(t, "Nuôi cá lồng")
	b1, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil || !b1.Encrypted {
		t.Fatal(err)
	}
	const newPass = "mật khẩu mới 2027"
	km, err := RotateKey(ctx, htl.st, store.System, htl.sg, newPass)
	if err != nil {
		t.Fatal(err)
	}
	if km.Recipient != htl.sg.Recipient() {
		t.Errorf("the recipient changed in a rotation: %q → %q", htl.sg.Recipient(), km.Recipient)
	}
	if _, _, err := OpenKey(ctx, htl.st, store.System, testPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("the old passphrase still opens: %v", err)
	}
	sg, _, err := OpenKey(ctx, htl.st, store.System, newPass)
	if err != nil {
		t.Fatal(err)
	}
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, b1.Path, Options{Key: sg}); r.Err != nil {
		t.Fatalf("batch made before the rotation: %v", r.Err)
	}
}

// TestEnrollmentRecipientRules: only a collecting office's file may carry
// a recipient, and it must be an age X25519 recipient; both are signed.
func TestEnrollmentRecipientRules(t *testing.T) {
	sh, htl := enrolledPair(t)
	e, err := ReadEnrollment("htl.zip", mustEnrollment(t, htl))
	if err != nil || e.AgeRecipient != htl.sg.Recipient() || e.AgeRecipient == "" {
		t.Fatalf("HTL's file: %q, %v", e.AgeRecipient, err)
	}
	c, err := ReadEnrollment("sh.zip", mustEnrollment(t, sh))
	if err != nil || c.AgeRecipient != "" {
		t.Errorf("a commune's file carries a recipient %q (%v)", c.AgeRecipient, err)
	}
	for _, bad := range []string{"age1notarecipient", "AGE1" + strings.TrimPrefix(htl.sg.Recipient(), "age1")} {
		if _, err := ParseRecipient(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseRecipient(%q) = %v", bad, err)
		}
	}
}
