package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// The import tests use a small record table of their own, with the columns
// every record table has, so that they do not depend on the models' or
// tallies' columns.
const noteTable = `CREATE TABLE IF NOT EXISTS test_notes (
	id TEXT PRIMARY KEY, owner_office_id TEXT NOT NULL REFERENCES offices(id),
	title TEXT NOT NULL CHECK (title <> ''), title_fold TEXT NOT NULL, amount INTEGER,
	revision INTEGER NOT NULL, change_seq INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL DEFAULT '', deleted_at TEXT NOT NULL DEFAULT '')`

func init() {
	registerSyncKind(SyncKind{Kind: "test_note", Member: "test_notes.jsonl", Table: "test_notes", Order: 99,
		Fields:  []string{"title", "amount"},
		Derived: []string{"title_fold"},
		Derive: func(ctx context.Context, tx *sql.Tx, ids []string) error {
			for _, id := range ids {
				if _, err := tx.ExecContext(ctx, `UPDATE test_notes SET title_fold = title || '~' WHERE id = ?`, id); err != nil {
					return err
				}
			}
			return nil
		}})
}

func mustNotes(tb testing.TB, s *Store) {
	tb.Helper()
	if _, err := s.db.Exec(noteTable); err != nil {
		tb.Fatal(err)
	}
}

