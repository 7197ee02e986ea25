package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"

	"github.com/google/uuid"
)

// NewID returns a new random UUID (version 4) as text.
func NewID() string { return uuid.NewString() }

const officeCols = `id, code, name, kind, role, COALESCE(parent_id, ''), is_self, created_at, updated_at`

func scanOffice(row interface{ Scan(...any) error }) (domain.Office, error) {
	var o domain.Office
	var created, updated string
	var self int
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.Role, &o.ParentID, &self, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	}
	o.Self = self == 1
	o.CreatedAt, o.UpdatedAt = parseTime(created), parseTime(updated)
	return o, err
}

// SelfOffice returns this installation's own office, or ErrNotSetUp.
func (s *Store) SelfOffice(ctx context.Context) (domain.Office, error) {
	o, err := scanOffice(s.db.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 1`))
	if errors.Is(err, ErrNotFound) {
		return o, ErrNotSetUp
	}
	return o, err
}

func selfOfficeTx(ctx context.Context, tx *sql.Tx) (domain.Office, error) {
	o, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 1`))
	if errors.Is(err, ErrNotFound) {
		return o, ErrNotSetUp
	}
	return o, err
}

// Office returns the office with the given id.
func (s *Store) Office(ctx context.Context, id string) (domain.Office, error) {
	return scanOffice(s.db.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, id))
}

// Offices lists every office known here, this one first, then by code.
func (s *Store) Offices(ctx context.Context) ([]domain.Office, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+officeCols+` FROM offices ORDER BY is_self DESC, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Office
	for rows.Next() {
		o, err := scanOffice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func insertOffice(ctx context.Context, tx *sql.Tx, o domain.Office) error {
	var parent any
	if o.ParentID != "" {
		parent = o.ParentID
	}
	self := 0
	if o.Self {
		self = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO offices(id, code, name, kind, role, parent_id, is_self, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Code, o.Name, o.Kind, o.Role, parent, self, fmtTime(o.CreatedAt), fmtTime(o.UpdatedAt))
	return err
}
