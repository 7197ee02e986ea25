package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"path/filepath"
)

// What leaves the office as a file a person carries, each recorded in the
// audit trail with who wrote it, where and how many records (README:
// every export is recorded). Batches and backups record themselves.
const (
	ExportModels     = "models"     // the models list, XLSX or CSV
	ExportTallies    = "tallies"    // Biểu 06 figures, XLSX or CSV
	ExportEnrollment = "enrollment" // the signed enrollment file
	ExportIdentity   = "identity"   // the decryption key, which opens every batch sent to this office
)

// exportPerm is who may write each export: an officer exports the lists
// it keeps; only the head handles what the office's keys sign or open.
var exportPerm = map[string]Permission{
	ExportModels:     PermEdit,
	ExportTallies:    PermEdit,
	ExportEnrollment: PermSign,
	ExportIdentity:   PermSign,
}

// MayExport says whether actor may write the export what; callers ask it
// before they write anything.
func (a Actor) MayExport(what string) error {
	p, ok := exportPerm[what]
	if !ok {
		p = PermSign // an export not listed needs the head
	}
	return a.require(p)
}

// RecordExport checks actor may write the export what and adds its row to
// the audit trail: the file's name and the count of records it holds.
func (s *Store) RecordExport(ctx context.Context, actor Actor, what, file string, count int) error {
	return s.recordExport(ctx, actor, what, file, map[string]any{"file": file, "count": count})
}

// RecordListExport is RecordExport for a list that carries personal data,
// recording how much of it (p) left with the file.
func (s *Store) RecordListExport(ctx context.Context, actor Actor, what, file string, count int, p domain.Personal) error {
	return s.recordExport(ctx, actor, what, file, map[string]any{"file": file, "count": count, "personal": p})
}

func (s *Store) recordExport(ctx context.Context, actor Actor, what, file string, detail map[string]any) error {
	if err := actor.MayExport(what); err != nil {
		return err
	}
	if s.readOnly {
		return nil // a write-protected folder keeps no record; the caller says so
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actor, ActionExport, what, filepath.Base(file), nil, detail)
	})
}
