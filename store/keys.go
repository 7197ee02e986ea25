package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"time"
)

// OfficeKey is one signing key of an office: current (RetiredAt zero) or
// replaced by a rotation.
type OfficeKey struct {
	KeyID       string
	OfficeID    string
	PublicKey   string // minisign base64
	PrevKeyID   string // the key that signed this one's rotation; "" for the first
	RotationSig string // minisign signature by PrevKeyID
	CreatedAt   time.Time
	RetiredAt   time.Time
}

// Current reports whether k is the office's key in use.
func (k OfficeKey) Current() bool { return k.RetiredAt.IsZero() }

func init() {
	setupSteps = append(setupSteps, func(ctx context.Context, tx *sql.Tx, s *Store, in *SetupInput, self domain.Office) error {
		if in.Key == nil {
			return nil
		}
		return insertSelfKey(ctx, tx, s, OfficeKey{KeyID: in.Key.KeyID, OfficeID: self.ID, PublicKey: in.Key.PublicKey, CreatedAt: s.now()}, *in.Key)
	})
}

func insertKey(ctx context.Context, tx *sql.Tx, k OfficeKey, secret string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO office_keys(key_id, office_id, public_key, encrypted_secret, prev_key_id, rotation_sig, created_at, retired_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.KeyID, k.OfficeID, k.PublicKey, secret, k.PrevKeyID, k.RotationSig, fmtTime(k.CreatedAt), fmtTime(k.RetiredAt))
	return err
}

// insertSelfKey stores one of this office's own keys with its secrets, and
// its encryption recipient when it has one.
func insertSelfKey(ctx context.Context, tx *sql.Tx, s *Store, k OfficeKey, km KeyMaterial) error {
	if err := insertKey(ctx, tx, k, km.EncryptedSecret); err != nil {
		return err
	}
	if km.Recipient == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE office_keys SET age_identity = ? WHERE key_id = ?`, km.EncryptedIdentity, k.KeyID); err != nil {
		return err
	}
	return s.putRecipient(ctx, tx, k.OfficeID, km.Recipient)
}

// putRecipient records an office's encryption recipient, replacing the
// one it had.
func (s *Store) putRecipient(ctx context.Context, tx *sql.Tx, officeID, recipient string) error {
	if recipient == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO office_recipients(office_id, recipient, updated_at) VALUES (?, ?, ?)
		ON CONFLICT(office_id) DO UPDATE SET recipient = excluded.recipient, updated_at = excluded.updated_at`,
		officeID, recipient, fmtTime(s.now()))
	return err
}

// ErrNoKey is returned when this office has no signing key yet.
var ErrNoKey = &codedError{msg: "store: this office has no signing key", code: "batch.no_key"}

type codedError struct {
	msg, code string
	args      map[string]any
}

func (e *codedError) Error() string                         { return e.msg }
func (e *codedError) MessageCode() (string, map[string]any) { return e.code, e.args }

// SelfKey returns this office's current key with its encrypted secret.
func (s *Store) SelfKey(ctx context.Context) (KeyMaterial, error) {
	var km KeyMaterial
	err := s.db.QueryRowContext(ctx, `SELECT k.key_id, k.public_key, k.encrypted_secret, k.age_identity, COALESCE(r.recipient, '')
		FROM office_keys k JOIN offices o ON o.id = k.office_id LEFT JOIN office_recipients r ON r.office_id = o.id
		WHERE o.is_self = 1 AND k.retired_at = ''`).Scan(&km.KeyID, &km.PublicKey, &km.EncryptedSecret, &km.EncryptedIdentity, &km.Recipient)
	if errors.Is(err, sql.ErrNoRows) {
		return km, ErrNoKey
	}
	return km, err
}

