package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
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

// CollectorPins are the pins of the collecting offices enrolled here: the
// servers a commune may send its batches to.
func (s *Store) CollectorPins(ctx context.Context) ([]TLSPin, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.sha256, p.spki_sha256 FROM office_tls_pins p JOIN offices o ON o.id = p.office_id
		WHERE o.is_self = 0 AND o.role = ? ORDER BY p.office_id`, domain.RoleCollector)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TLSPin
	for rows.Next() {
		var p TLSPin
		if err := rows.Scan(&p.Cert, &p.SPKI); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// The settings key of the last time a batch got through to the collecting
// office over the network. It is state, not a choice: Settings does not
// carry it and SaveSettings leaves it alone.
const lastSendKey = "exchange.last_sent_ok"

// RecordSendOK notes that the collecting office answered a batch with a
// receipt at t; the dashboard shows it.
func (s *Store) RecordSendOK(ctx context.Context, t time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return putSetting(ctx, tx, lastSendKey, fmtTime(t)) })
}

// LastSendOK is when a batch last got through; zero when never.
func (s *Store) LastSendOK(ctx context.Context) (time.Time, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, lastSendKey).Scan(&v)
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
