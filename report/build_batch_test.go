package report

import (
	"context"
	"danvan/internal/domain"
	"strings"
	"testing"
	"time"

	"danvan/store"
)

// TestStampFollowsSignedBatch: while the latest signed batch covers every
// change, the QR code carries that batch's hash; after a new change it
// carries the hash of the printed figures again.
func TestStampFollowsSignedBatch(t *testing.T) {
	st := setUpStore(t)
	saveSeedTally(t, st)
	ctx := context.Background()
	req := Request{Kind: KindTally, Period: "2024-Y", Date: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}

	before, err := Build(ctx, st, req)
	if err != nil {
		t.Fatal(err)
	}
	if before.Stamp.FromBatch {
		t.Fatal("no batch was sent, yet the stamp says it comes from one")
	}
	if err := st.CreateSelfKey(ctx, store.System, store.KeyMaterial{KeyID: "8F3A0C1D77B2E901", PublicKey: "RWQ", EncryptedSecret: "x"}); err != nil {
		t.Fatal(err)
	}
	plan, err := st.PrepareExport(ctx, store.System, "", true)
	if err != nil {
		t.Fatal(err)
	}
	batchHash := strings.Repeat("ab", 32)
	if err := st.RecordBatchSent(ctx, store.System, store.SentBatch{
		Seq: 1, FileName: "SH-000001-20260105.zip", SHA256: batchHash, KeyID: "8F3A0C1D77B2E901",
		CreatedAt: time.Now(), Full: true, Records: len(plan.Records), MaxChange: plan.MaxChange,
	}); err != nil {
		t.Fatal(err)
	}
	covered, err := Build(ctx, st, req)
	if err != nil {
		t.Fatal(err)
	}
	if !covered.Stamp.FromBatch || covered.Stamp.SHA256 != batchHash {
		t.Errorf("stamp = %+v, want the batch's hash", covered.Stamp)
	}
	_, text := writePDF(t, covered, "stamp-batch")
	mustContain(t, text, "SHA-256: abab abab abab abab", "(mã của lô dữ liệu đã ký số)")

	saveSeedTally(t, st) // the same figures saved again is no change …
	spec, _ := domain.ParsePeriod("2024-Q1", 15)
	fields, _ := st.TallyFields(ctx, "")
	var c domain.Counts
	for col := 3; col <= 13; col++ {
		c[col] = domain.V(0)
	}
	if _, err := st.SaveTallies(ctx, store.System, spec, []store.TallyInput{{FieldID: fields[1].ID, Counts: c}}); err != nil {
		t.Fatal(err)
	}
	after, err := Build(ctx, st, req) // … a new row is
	if err != nil {
		t.Fatal(err)
	}
	if after.Stamp.FromBatch || after.Stamp.SHA256 != before.Stamp.SHA256 {
		t.Errorf("after a change: stamp = %+v, want the data hash %s", after.Stamp, before.Stamp.SHA256)
	}
}
