package store

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"testing"
)

// The P2 pair of docs/performance.md: saving one model through the store
// (rules, similar-name check, change_seq, history, audit, one transaction)
// against the floor under it, one raw INSERT of the same row into the same
// table and a COMMIT on a connection with the same pragmas (the store's
// own pool, so the DSN is the same by construction). scripts/bench.sh
// divides the first by the second; the goal is at most 1,5×.

func benchModel(i int) domain.Model {
	m := validModel()
	m.Name = fmt.Sprintf("%s số %d", seedNames[i%len(seedNames)], i)
	m.Field = domain.Fields[i%len(domain.Fields)]
	return m
}

var seedNames = []string{"Nuôi cá lồng trên sông Đà", "Trồng khoai lang", "Camera an ninh", "Tổ hòa giải", "Đường hoa"}

func BenchmarkSaveModel(b *testing.B) {
	s, _ := mustSetUp(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.SaveModel(ctx, System, benchModel(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSaveModelRawFloor(b *testing.B) {
	s, self := mustSetUp(b)
	ctx := context.Background()
	now := s.now()
	i := 0
	for b.Loop() {
		b.StopTimer()
		m := benchModel(i)
		m.Normalize()
		m.ID, m.OwnerOfficeID, m.Status, m.Revision, m.ChangeSeq = NewID(), self.ID, domain.StatusRegistered, 1, int64(i+1)
		m.CreatedAt, m.UpdatedAt = now, now
		args := modelArgs(&m)
		b.StartTimer()
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO models(`+modelCols+`, name_fold, search_fold)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
