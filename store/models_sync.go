package store

import (
	"context"
	"database/sql"

	"danvan/store/vn"
)

// Models travel in signed batches. The search keys are rebuilt on the
// receiving machine from the name and the other searched text.
func init() {
	registerSyncKind(SyncKind{Kind: "model", Member: "models.jsonl", Table: "models", Order: 10,
		Fields: []string{"kind", "name", "field", "year", "body", "body_other", "location",
			"person_name", "person_title", "person_phone", "reason", "goals", "content", "tasks", "target_group",
			"force_lead", "force_coordinate", "force_participate", "budget", "workdays", "contributions",
			"start_date", "eval_date", "outputs", "sustainability", "households", "people",
			"status", "rating", "recognition_level", "decision_no", "decision_date", "stop_reason", "stop_date", "note"},
		Derived: []string{"name_fold", "search_fold"},
		Derive: func(ctx context.Context, tx *sql.Tx, ids []string) error {
			sel, err := tx.PrepareContext(ctx, `SELECT `+modelCols+` FROM models WHERE id = ?`)
			if err != nil {
				return err
			}
			defer sel.Close()
			upd, err := tx.PrepareContext(ctx, `UPDATE models SET name_fold = ?, search_fold = ? WHERE id = ?`)
			if err != nil {
				return err
			}
			defer upd.Close()
			for _, id := range ids {
				m, err := scanModel(sel.QueryRowContext(ctx, id))
				if err != nil {
					return err
				}
				if _, err := upd.ExecContext(ctx, vn.Fold(m.Name), searchKey(&m), id); err != nil {
					return err
				}
			}
			return nil
		}})
}
