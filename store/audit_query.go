package store

import (
	"context"
	"strings"
	"time"
)

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   string
	UserName string
	Action   string // one of the Action… constants
	Entity   string // "model", "tally", "user", "office", "settings", …
	EntityID string
	Old      string // JSON, "" when none
	New      string // JSON, "" when none
}

// AuditFilter narrows the audit list. Empty fields match everything; From
// and To bound the time (To is exclusive), zero means open.
type AuditFilter struct {
	UserName string
	Action   string
	Entity   string
	EntityID string
	From, To time.Time
	Limit    int // 0 means DefaultAuditLimit
	Offset   int
}

// DefaultAuditLimit bounds one page of the audit list.
const DefaultAuditLimit = 500

const auditCols = `id, at, user_id, user_name, action, entity, entity_id, old_json, new_json`

// AuditLog returns the entries that match f, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.UserName != "" {
		add("user_name = ?", f.UserName)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		add("at >= ?", fmtTime(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", fmtTime(f.To))
	}
	q := `SELECT ` + auditCols + ` FROM audit`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultAuditLimit
	}
	q += ` ORDER BY id DESC LIMIT ? OFFSET ?`
	args = append(args, limit, max(f.Offset, 0))
	return s.queryAudit(ctx, q, args...)
}

// History returns every entry about one record, oldest first, so that a
// reader can follow its changes in order.
func (s *Store) History(ctx context.Context, entity, id string) ([]AuditEntry, error) {
	return s.queryAudit(ctx, `SELECT `+auditCols+` FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id`, entity, id)
}

// AuditNames lists the distinct user names, actions and entities in the
// trail, for the audit list's filter choices.
func (s *Store) AuditNames(ctx context.Context) (users, actions, entities []string, err error) {
	for _, c := range []struct {
		col string
		out *[]string
	}{{"user_name", &users}, {"action", &actions}, {"entity", &entities}} {
		rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT `+c.col+` FROM audit WHERE `+c.col+` <> '' ORDER BY 1`)
		if err != nil {
			return nil, nil, nil, err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, nil, nil, err
			}
			*c.out = append(*c.out, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, nil, err
		}
	}
	return users, actions, entities, nil
}

func (s *Store) queryAudit(ctx context.Context, q string, args ...any) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Action, &e.Entity, &e.EntityID, &e.Old, &e.New); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
