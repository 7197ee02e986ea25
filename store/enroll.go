package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
)

// Enrollment is another office and its keys, as read from its enrollment
// file after sync has checked the file's signature and the rotation chain.
// Keys run oldest first; the last one is current.
type Enrollment struct {
	Office domain.Office
	Keys   []OfficeKey
	TLSPin TLSPin // what a collecting office serves under; empty when none
	// Recipient is the age recipient a collecting office's batches are
	// encrypted to; "" when its file carried none (made before encryption).
	Recipient string
	// Kinds are the kinds of data (domain.DataKinds) this office sends a
	// collecting office it enrolls; nil keeps what an office enrolled
	// before receives, and gives a new one every kind. At a collecting
	// office, a collecting office enrolled with kinds is the office above
	// it, to which it forwards; without, one that reports to it.
	Kinds []string
}

// EnrollResult says what enrolling changed.
type EnrollResult struct {
	Office  domain.Office
	New     bool     // the office was not known before
	NewKeys []string // key ids added (a first enrollment, or rotations)
}

// ErrEnrollSelf is returned for this office's own enrollment file.
var ErrEnrollSelf = &codedError{msg: "store: this is this office's own enrollment file", code: "batch.enroll_self"}

// ErrKeyChain is returned when an enrollment's keys do not continue the
// keys already known for that office: neither the same key nor a rotation
// signed by a known one. Accepting it would let anyone take over an office.
var ErrKeyChain = &codedError{msg: "store: the enrollment's key is not signed by the key known for this office", code: "batch.key_chain"}

// EnrollOffice records another office and its keys, or updates an enrolled
// one's name and adds its rotated keys.
func (s *Store) EnrollOffice(ctx context.Context, actor Actor, e Enrollment) (EnrollResult, error) {
	var res EnrollResult
	if err := actor.require(PermEnroll); err != nil {
		return res, err
	}
	o := e.Office
	o.Normalize()
	if err := o.Validate(); err != nil {
		return res, err
	}
	if len(e.Keys) == 0 {
		return res, ErrKeyChain
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		if self.ID == o.ID {
			return ErrEnrollSelf
		}
		old, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, o.ID))
		now := s.now()
		switch {
		case errors.Is(err, ErrNotFound):
			var clash string
			if err := tx.QueryRowContext(ctx, `SELECT id FROM offices WHERE code = ?`, o.Code).Scan(&clash); err == nil {
				return &codedError{msg: "store: another office has code " + o.Code, code: "batch.code_taken", args: map[string]any{"Code": o.Code}}
			}
			o.Self, o.CreatedAt, o.UpdatedAt = false, now, now
			if err := insertOffice(ctx, tx, o); err != nil {
				return err
			}
			res.New = true
		case err != nil:
			return err
		default:
			o.Self, o.CreatedAt, o.UpdatedAt = false, old.CreatedAt, now
			if _, err := tx.ExecContext(ctx, `UPDATE offices SET code = ?, name = ?, kind = ?, role = ?, updated_at = ? WHERE id = ?`,
				o.Code, o.Name, o.Kind, o.Role, fmtTime(now), o.ID); err != nil {
				return err
			}
		}
		known := map[string]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT key_id FROM office_keys WHERE office_id = ?`, o.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			known[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// For an office already enrolled the chain must touch a key we
		// trust; every key after that point was signed by the one before it,
		// which sync checked. Keys before it are history we do not need.
		start := -1
		for i, k := range e.Keys {
			if known[k.KeyID] {
				start = i
			}
		}
		if !res.New && start < 0 {
			return ErrKeyChain
		}
		for i, k := range e.Keys {
			if i <= start {
				continue
			}
			k.OfficeID = o.ID
			k.CreatedAt = now
			if i < len(e.Keys)-1 {
				k.RetiredAt = now
			}
			if _, err := tx.ExecContext(ctx, `UPDATE office_keys SET retired_at = ? WHERE office_id = ? AND retired_at = ''`, fmtTime(now), o.ID); err != nil {
				return err
			}
			if err := insertKey(ctx, tx, k, ""); err != nil {
				return err
			}
			res.NewKeys = append(res.NewKeys, k.KeyID)
		}
		if err := s.putTLSPin(ctx, tx, o.ID, e.TLSPin); err != nil {
			return err
		}
		if err := s.putRecipient(ctx, tx, o.ID, e.Recipient); err != nil {
			return err
		}
		// A collecting office is where a commune reports. At a collecting
		// office it is the office above only when enrolled with the kinds
		// it receives; otherwise it is one that reports here (a province,
		// at the centre).
		if o.Role == domain.RoleCollector && (self.Role != domain.RoleCollector || e.Kinds != nil) {
			if err := s.putDestination(ctx, tx, o.ID, e.Kinds); err != nil {
				return err
			}
		}
		res.Office = o
		action := ActionUpdate
		if res.New {
			action = ActionInsert
		}
		return s.audit(ctx, tx, actor, action, "enrollment", o.ID, old, map[string]any{"office": o, "new_keys": res.NewKeys, "recipient": e.Recipient, "kinds": e.Kinds})
	})
	return res, err
}
