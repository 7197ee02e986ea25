package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestImportBatchesGroup applies several offices' batches in one call: a
// batch refused before it writes (a fork), and one that fails after it has
// begun to write (its search keys collide under a unique index, so Derive
// fails), each lose only themselves; the others apply, once each.
func TestImportBatchesGroup(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		bad     []int // which of the six batches fail
		applied int   // notes stored in the end
	}{
		{"all good", nil, 6},
		{"the first fails midway", []int{0}, 5},
		{"one in the middle fails midway", []int{3}, 5},
		{"the last fails midway", []int{5}, 5},
		{"two fail midway", []int{1, 4}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := mustSetUp(t)
			mustNotes(t, s)
			if _, err := s.db.Exec(`CREATE UNIQUE INDEX IF NOT EXISTS test_notes_fold ON test_notes(title_fold)`); err != nil {
				t.Fatal(err)
			}
			bad := map[int]bool{}
			for _, i := range tt.bad {
				bad[i] = true
			}
			var in []IncomingBatch
			for i := range 6 {
				office := mustSender(t, s, fmt.Sprintf("X%d", i))
				recs := []SyncRecord{note(office, NewID(), 1, fmt.Sprintf("ghi chú %d", i))}
				if bad[i] { // a second note whose key is the same
					recs = append(recs, note(office, NewID(), 1, fmt.Sprintf("ghi chú %d", i)))
				}
				in = append(in, batch(office, 1, recs...))
			}
			// and a fork: office X0's batch 1 again, with another hash
			fork := in[0]
			fork.SHA256 = fmt.Sprintf("%064d", 99)
			fork.Records = []SyncRecord{note(fork.OfficeID, NewID(), 1, "ghi chú khác")}
			in = append(in[:2], append([]IncomingBatch{fork}, in[2:]...)...)

			res, errs, err := s.ImportBatches(ctx, System, in, false)
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range in {
				orig := i
				if i > 2 {
					orig = i - 1
				}
				var ce *ChainError
				switch {
				case i == 2:
					// X0's first batch was applied (or failed) just before.
					if bad[0] {
						if errs[i] != nil || !res[i].Applied {
							t.Errorf("the second X0 batch 1, after the first failed: %v, applied %v", errs[i], res[i].Applied)
						}
					} else if !errors.As(errs[i], &ce) || res[i].Applied {
						t.Errorf("the fork: %v, applied %v; want a *ChainError", errs[i], res[i].Applied)
					}
				case bad[orig]:
					if errs[i] == nil || res[i].Applied {
						t.Errorf("batch %d (%s): %v, applied %v; want an error", i, b.FileName, errs[i], res[i].Applied)
					}
				default:
					if errs[i] != nil || !res[i].Applied || res[i].Counts.New != 1 {
						t.Errorf("batch %d: %v, applied %v, counts %+v; want one new note", i, errs[i], res[i].Applied, res[i].Counts)
					}
				}
			}
			want := tt.applied
			if bad[0] {
				want++ // the fork then is X0's only batch 1, with X0's first note
			}
			if got := len(notes(t, s)); got != want {
				t.Errorf("%d notes stored, want %d", got, want)
			}
			var received, deferred int
			s.db.QueryRow(`SELECT count(*) FROM batches_received`).Scan(&received)
			s.db.QueryRow(`SELECT count(*) FROM import_defers_index`).Scan(&deferred)
			if received != want || deferred != 0 {
				t.Errorf("%d batches recorded (want %d), %d rows in import_defers_index (want 0)", received, want, deferred)
			}
		})
	}
}

// TestImportBatchesCancelled: a transaction that cannot run applies nothing
// and says so for every batch.
func TestImportBatchesCancelled(t *testing.T) {
	s, _ := mustSetUp(t)
	mustNotes(t, s)
	var in []IncomingBatch
	for i := range 3 {
		office := mustSender(t, s, fmt.Sprintf("C%d", i))
		in = append(in, batch(office, 1, note(office, NewID(), 1, fmt.Sprintf("ghi chú %d", i))))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, _, err := s.ImportBatches(ctx, System, in, false)
	if err == nil {
		t.Fatal("a cancelled import reported no error")
	}
	for i, r := range res {
		if r.Applied {
			t.Errorf("batch %d reported applied by a cancelled import", i)
		}
	}
	if got := len(notes(t, s)); got != 0 {
		t.Errorf("%d notes stored by a cancelled import", got)
	}
}
