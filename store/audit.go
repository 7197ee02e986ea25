package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// Audit actions. Every mutating store call records one of these.
const (
	ActionInsert      = "insert"
	ActionUpdate      = "update"
	ActionDelete      = "delete"
	ActionClose       = "close"
	ActionReopen      = "reopen"
	ActionExport      = "export"
	ActionImport      = "import"
	ActionReceipt     = "receipt"
	ActionLogin       = "login"
	ActionLoginFailed = "login_failed"
	ActionBackup      = "backup"
	ActionRestore     = "restore"
	ActionSetup       = "setup"
)

// audit appends one row to the audit trail inside tx. old and new are
// encoded as JSON; nil gives an empty column.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor Actor, action, entity, entityID string, old, new any) error {
	enc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	o, err := enc(old)
	if err != nil {
		return err
	}
	n, err := enc(new)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit(at, user_id, user_name, action, entity, entity_id, old_json, new_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, fmtTime(s.now()), actor.UserID, actor.Name, action, entity, entityID, o, n)
	return err
}

// nextChange returns the next number of the "change" counter. Each record
// this office owns carries the number of its last change, so a batch can
// select what changed since the previous batch.
func nextChange(ctx context.Context, tx *sql.Tx) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'change' RETURNING value`).Scan(&v)
	return v, err
}