// mustSender enrolls a sending office in s and returns its id.
func mustSender(tb testing.TB, s *Store, code string) string {
	tb.Helper()
	id := NewID()
	_, err := s.EnrollOffice(context.Background(), System, Enrollment{
		Office: domain.Office{ID: id, Code: code, Name: "UBND xã " + code, Kind: domain.KindXa, Role: domain.RoleCommune},
		Keys:   []OfficeKey{{KeyID: fmt.Sprintf("%016X", rand.Uint64()), PublicKey: "k"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func note(owner, id string, rev int64, title string) SyncRecord {
	return SyncRecord{Kind: "test_note", ID: id, Owner: owner, Revision: rev, CreatedAt: "2026-01-01T00:00:00.000000Z",
		UpdatedAt: fmt.Sprintf("2026-01-0%dT00:00:00.000000Z", rev%9+1), UpdatedBy: "canbo", Fields: []any{title, rev * 10}}
}

func batch(office string, seq int64, recs ...SyncRecord) IncomingBatch {
	prev := ""
	if seq > 1 {
		prev = fmt.Sprintf("%064d", seq-1)
	}
	return IncomingBatch{OfficeID: office, Seq: seq, SHA256: fmt.Sprintf("%064d", seq), PrevSHA256: prev,
		FileName: fmt.Sprintf("X-%06d.zip", seq), CreatedAt: time.Unix(0, 0), Records: recs}
}

type noteRow struct {
	Title    string
	Rev      int64
	Deleted  string
	Fold     string
	ChangeSq int64
}

func notes(tb testing.TB, s *Store) map[string]noteRow {
	tb.Helper()
	rows, err := s.db.Query(`SELECT id, title, revision, deleted_at, title_fold, change_seq FROM test_notes`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]noteRow{}
	for rows.Next() {
		var id string
		var r noteRow
		rows.Scan(&id, &r.Title, &r.Rev, &r.Deleted, &r.Fold, &r.ChangeSq)
		out[id] = r
	}
	return out
}

func TestImportOutcomes(t *testing.T) {
	ctx := context.Background()
	s, _ := mustSetUp(t)
	mustNotes(t, s)
	sh := mustSender(t, s, "PC")
	pv := mustSender(t, s, "PV")
	a, b, c := NewID(), NewID(), NewID()
	unsent, err := s.UnsentChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}

	res, err := s.importOne(ctx, System, batch(sh, 1, note(sh, a, 1, "Nuôi cá lồng"), note(sh, b, 2, "Trồng bưởi")), false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Counts, (ImportCounts{New: 2}); got != want {
		t.Errorf("batch 1 counts = %+v, want %+v", got, want)
	}
	if res.Chain.State != ChainNext || !res.Applied {
		t.Errorf("batch 1 chain = %+v applied %v", res.Chain, res.Applied)
	}

	// a newer, b same, c new; then a deletion of b in the next batch.
	res, err = s.importOne(ctx, System, batch(sh, 2, note(sh, a, 3, "Nuôi cá lồng (sửa)"), note(sh, b, 2, "Trồng bưởi"), note(sh, c, 1, "Camera")), false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Counts, (ImportCounts{New: 1, Updated: 1, Unchanged: 1}); got != want {
		t.Errorf("batch 2 counts = %+v, want %+v", got, want)
	}
	del := note(sh, b, 3, "")
	del.DeletedAt, del.Fields = "2026-02-01T00:00:00.000000Z", nil
	old := note(sh, a, 2, "cũ")
	foreign := note(pv, c, 5, "cướp")
	res, err = s.importOne(ctx, System, batch(sh, 3, old, del), false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Counts, (ImportCounts{Updated: 1, Older: 1}); got != want {
		t.Errorf("batch 3 counts = %+v, want %+v", got, want)
	}
	res, err = s.importOne(ctx, System, batch(pv, 1, foreign, note(pv, NewID(), 1, "")), false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Counts, (ImportCounts{Rejected: 2}); got != want {
		t.Errorf("PV batch counts = %+v, want %+v", got, want)
	}
	if len(res.Rejections) != 2 || res.Rejections[0].Reason != "owner" || res.Rejections[1].Reason != "invalid" {
		t.Errorf("rejections = %+v", res.Rejections)
	}
	got := notes(t, s)
	if got[a].Title != "Nuôi cá lồng (sửa)" || got[a].Rev != 3 || got[a].Fold != "Nuôi cá lồng (sửa)~" || got[a].ChangeSq != 0 {
		t.Errorf("a = %+v", got[a])
	}
	if got[b].Deleted == "" || got[b].Rev != 3 {
		t.Errorf("b = %+v, want deleted at revision 3", got[b])
	}
	if got[c].Title != "Camera" {
		t.Errorf("c = %+v: a record of SH was changed by PV's batch", got[c])
	}
	if n, _ := s.UnsentChanges(ctx); n != unsent {
		t.Errorf("UnsentChanges = %d after importing others' records, want %d as before", n, unsent)
	}
}

func TestImportChain(t *testing.T) {
	ctx := context.Background()
	s, _ := mustSetUp(t)
	mustNotes(t, s)
	sh := mustSender(t, s, "PC")
	b3 := batch(sh, 3, note(sh, NewID(), 1, "ba"))
	res, err := s.importOne(ctx, System, b3, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Chain.State != ChainGap || SeqRanges(res.Chain.Missing) != "1–2" {
		t.Errorf("batch 3 first: chain %+v, want a gap of 1–2", res.Chain)
	}
	res, err = s.importOne(ctx, System, b3, false)
	if err != nil || res.Chain.State != ChainReplay || res.Applied {
		t.Errorf("re-import: %+v, %v; want replay, not applied", res.Chain, err)
	}
	if res.Counts.New != 1 {
		t.Errorf("replay counts = %+v, want the first import's", res.Counts)
	}
	forged := b3
	forged.SHA256 = fmt.Sprintf("%064d", 33)
	var ce *ChainError
	if _, err := s.importOne(ctx, System, forged, false); !errors.As(err, &ce) || ce.Reason != "same_seq" {
		t.Errorf("same seq, other hash: %v, want a same_seq fork", err)
	}
	b2 := batch(sh, 2)
	b2.SHA256 = fmt.Sprintf("%064d", 22) // batch 3 names another prev
	if _, err := s.importOne(ctx, System, b2, false); !errors.As(err, &ce) || ce.Reason != "next" {
		t.Errorf("batch 2 not named by 3: %v, want a next fork", err)
	}
	dry, err := s.importOne(ctx, System, batch(sh, 1, note(sh, NewID(), 1, "một")), true)
	if err != nil || dry.Applied || dry.Counts.New != 1 {
		t.Errorf("dry run: %+v, %v", dry, err)
	}
	links, _ := s.ChainLinks(ctx, sh)
	if len(links) != 1 {
		t.Errorf("a dry run recorded a batch: %v", links)
	}
	if got := len(notes(t, s)); got != 1 {
		t.Errorf("%d notes after a dry run, want 1", got)
	}
}

// TestImportAnyOrder: every batch of a history imported in random order,
// twice, gives the state of importing them in order, with no duplicates.
func TestImportAnyOrder(t *testing.T) {
	ctx := context.Background()
	ids := []string{NewID(), NewID(), NewID(), NewID()}
	var history []IncomingBatch
	sh := ""
	build := func(sh string) []IncomingBatch {
		rng := rand.New(rand.NewSource(7))
		rev := map[string]int64{}
		var out []IncomingBatch
		for seq := int64(1); seq <= 8; seq++ {
			var recs []SyncRecord
			for _, id := range ids {
				if rng.Intn(2) == 0 {
					continue
				}
				rev[id]++
				r := note(sh, id, rev[id], fmt.Sprintf("tiêu đề %d", rev[id]))
				if rev[id] > 4 && rng.Intn(3) == 0 {
					r.DeletedAt, r.Fields = "2026-03-01T00:00:00.000000Z", nil
				}
				recs = append(recs, r)
			}
			out = append(out, batch(sh, seq, recs...))
		}
		return out
	}
	want := func() map[string]noteRow {
		s, _ := mustSetUp(t)
		mustNotes(t, s)
		sh = mustSender(t, s, "PC")
		history = build(sh)
		for _, b := range history {
			if _, err := s.importOne(ctx, System, b, false); err != nil {
				t.Fatal(err)
			}
		}
		return notes(t, s)
	}()
	for trial := 0; trial < 20; trial++ {
		s, _ := mustSetUp(t)
		mustNotes(t, s)
		if _, err := s.EnrollOffice(ctx, System, Enrollment{Office: domain.Office{ID: sh, Code: "PC", Name: "PC", Kind: domain.KindXa, Role: domain.RoleCommune},
			Keys: []OfficeKey{{KeyID: "00000000000000AA", PublicKey: "k"}}}); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(int64(trial)))
		order := append(rng.Perm(len(history)), rng.Perm(len(history))...)
		for _, i := range order {
			if _, err := s.importOne(ctx, System, history[i], false); err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
		}
		got := notes(t, s)
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d notes, want %d", trial, len(got), len(want))
		}
		for id, w := range want {
			g := got[id]
			if g.Title != w.Title || g.Rev != w.Rev || (g.Deleted == "") != (w.Deleted == "") {
				t.Errorf("trial %d: note %s = %+v, want %+v", trial, id[:8], g, w)
			}
		}
		links, _ := s.ChainLinks(ctx, sh)
		if len(links) != len(history) {
			t.Errorf("trial %d: %d batches recorded, want %d", trial, len(links), len(history))
		}
	}
}

func TestChainPosition(t *testing.T) {
	h := func(n int) string { return fmt.Sprintf("%064d", n) }
	known := []ChainLink{{1, h(1), ""}, {2, h(2), h(1)}, {4, h(4), h(3)}}
	tests := []struct {
		name string
		b    ChainLink
		want ChainState
		why  string
	}{
		{"next", ChainLink{5, h(5), h(4)}, ChainGap, ""},
		{"fills the gap", ChainLink{3, h(3), h(2)}, ChainNext, ""},
		{"replay", ChainLink{2, h(2), h(1)}, ChainReplay, ""},
		{"same seq other file", ChainLink{2, h(9), h(1)}, ChainFork, "same_seq"},
		{"wrong prev", ChainLink{3, h(3), h(9)}, ChainFork, "prev"},
		{"not named by next", ChainLink{3, h(8), h(2)}, ChainFork, "next"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ChainPosition(known, tt.b)
			if got.State != tt.want || got.Reason != tt.why {
				t.Errorf("ChainPosition = %+v, want %s %s", got, tt.want, tt.why)
			}
		})
	}
	if got := SeqRanges([]int64{8, 1, 2, 3, 5, 6}); got != "1–3, 5–6, 8" {
		t.Errorf("SeqRanges = %q", got)
	}
}

// importOne applies one verified batch through ImportBatches, the one
// entry point.
func (s *Store) importOne(ctx context.Context, actor Actor, in IncomingBatch, dryRun bool) (BatchResult, error) {
	res, errs, err := s.ImportBatches(ctx, actor, []IncomingBatch{in}, dryRun)
	if err != nil {
		return BatchResult{Seq: in.Seq, SHA256: in.SHA256}, err
	}
	return res[0], errs[0]
}
