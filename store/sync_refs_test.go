package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"testing"
)

// A commune signs its own records only. A batch whose tally points at
// another unit's period or field (a real attack: a commune adding dossiers
// to a neighbour's closed month) is refused whole, naming the record, and
// nothing of it is stored.
func TestImportRefusesReferencesToAnotherOffice(t *testing.T) {
	s, _ := mustSetUpCollector(t)
	ctx := context.Background()
	a, b := mustSender(t, s, "SH"), mustSender(t, s, "PV")
	const ts = "2026-10-20T00:00:00.000000Z"
	rec := func(kind, id, owner string, fields ...any) SyncRecord {
		return SyncRecord{Kind: kind, ID: id, Owner: owner, Revision: 1, CreatedAt: ts, UpdatedAt: ts, UpdatedBy: "canbo", Fields: fields}
	}
	field := func(id, owner string) SyncRecord {
		return rec("tally_field", id, owner, "ho_tich", "Hộ tịch", int64(1), int64(0))
	}
	period := func(id, owner string) SyncRecord {
		return rec("period", id, owner, "month", "2026-M10", "2026-09-15", "2026-10-14", int64(1), ts, "chutich")
	}
	tally := func(id, owner, periodID, fieldID string) SyncRecord {
		return rec("tally", id, owner, periodID, fieldID, int64(17), int64(10), int64(7), int64(0), int64(17), int64(9), int64(8), int64(0), int64(0), int64(0), int64(0), int64(1))
	}
	fA, pA, fB, pB := NewID(), NewID(), NewID(), NewID()
	// PV's closed October.
	if _, errs, err := s.ImportBatches(ctx, System, []IncomingBatch{batch(b, 1, field(fB, b), period(pB, b), tally(NewID(), b, pB, fB))}, false); err != nil || errs[0] != nil {
		t.Fatalf("PV's own batch: %v %v", err, errs[0])
	}
	received := func() int64 {
		r, err := s.RollupTallies(ctx, domain.MonthPeriod(2026, 10, 15))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := r.Total.Get(domain.ColReceived)
		return v
	}
	before := received()
	for _, tt := range []struct {
		name, refKind string
		recs          []SyncRecord
	}{
		{"a tally in another unit's period", "period", []SyncRecord{field(fA, a), period(pA, a), tally(NewID(), a, pB, fA)}},
		{"a tally in another unit's field", "tally_field", []SyncRecord{field(fA, a), period(pA, a), tally(NewID(), a, pA, fB)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, err := s.ImportBatches(ctx, System, []IncomingBatch{batch(a, 1, tt.recs...)}, false)
			if err != nil {
				t.Fatal(err)
			}
			var fe *ForeignRefError
			if !errors.As(errs[0], &fe) || fe.RefKind != tt.refKind {
				t.Fatalf("import: %v, want a foreign %s reference", errs[0], tt.refKind)
			}
			if code, args := fe.MessageCode(); code != "sync.foreign_ref."+tt.refKind || args["ID"] == "" {
				t.Errorf("message %s %v", code, args)
			}
			if got := received(); got != before {
				t.Errorf("PV's received total went from %d to %d", before, got)
			}
			var n int
			if err := s.db.QueryRow(`SELECT (SELECT count(*) FROM periods WHERE owner_office_id = ?) + (SELECT count(*) FROM tally_fields WHERE owner_office_id = ?)`, a, a).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d records of the refused batch were stored", n)
			}
			if got, _ := s.ReceivedBatches(ctx, a); len(got) != 0 {
				t.Errorf("the refused batch is recorded as received: %+v", got)
			}
		})
	}
	// SH's own figures, in its own period and field, import.
	if _, errs, err := s.ImportBatches(ctx, System, []IncomingBatch{batch(a, 1, field(fA, a), period(pA, a), tally(NewID(), a, pA, fA))}, false); err != nil || errs[0] != nil {
		t.Fatalf("SH's own batch: %v %v", err, errs[0])
	}
	if got := received(); got != before+17 {
		t.Errorf("received %d after SH's own batch, want %d", got, before+17)
	}
}
