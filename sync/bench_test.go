package sync

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"testing"

	"danvan/store"
)

func benchRecords(owner string, n int, batch int) []store.SyncRecord {
	out := make([]store.SyncRecord, n)
	for i := range out {
		out[i] = store.SyncRecord{Kind: "model", ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, batch), Owner: owner, Revision: 1,
			CreatedAt: "2025-11-02T08:15:00.000000Z", UpdatedAt: "2026-01-04T09:00:00.000000Z", UpdatedBy: "canbo",
			Fields: modelFields(map[string]any{"kind": "model", "name": fmt.Sprintf("Mô hình nuôi cá lồng số %d, lô %d", i, batch), "field": "economy",
				"year": int64(2025), "body": "farmers_union", "location": "xóm Bưa, xã Suối Hoa", "person_name": "Bùi Văn Thắng",
				"content": "Hướng dẫn hộ nghèo nuôi cá lồng, hỗ trợ giống và kỹ thuật; mỗi hộ hai lồng.", "status": "registered", "budget": int64(150000000)})}
	}
	return out
}

// BenchmarkSignBatch10k: encode, hash, sign and zip a batch of 10.000
// model records (the goal is at most 1 s).
func BenchmarkSignBatch10k(b *testing.B) {
	_, sg := mustKey(b, "bench")
	plan := vecPlan(1, "", benchRecords(vecOfficeID, 10000, 0), sg)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data, _, err := BuildBatch(plan, sg, vecNow, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
	}
}

// BenchmarkVerifyBatch10k: the strict reading and verification of it.
func BenchmarkVerifyBatch10k(b *testing.B) {
	_, sg := mustKey(b, "vector key of SH")
	data, _, err := BuildBatch(vecPlan(1, "", benchRecords(vecOfficeID, 10000, 0), sg), sg, vecNow, nil)
	if err != nil {
		b.Fatal(err)
	}
	trust := vectorTrust(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ReadBatch(context.Background(), trust, "b.zip", data, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyImport50: one op verifies and imports a 50-record batch
// into the collecting office, each from one of 100 enrolled communes in
// turn, chained batch after batch. 3.321 ops are the whole country once.
func BenchmarkVerifyImport50(b *testing.B) {
	ctx := context.Background()
	htl := mustOffice(b, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	const communes = 100
	type sender struct {
		off  domain.Office
		sg   *Signer
		prev string
	}
	senders := make([]*sender, communes)
	for i := range senders {
		_, sg := mustKey(b, fmt.Sprint("commune ", i))
		off := domain.Office{ID: fmt.Sprintf("%08x-1111-4111-8111-111111111111", i), Code: fmt.Sprintf("X%04d", i), Name: fmt.Sprint("UBND xã ", i),
			Kind: domain.KindXa, Role: domain.RoleCommune}
		if _, err := htl.st.EnrollOffice(ctx, store.System, store.Enrollment{Office: off,
			Keys: []store.OfficeKey{{KeyID: sg.KeyID(), PublicKey: sg.PublicKey()}}}); err != nil {
			b.Fatal(err)
		}
		senders[i] = &sender{off: off, sg: sg}
	}
	batches := make([][]byte, b.N)
	for i := range batches {
		s := senders[i%communes]
		seq := int64(i/communes + 1)
		plan := store.ExportPlan{Office: s.off, Key: store.KeyMaterial{KeyID: s.sg.KeyID()}, Seq: seq, PrevSHA256: s.prev,
			Records: benchRecords(s.off.ID, 50, i)}
		data, _, err := BuildBatch(plan, s.sg, vecNow, nil)
		if err != nil {
			b.Fatal(err)
		}
		s.prev = SHA256Hex(data)
		batches[i] = data
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt, err := ReadBatch(ctx, htl.st, "b.zip", batches[i], DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		results, errs, err := htl.st.ImportBatches(ctx, store.System, []store.IncomingBatch{bt.Incoming()}, false)
		if err == nil {
			err = errs[0]
		}
		if err != nil || results[0].Counts.New != 50 {
			b.Fatalf("import %d: %v", i, err)
		}
	}
}
