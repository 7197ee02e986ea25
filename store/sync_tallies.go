package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"

	"danvan/store/vn"
)

// Tallies travel in signed batches with the fields and periods they refer
// to (docs/batch-format.md §3.2). A tally's period and field are always in
// the same batch (Refs), so a batch applies alone whatever arrived before.
func init() {
	registerSyncKind(SyncKind{Kind: "tally_field", Data: domain.DataTallies, Member: "tally_fields.jsonl", Table: "tally_fields", Order: 20,
		Fields:  []string{"code", "name", "position", "disabled"},
		Derived: []string{"name_fold"},
		Derive: func(ctx context.Context, tx *sql.Tx, ids []string) error {
			for _, id := range ids {
				var name string
				if err := tx.QueryRowContext(ctx, `SELECT name FROM tally_fields WHERE id = ?`, id).Scan(&name); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE tally_fields SET name_fold = ? WHERE id = ?`, vn.Fold(name), id); err != nil {
					return err
				}
			}
			return nil
		}})
	registerSyncKind(SyncKind{Kind: "period", Data: domain.DataTallies, Member: "periods.jsonl", Table: "periods", Order: 21,
		Fields: []string{"kind", "code", "start_date", "end_date", "closed", "closed_at", "closed_by"}})
	registerSyncKind(SyncKind{Kind: "tally", Data: domain.DataTallies, Member: "tallies.jsonl", Table: "tallies", Order: 30,
		Fields: []string{"period_id", "field_id", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "final"},
		Refs:   map[string]string{"period_id": "period", "field_id": "tally_field"}})
}
