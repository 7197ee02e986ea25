package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"encoding/json"
	"time"
)

// Draft is form input kept while a person types, so that a crash or a power
// cut does not lose it. Drafts belong to one user and are never audited or
// sent anywhere.
type Draft struct {
	Form      string
	Key       string // the record being edited, "" for a new one
	Body      string // the form's fields as JSON
	UpdatedAt time.Time
}

// MaxDraftBody bounds one draft; a form's fields are far smaller.
const MaxDraftBody = 1 << 20

func draftOwner(a Actor) string {
	if a.UserID != "" {
		return a.UserID
	}
	return "name:" + a.Name
}

// SaveDraft keeps body (JSON) as actor's draft of form for key, replacing
// the previous one. It needs the edit permission like the form itself.
func (s *Store) SaveDraft(ctx context.Context, actor Actor, form, key, body string) error {
	if err := actor.require(PermEdit); err != nil {
		return err
	}
	v := &domain.ValidationError{}
	if form == "" {
		v.Add("draft_form", "required", nil)
	}
	switch {
	case len(body) > MaxDraftBody:
		v.Add("draft_body", "too_long", map[string]any{"Max": MaxDraftBody})
	case !json.Valid([]byte(body)):
		v.Add("draft_body", "invalid_json", nil)
	}
	if err := v.OrNil(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO drafts(owner, form, key, body, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(owner, form, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			draftOwner(actor), form, key, body, fmtTime(s.now()))
		return err
	})
}

// Drafts returns actor's drafts of form ("" for every form), newest first.
func (s *Store) Drafts(ctx context.Context, actor Actor, form string) ([]Draft, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT form, key, body, updated_at FROM drafts
		WHERE owner = ? AND (? = '' OR form = ?) ORDER BY updated_at DESC, form, key`, draftOwner(actor), form, form)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var d Draft
		var at string
		if err := rows.Scan(&d.Form, &d.Key, &d.Body, &at); err != nil {
			return nil, err
		}
		d.UpdatedAt = parseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeleteDraft drops actor's draft of form for key, once the form is saved
// or the person chose to discard it. A missing draft is not an error.
func (s *Store) DeleteDraft(ctx context.Context, actor Actor, form, key string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE owner = ? AND form = ? AND key = ?`, draftOwner(actor), form, key)
		return err
	})
}
