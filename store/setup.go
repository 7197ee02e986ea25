package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"

	"danvan/store/vn"
)

// SetupInput is what first-run set-up asks for.
type SetupInput struct {
	Office   domain.Office // Code, Name, Kind, Role; the ID is made here
	Settings domain.Settings
	Head     *NewUser     // the first head (lãnh đạo) account; the Safety work stores it
	Key      *KeyMaterial // the office's signing key, already encrypted by sync
}

// NewUser is an account to create, with its password in clear text; the
// store hashes it and never keeps the clear text.
type NewUser struct {
	Username string
	FullName string
	Password string
}

// KeyMaterial is a signing key as the store keeps it: the public key in
// minisign's text form and the secret key only as minisign's
// passphrase-encrypted file. The store never sees a clear secret key.
type KeyMaterial struct {
	KeyID           string // minisign key id, hex
	PublicKey       string // minisign public key file contents
	EncryptedSecret string // minisign encrypted secret key file contents
	// Recipient is the office's age X25519 public key ("age1…"), which
	// communes encrypt batches to; "" for a key made before encryption.
	Recipient string
	// EncryptedIdentity is the matching age identity, encrypted with the
	// same passphrase (an age file with one scrypt recipient, armored).
	EncryptedIdentity string
}

// setupSteps are run inside Setup's transaction after the office row exists,
// in order. Each file of the store that owns part of set-up (users, keys)
// appends its step in an init function, so set-up stays all or nothing.
var setupSteps []func(ctx context.Context, tx *sql.Tx, s *Store, in *SetupInput, self domain.Office) error

// cleanText is the normalisation every single-line field gets.
func cleanText(s string) string { return vn.Clean(s) }

// Validate lists every problem with in, office and settings together.
// It normalises the text first, as Setup does.
func (in *SetupInput) Validate() error {
	in.Office.Normalize()
	in.Settings.Normalize()
	v := &domain.ValidationError{}
	if in.Head != nil {
		head := *in.Head
		if err := head.Validate(); err != nil {
			v.Fields = append(v.Fields, err.(*domain.ValidationError).Fields...)
		}
	}
	if err := in.Office.Validate(); err != nil {
		v.Fields = append(v.Fields, err.(*domain.ValidationError).Fields...)
	}
	if err := in.Settings.Validate(); err != nil {
		v.Fields = append(v.Fields, err.(*domain.ValidationError).Fields...)
	}
	return v.OrNil()
}

// IsSetUp reports whether this folder's office has been set up.
func (s *Store) IsSetUp(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM offices WHERE is_self = 1`).Scan(&n)
	return n > 0, err
}

// Setup creates this installation's office and settings. It fails with
// ErrAlreadySetUp on a folder that has one, and changes nothing then.
func (s *Store) Setup(ctx context.Context, in SetupInput) (domain.Office, error) {
	in.Office.Normalize()
	in.Settings.Normalize()
	if err := in.Validate(); err != nil {
		return domain.Office{}, err
	}
	o := in.Office
	o.ID = NewID()
	o.Self = true
	o.CreatedAt = s.now()
	o.UpdatedAt = o.CreatedAt
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM offices WHERE is_self = 1`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		if err := insertOffice(ctx, tx, o); err != nil {
			return err
		}
		if err := writeSettings(ctx, tx, in.Settings); err != nil {
			return err
		}
		for _, step := range setupSteps {
			if err := step(ctx, tx, s, &in, o); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, System, ActionSetup, "office", o.ID, nil, o)
	})
	if err != nil {
		return domain.Office{}, err
	}
	return o, nil
}
