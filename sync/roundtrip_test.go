package sync

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"danvan/store"
)

func (o *office) addModel(t testing.TB, name string) domain.Model {
	t.Helper()
	m, err := o.st.SaveModel(context.Background(), store.System, domain.Model{
		Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy, Year: 2025, Body: domain.BodyFarmers,
		Location: "xóm Bưa", PersonName: "Bùi Văn Thắng", Content: "Hướng dẫn hộ nghèo.", Budget: 150_000_000,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRoundTrip: two communes and one collecting office, through files
// only: enter, export, carry, verify, import, receipt, acknowledged; then
// changes and a deletion; then a re-sent file and a forged one.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	pv := mustOffice(t, "PV", "UBND xã Phú Vinh", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	for _, c := range []*office{sh, pv} {
		enroll(t, c, htl)
		enroll(t, htl, c)
	}
	usb := t.TempDir()
	m1 := sh.addModel(t, "Nuôi cá lồng trên sông Đà")
	m2 := sh.addModel(t, "Trồng bưởi đỏ")
	spec := sh.addTally(t, "2025-M12", 10)
	pv.addModel(t, "Nuôi dê")
	if n, _ := sh.st.UnsentChanges(ctx); n < 2 {
		t.Errorf("SH UnsentChanges = %d before the first batch, want at least 2", n)
	}
	r1, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{Extra: usb})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := sh.st.UnsentChanges(ctx); n != 0 {
		t.Errorf("SH UnsentChanges = %d after export, want 0", n)
	}
	if _, err := os.Stat(r1.ExtraPath); err != nil {
		t.Errorf("no copy on the USB folder: %v", err)
	}
	p1, err := Export(ctx, pv.st, store.System, pv.sg, pv.dir, ExportOptions{Extra: usb})
	if err != nil {
		t.Fatal(err)
	}

	// The collecting office imports the whole USB folder.
	htlUnsent, _ := htl.st.UnsentChanges(ctx)
	files, _ := ExpandPaths([]string{usb})
	if len(files) != 2 {
		t.Fatalf("USB holds %v", files)
	}
	for _, f := range files {
		if v := VerifyFile(ctx, htl.st, htl.sg, f); v.Err != nil || v.Chain.State != store.ChainNext {
			t.Fatalf("verify %s: %v %+v", f, v.Err, v.Chain)
		}
		dry := ImportFileWith(ctx, htl.st, store.System, htl.dir, f, Options{DryRun: true, Key: htl.sg})
		if dry.Err != nil || dry.Import.Applied {
			t.Fatalf("dry run %s: %v", f, dry.Err)
		}
		r := ImportFileWith(ctx, htl.st, store.System, htl.dir, f, Options{DryRun: false, Key: htl.sg})
		if r.Err != nil || !r.Import.Applied || r.Import.Counts != dry.Import.Counts {
			t.Fatalf("import %s: %v, %+v (dry run said %+v)", f, r.Err, r.Import.Counts, dry.Import.Counts)
		}
	}
	got, err := htl.st.Model(ctx, m1.ID)
	if err != nil || got.Name != m1.Name || got.OwnerOfficeID != sh.self.ID {
		t.Fatalf("SH's model at HTL: %+v, %v", got, err)
	}
	pt, err := htl.st.PeriodTallies(ctx, sh.self.ID, spec)
	if err != nil || len(pt.Rows) != 1 {
		t.Fatalf("SH's tallies at HTL: %d rows, %v", len(pt.Rows), err)
	}
	if n, _ := htl.st.UnsentChanges(ctx); n != htlUnsent {
		t.Errorf("HTL UnsentChanges = %d: communes' records count as its own", n)
	}
	// Held read-only: the collecting office cannot edit SH's model.
	got.Name = "Sửa trộm"
	if _, err := htl.st.SaveModel(ctx, store.System, got); err == nil {
		t.Error("the collecting office edited a commune's model")
	}

	// Receipt back to SH.
	rp, err := WriteReceipt(ctx, htl.st, store.System, htl.sg, htl.dir, sh.self.ID, "", vecNow)
	if err != nil {
		t.Fatal(err)
	}
	rdata, _ := os.ReadFile(rp)
	if _, _, err := ImportReceipt(ctx, pv.st, store.System, filepath.Base(rp), rdata); !errors.Is(err, ErrWrongOffice) {
		t.Errorf("PV took SH's receipt: %v", err)
	}
	_, ack, err := ImportReceipt(ctx, sh.st, store.System, filepath.Base(rp), rdata)
	if err != nil || len(ack.Acknowledged) != 1 {
		t.Fatalf("receipt at SH: %+v, %v", ack, err)
	}
	sent, _ := sh.st.SentBatches(ctx)
	if s := Summarize(sent); len(s.Acknowledged) != 1 || len(s.Pending) != 0 {
		t.Errorf("SH status after receipt = %+v", s)
	}

	// Changes: edit m1, delete m2, and a second batch.
	m1.Name = "Nuôi cá lồng trên sông Đà (mở rộng)"
	m1, err = sh.st.SaveModel(ctx, store.System, m1)
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.st.DeleteModel(ctx, store.System, m2.ID, m2.Revision); err != nil {
		t.Fatal(err)
	}
	r2, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Manifest.Seq != 2 || r2.Manifest.PrevSHA256 != r1.SHA256 || r2.Manifest.Counts.Models != 1 || r2.Manifest.Counts.Deletions != 1 {
		t.Errorf("second batch manifest = %+v", r2.Manifest)
	}
	r := ImportFileWith(ctx, htl.st, store.System, htl.dir, r2.Path, Options{DryRun: false, Key: htl.sg})
	if r.Err != nil || r.Import.Counts.Updated != 2 {
		t.Fatalf("second batch: %v %+v", r.Err, r.Import.Counts)
	}
	if got, _ := htl.st.Model(ctx, m1.ID); got.Name != m1.Name {
		t.Errorf("edited model at HTL = %q", got.Name)
	}
	if got, _ := htl.st.Model(ctx, m2.ID); got.DeletedAt.IsZero() {
		t.Error("the deletion did not travel")
	}
	// Re-sent: nothing changes, and the receipt written after it is the
	// same file as before, whatever the clock says.
	cur, err := WriteCurrentReceipt(ctx, htl.st, store.System, htl.sg, htl.dir, sh.self.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	r = ImportFileWith(ctx, htl.st, store.System, htl.dir, r1.Path, Options{DryRun: false, Key: htl.sg})
	if r.Err != nil || r.Chain.State != store.ChainReplay || r.Import.Applied {
		t.Errorf("re-import: %v %+v", r.Err, r.Chain)
	}
	again, err := WriteCurrentReceipt(ctx, htl.st, store.System, htl.sg, htl.dir, sh.self.ID, "")
	if err != nil || again != cur {
		t.Errorf("receipt after a replay = %s, %v; want %s again", again, err, cur)
	}
	if all, _ := filepath.Glob(filepath.Join(htl.dir, "receipts", "HTL-receipt-SH-*")); len(all) != 2 {
		t.Errorf("receipts for SH after a replay: %v, want the first and the current", all)
	}
	if got, _ := htl.st.Model(ctx, m1.ID); got.Name != m1.Name {
		t.Error("re-importing an old batch rolled a model back")
	}

	// A full export is a new batch with every record, and changes nothing.
	full, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{Full: true})
	if err != nil || full.Manifest.Seq != 3 || full.Manifest.Counts.Models != 1 || full.Manifest.Counts.Deletions != 1 {
		t.Fatalf("full export: %+v, %v", full.Manifest, err)
	}
	r = ImportFileWith(ctx, htl.st, store.System, htl.dir, full.Path, Options{DryRun: false, Key: htl.sg})
	if r.Err != nil || r.Import.Counts.New+r.Import.Counts.Updated != 0 {
		t.Errorf("full batch at HTL: %v %+v, want only unchanged", r.Err, r.Import.Counts)
	}

	// An office not enrolled: quarantined, never imported.
	kk := mustOffice(t, "KK", "UBND xã Khác", domain.RoleCommune)
	kk.addModel(t, "Không ai biết")
	rk, err := Export(ctx, kk.st, store.System, kk.sg, kk.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r = ImportFileWith(ctx, htl.st, store.System, htl.dir, rk.Path, Options{DryRun: false, Key: htl.sg})
	if !errors.Is(r.Err, ErrUnknownOffice) || !r.Quarantined {
		t.Errorf("unknown office: %v quarantined=%v", r.Err, r.Quarantined)
	}
	q, _ := htl.st.QuarantinedBatches(ctx)
	if len(q) != 1 || q[0].OfficeCode != "KK" {
		t.Errorf("quarantine = %+v", q)
	}
	if _, err := os.Stat(filepath.Join(htl.dir, "quarantine", q[0].FileName)); err != nil {
		t.Errorf("quarantined file: %v", err)
	}
	// Once KK is enrolled, its batch imports from the quarantine folder and
	// leaves the quarantine list.
	enroll(t, kk, htl)
	files, _ = ExpandPaths([]string{filepath.Join(htl.dir, "quarantine")})
	if len(files) != 1 {
		t.Fatalf("quarantine folder holds %v", files)
	}
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, files[0], Options{DryRun: false, Key: htl.sg}); r.Err != nil || r.Import.Counts.New == 0 {
		t.Errorf("import from quarantine: %v %+v", r.Err, r.Import.Counts)
	}
	if q, _ := htl.st.QuarantinedBatches(ctx); len(q) != 0 {
		t.Errorf("still in quarantine: %+v", q)
	}
	_ = p1
}
