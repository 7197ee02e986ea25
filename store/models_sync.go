package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"encoding/json"

	"danvan/store/vn"
)

// Models travel in signed batches. The search keys are rebuilt on the
// receiving machine from the name and the other searched text.
func init() {
	registerSyncKind(SyncKind{Kind: "model", Data: domain.DataModels, Member: "models.jsonl", Table: "models", Order: 10,
		Fields:  modelSyncFields,
		Derived: []string{"name_fold", "search_fold"},
		Keys:    modelKeys,
		Index:   indexModels})
}

// modelSyncFields are a model record's fields: the declared ones
// (models_fields.go), in their order.
var modelSyncFields = domain.ModelColumnNames()

// modelFieldAt is each field's place in a model record.
var modelFieldAt = func() map[string]int {
	at := make(map[string]int, len(modelSyncFields))
	for i, f := range modelSyncFields {
		at[f] = i
	}
	return at
}()

// modelKeys computes an imported model's name_fold and search_fold from its
// fields as they will be stored, so the row is written whole and needs no
// second visit. A TEXT column stores an integer as its decimal text.
func modelKeys(fields []any) []any {
	if len(fields) != len(modelSyncFields) {
		return nil // the row's INSERT then fails on its count of values
	}
	text := func(name string) string { return fieldText(fields, modelFieldAt[name]) }
	m := domain.Model{Name: text("name"), PersonName: text("person_name"), Location: text("location"),
		Body: domain.Body(text("body")), BodyOther: text("body_other")}
	return []any{vn.Fold(m.Name), searchKey(&m)}
}

// indexModels brings both full-text indexes up to date for the models an
// import wrote, with one statement each: the import deferred them
// (migration 0011), so FTS5 writes one segment an import's transaction
// instead of one a model.
func indexModels(ctx context.Context, tx *sql.Tx, in Reindex) error {
	replaced, err := json.Marshal(in.Indexed)
	if err != nil {
		return err
	}
	written, err := json.Marshal(in.Written)
	if err != nil {
		return err
	}
	// The ids drive each statement (CROSS JOIN keeps them outside), so the
	// work follows the batch, not the table; and rows reach FTS5 in rowid
	// order, since it writes out what it holds whenever a rowid goes down.
	for _, index := range []string{"models_search", "models_words"} {
		if len(in.Indexed) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+index+` WHERE rowid IN
				(SELECT m.rowid FROM json_each(?) AS j CROSS JOIN models AS m ON m.id = j.value)`, string(replaced)); err != nil {
				return err
			}
		}
		if len(in.Written) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+index+`(rowid, search_fold)
				SELECT m.rowid, m.search_fold FROM json_each(?) AS j CROSS JOIN models AS m ON m.id = j.value
				WHERE m.deleted_at = '' ORDER BY m.rowid`, string(written)); err != nil {
				return err
			}
		}
	}
	return nil
}
