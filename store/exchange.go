package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// TLSPin is what a commune pins of a collecting office's server: the
// SHA-256 (hex) of its certificate, and of its public key (SPKI), which
// outlives a certificate re-issued under the same key. SPKI is "" for a
// pin enrolled from a file made before it was carried.
type TLSPin struct {
	Cert string
	SPKI string
}

// putTLSPin records the pins an enrollment file carried for an office,
// inside the enrollment's transaction.
func (s *Store) putTLSPin(ctx context.Context, tx *sql.Tx, officeID string, pin TLSPin) error {
	if pin.Cert == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO office_tls_pins(office_id, sha256, spki_sha256, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(office_id) DO UPDATE SET sha256 = excluded.sha256, spki_sha256 = excluded.spki_sha256, updated_at = excluded.updated_at`,
		officeID, pin.Cert, pin.SPKI, fmtTime(s.now()))
	return err
}

// PinOf is the pin of one collecting office's server: whom a commune may
// send that destination's batches to. Zero when its enrollment file
// carried none.
func (s *Store) PinOf(ctx context.Context, officeID string) (TLSPin, error) {
	var p TLSPin
	err := s.db.QueryRowContext(ctx, `SELECT sha256, spki_sha256 FROM office_tls_pins WHERE office_id = ?`, officeID).Scan(&p.Cert, &p.SPKI)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	return p, err
}

// The settings key of the last time a batch got through to the collecting
// office over the network. It is state, not a choice: Settings does not
// carry it and SaveSettings leaves it alone.
const lastSendKey = "exchange.last_sent_ok"

// RecordSendOK notes that the collecting office dest (its office id)
// answered a batch with a receipt at t; the dashboard shows it.
func (s *Store) RecordSendOK(ctx context.Context, dest string, t time.Time) error {
	key := lastSendKey
	if dest != "" {
		key += "." + dest
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return putSetting(ctx, tx, key, fmtTime(t)) })
}

// LastSendOK is when a batch last got through to dest (an office id);
// zero when never. Before destinations existed one time was kept for the
// one collecting office: the primary destination falls back on it.
func (s *Store) LastSendOK(ctx context.Context, dest string) (time.Time, error) {
	var v string
	key := lastSendKey
	if dest != "" {
		key += "." + dest
	}
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows && dest != "" {
		var primary int
		if s.db.QueryRowContext(ctx, `SELECT is_primary FROM destinations WHERE office_id = ?`, dest).Scan(&primary) == nil && primary == 1 {
			return s.LastSendOK(ctx, "")
		}
	}
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return parseTime(v), nil
}

// ReceiptNote is one receipt signed and written, for RecordReceipts.
type ReceiptNote struct {
	OfficeID, FileName, SHA256 string
}

// RecordReceipts is RecordReceipt for the receipts a server answers one
// group of uploads with, in one transaction: the same audit rows.
func (s *Store) RecordReceipts(ctx context.Context, actor Actor, notes []ReceiptNote) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	if len(notes) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, n := range notes {
			if err := s.audit(ctx, tx, actor, ActionReceipt, "office", n.OfficeID, nil, map[string]string{"file": n.FileName, "sha256": n.SHA256}); err != nil {
				return err
			}
		}
		return nil
	})
}