// CreateSelfKey stores the first key of an office that was set up without
// one (the window's set-up does not ask for a passphrase).
func (s *Store) CreateSelfKey(ctx context.Context, actor Actor, km KeyMaterial) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM office_keys WHERE office_id = ?`, self.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &codedError{msg: "store: the office already has a key", code: "batch.key_exists"}
		}
		if err := insertSelfKey(ctx, tx, s, OfficeKey{KeyID: km.KeyID, OfficeID: self.ID, PublicKey: km.PublicKey, CreatedAt: s.now()}, km); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionInsert, "key", km.KeyID, nil, map[string]string{"public_key": km.PublicKey, "recipient": km.Recipient})
	})
}

// RotateSelfKey replaces this office's key by km. sig is the new public key
// signed by the current key (sync.RotationMessage), which other offices
// check before they accept the new key.
func (s *Store) RotateSelfKey(ctx context.Context, actor Actor, km KeyMaterial, sig string) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT key_id FROM office_keys WHERE office_id = ? AND retired_at = ''`, self.ID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoKey
		} else if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE office_keys SET retired_at = ?, encrypted_secret = '', age_identity = '' WHERE key_id = ?`, fmtTime(now), old); err != nil {
			return err
		}
		k := OfficeKey{KeyID: km.KeyID, OfficeID: self.ID, PublicKey: km.PublicKey, PrevKeyID: old, RotationSig: sig, CreatedAt: now}
		if err := insertSelfKey(ctx, tx, s, k, km); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "key", km.KeyID, map[string]string{"key_id": old},
			map[string]string{"key_id": km.KeyID, "public_key": km.PublicKey, "recipient": km.Recipient})
	})
}

// OfficeKeys lists an office's keys, oldest first. ErrNotFound when the
// office is not known here.
func (s *Store) OfficeKeys(ctx context.Context, officeID string) ([]OfficeKey, error) {
	if _, err := s.Office(ctx, officeID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT key_id, office_id, public_key, prev_key_id, rotation_sig, created_at, retired_at
		FROM office_keys WHERE office_id = ? ORDER BY retired_at = '', rowid`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficeKey
	for rows.Next() {
		var k OfficeKey
		var c, r string
		if err := rows.Scan(&k.KeyID, &k.OfficeID, &k.PublicKey, &k.PrevKeyID, &k.RotationSig, &c, &r); err != nil {
			return nil, err
		}
		k.CreatedAt, k.RetiredAt = parseTime(c), parseTime(r)
		out = append(out, k)
	}
	return out, rows.Err()
}

// SetSelfIdentity gives this office's current key an encryption identity
// (recipient and encrypted identity from km) when it has none: a key made
// before batches were encrypted gets one the first time it is unlocked.
// km.KeyID must be the current key.
func (s *Store) SetSelfIdentity(ctx context.Context, actor Actor, km KeyMaterial) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	if km.Recipient == "" || km.EncryptedIdentity == "" {
		return &codedError{msg: "store: no encryption identity given", code: "batch.bad_key"}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		var have string
		err = tx.QueryRowContext(ctx, `SELECT age_identity FROM office_keys WHERE key_id = ? AND office_id = ? AND retired_at = ''`, km.KeyID, self.ID).Scan(&have)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoKey
		} else if err != nil {
			return err
		}
		if have != "" {
			return &codedError{msg: "store: the key already has an encryption identity", code: "batch.key_exists"}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE office_keys SET age_identity = ? WHERE key_id = ?`, km.EncryptedIdentity, km.KeyID); err != nil {
			return err
		}
		if err := s.putRecipient(ctx, tx, self.ID, km.Recipient); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "key", km.KeyID, nil, map[string]string{"recipient": km.Recipient})
	})
}

// Recipient is the encryption recipient known for an office ("" when it
// has none: it was enrolled from a file made before encryption).
func (s *Store) Recipient(ctx context.Context, officeID string) (string, error) {
	var r string
	err := s.db.QueryRowContext(ctx, `SELECT recipient FROM office_recipients WHERE office_id = ?`, officeID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return r, err
}

// rowQuerier is a *sql.DB or a *sql.Tx.
type rowQuerier interface {
	querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
