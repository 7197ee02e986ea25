package store

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// mustCollector enrolls a collecting office at s with the kinds given
// (nil: as Enroll without --kinds) and returns its id.
func mustCollector(tb testing.TB, s *Store, code string, kinds []string) string {
	tb.Helper()
	id := NewID()
	_, err := s.EnrollOffice(context.Background(), System, Enrollment{
		Office: domain.Office{ID: id, Code: code, Name: "Cơ quan " + code, Kind: domain.KindTinh, Role: domain.RoleCollector},
		Keys:   []OfficeKey{{KeyID: fmt.Sprintf("%016X", rand.Uint64()), PublicKey: "k"}},
		Kinds:  kinds,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// sendLegacy records batches 1..n in the chain dest, as an export does.
func sendLegacy(tb testing.TB, s *Store, dest string, n int) {
	tb.Helper()
	for seq := int64(1); seq <= int64(n); seq++ {
		prev := ""
		if seq > 1 {
			prev = fmt.Sprintf("%064d", seq-1)
		}
		if err := s.RecordBatchSent(context.Background(), System, SentBatch{Dest: dest, Seq: seq, FileName: fmt.Sprintf("SH-%06d-20260105.zip", seq),
			SHA256: fmt.Sprintf("%064d", seq), PrevSHA256: prev, KeyID: "K", CreatedAt: time.Unix(0, 0), MaxChange: seq}); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestFirstDestinationTakesOverTheChain: batches written before any
// collecting office was enrolled (in clear) are the chain the first one
// enrolled receives; the next batch follows them. A second office starts
// its own chain at 1.
func TestFirstDestinationTakesOverTheChain(t *testing.T) {
	ctx := context.Background()
	s, _ := mustSetUp(t)
	if err := s.CreateSelfKey(ctx, System, KeyMaterial{KeyID: "00000000000000AA", PublicKey: "k", EncryptedSecret: "s"}); err != nil {
		t.Fatal(err)
	}
	sendLegacy(t, s, "", 2)
	if p, err := s.PrepareExport(ctx, System, "", false); err != nil || p.Seq != 3 || p.Dest.Office.ID != "" {
		t.Fatalf("before enrolling: seq %d to %q, %v", p.Seq, p.Dest.Office.ID, err)
	}
	btg := mustCollector(t, s, "BTG", nil)
	vp := mustCollector(t, s, "VP", []string{domain.DataTallies})
	dests, err := s.Destinations(ctx)
	if err != nil || len(dests) != 2 {
		t.Fatalf("destinations %+v, %v", dests, err)
	}
	if d := dests[0]; d.Office.ID != btg || !d.Primary || !slices.Equal(d.Kinds, domain.DataKinds) || d.Folder() != "" {
		t.Errorf("primary %+v", d)
	}
	if d := dests[1]; d.Office.ID != vp || d.Primary || !slices.Equal(d.Kinds, []string{domain.DataTallies}) || d.Folder() != "VP" {
		t.Errorf("second %+v", d)
	}
	if p, _ := s.PrepareExport(ctx, System, "BTG", false); p.Seq != 3 || p.PrevSHA256 != fmt.Sprintf("%064d", 2) || p.Addressed() {
		t.Errorf("BTG's next batch: seq %d after %s, addressed %v", p.Seq, p.PrevSHA256, p.Addressed())
	}
	p, _ := s.PrepareExport(ctx, System, vp, false)
	if p.Seq != 1 || p.PrevSHA256 != "" || !p.Addressed() {
		t.Errorf("VP's first batch: seq %d after %q", p.Seq, p.PrevSHA256)
	}
	for _, r := range p.Records {
		if r.Kind == "model" {
			t.Fatalf("VP, which collects tallies, would receive model %s", r.ID)
		}
	}
	if len(p.Records) == 0 {
		t.Error("VP's first batch holds no tally fields")
	}
	// Re-enrolling without kinds keeps what an office receives.
	mustReenroll(t, s, vp, "VP")
	if d, _ := s.Destination(ctx, "vp"); !slices.Equal(d.Kinds, []string{domain.DataTallies}) {
		t.Errorf("after re-enrolling VP receives %v", d.Kinds)
	}
	if _, err := s.Destination(ctx, "XX"); err == nil {
		t.Error("an unknown destination was found")
	}
}

func mustReenroll(tb testing.TB, s *Store, id, code string) {
	tb.Helper()
	var key string
	if err := s.db.QueryRow(`SELECT key_id FROM office_keys WHERE office_id = ?`, id).Scan(&key); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.EnrollOffice(context.Background(), System, Enrollment{
		Office: domain.Office{ID: id, Code: code, Name: "Cơ quan " + code, Kind: domain.KindTinh, Role: domain.RoleCollector},
		Keys:   []OfficeKey{{KeyID: key, PublicKey: "k"}},
	}); err != nil {
		tb.Fatal(err)
	}
}

// TestMigrationGivesEachCollectorItsChain: an install from before
// destinations, which sent one chain to two collecting offices, keeps
// sending each the chain it holds; the first enrolled is the primary, and
// the address typed in the settings stays its own.
func TestMigrationGivesEachCollectorItsChain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận"
	set.CollectorURL = "https://10.0.0.5:8470"
	if _, err := s.Setup(ctx, SetupInput{Office: domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune}, Settings: set}); err != nil {
		t.Fatal(err)
	}
	a := mustCollector(t, s, "HTL", nil)
	s.Now = func() time.Time { return time.Now().Add(time.Hour) }
	b := mustCollector(t, s, "MTTQ", nil)
	// Back to the schema before migration 18, with three batches sent.
	for _, q := range []string{
		`DROP TABLE batches_sent`, `DROP TABLE destinations`, `DELETE FROM schema_migrations WHERE version IN (18, 20)`,
		`CREATE TABLE batches_sent (seq INTEGER PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, prev_sha256 TEXT NOT NULL,
			key_id TEXT NOT NULL, created_at TEXT NOT NULL, is_full INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL, max_change INTEGER NOT NULL,
			acknowledged_at TEXT NOT NULL DEFAULT '', ack_result TEXT NOT NULL DEFAULT '', file_sha256 TEXT NOT NULL DEFAULT '')`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for seq := 1; seq <= 3; seq++ {
		prev := ""
		if seq > 1 {
			prev = fmt.Sprintf("%064d", seq-1)
		}
		if _, err := s.db.Exec(`INSERT INTO batches_sent(seq, file_name, sha256, prev_sha256, key_id, created_at, records, max_change, acknowledged_at)
			VALUES (?, ?, ?, ?, 'K', '2026-01-05T00:00:00Z', 1, ?, ?)`, seq, fmt.Sprintf("SH-%06d-20260105.zip.age", seq), fmt.Sprintf("%064d", seq), prev, seq,
			map[bool]string{true: "2026-01-06T00:00:00Z"}[seq == 1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSelfKey(ctx, System, KeyMaterial{KeyID: "00000000000000AA", PublicKey: "k", EncryptedSecret: "s"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dests, err := s.Destinations(ctx)
	if err != nil || len(dests) != 2 || dests[0].Office.ID != a || !dests[0].Primary || dests[1].Office.ID != b {
		t.Fatalf("destinations after the migration %+v, %v", dests, err)
	}
	if dests[0].URL != set.CollectorURL || dests[1].URL != "" {
		t.Errorf("addresses %q, %q", dests[0].URL, dests[1].URL)
	}
	for _, d := range dests {
		if !slices.Equal(d.Kinds, domain.DataKinds) {
			t.Errorf("%s receives %v", d.Office.Code, d.Kinds)
		}
		// The acknowledgement stays the primary's; the other office is
		// asked again (what it holds is answered as a replay).
		got, err := s.SentBatchesTo(ctx, d.Office.ID)
		if err != nil || len(got) != 3 || got[0].AcknowledgedAt.IsZero() != !d.Primary || !got[1].AcknowledgedAt.IsZero() {
			t.Errorf("%s's chain: %+v, %v", d.Office.Code, got, err)
		}
		if p, _ := s.PrepareExport(ctx, System, d.Office.ID, false); p.Seq != 4 || p.PrevSHA256 != fmt.Sprintf("%064d", 3) {
			t.Errorf("%s's next batch %d after %s", d.Office.Code, p.Seq, p.PrevSHA256)
		}
	}
	// A receipt from one office marks its own chain only.
	res, err := s.AcknowledgeBatches(ctx, System, b, []Ack{{Seq: 2, SHA256: fmt.Sprintf("%064d", 2), ArrivedAt: time.Now(), Result: "imported"}})
	if err != nil || !slices.Equal(res.Acknowledged, []int64{2}) {
		t.Fatalf("ack: %+v, %v", res, err)
	}
	if got, _ := s.SentBatchesTo(ctx, a); !got[1].AcknowledgedAt.IsZero() {
		t.Error("MTTQ's receipt marked HTL's batch 2")
	}
}

// TestSetDestination: the kinds and the address are checked; the
// primary's address is the setting the settings page edits.
func TestSetDestination(t *testing.T) {
	ctx := context.Background()
	s, _ := mustSetUp(t)
	a := mustCollector(t, s, "BTG", nil)
	b := mustCollector(t, s, "VP", nil)
	if err := s.SetDestination(ctx, System, b, nil, ""); err == nil {
		t.Error("a destination that receives nothing was saved")
	}
	if err := s.SetDestination(ctx, System, b, []string{domain.DataTallies}, "10.0.0.9"); err == nil {
		t.Error("an address without https:// was saved")
	}
	if err := s.SetDestination(ctx, System, a, []string{domain.DataModels}, "https://10.0.0.7:8470"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDestination(ctx, System, b, []string{domain.DataTallies}, "https://10.0.0.9:8470"); err != nil {
		t.Fatal(err)
	}
	if set, _ := s.Settings(ctx); set.CollectorURL != "https://10.0.0.7:8470" {
		t.Errorf("the primary's address is not the setting: %q", set.CollectorURL)
	}
	d, _ := s.Destination(ctx, b)
	if d.URL != "https://10.0.0.9:8470" || !slices.Equal(d.Kinds, []string{domain.DataTallies}) {
		t.Errorf("VP %+v", d)
	}
	// Tallies newly given to the primary: its next batch carries them whole,
	// however long ago they changed; the one after, only what changed.
	if err := s.CreateSelfKey(ctx, System, KeyMaterial{KeyID: "00000000000000AA", PublicKey: "k", EncryptedSecret: "s"}); err != nil {
		t.Fatal(err)
	}
	sendLegacy(t, s, a, 1)
	if err := s.SetDestination(ctx, System, a, domain.DataKinds, "https://10.0.0.7:8470"); err != nil {
		t.Fatal(err)
	}
	p, _ := s.PrepareExport(ctx, System, a, false)
	fields := 0
	for _, r := range p.Records {
		if r.Kind == "tally_field" {
			fields++
		}
	}
	if fields == 0 {
		t.Error("tallies newly given to BTG do not go whole in its next batch")
	}
	if un, _ := s.UnsentFor(ctx); un[a] != len(p.Records) {
		t.Errorf("BTG's unsent count %d, but its next batch holds %d records", un[a], len(p.Records))
	}
	if err := s.RecordBatchSent(ctx, System, SentBatch{Dest: a, Seq: p.Seq, PrevSHA256: p.PrevSHA256, FileName: "x", SHA256: fmt.Sprintf("%064d", 9),
		KeyID: "K", CreatedAt: time.Unix(0, 0), MaxChange: p.MaxChange}); err != nil {
		t.Fatal(err)
	}
	if p, _ = s.PrepareExport(ctx, System, a, false); len(p.Records) != 0 {
		t.Errorf("after that batch, %d records again", len(p.Records))
	}
	viewer := Actor{Name: "canbo", Role: RoleOfficer}
	if err := s.SetDestination(ctx, viewer, b, domain.DataKinds, ""); err == nil {
		t.Error("an officer changed a destination")
	}
}
