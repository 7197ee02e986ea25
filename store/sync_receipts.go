package store

import (
	"context"
	"database/sql"
	"time"
)

// Ack is one line of a receipt: a batch the collecting office says it
// received, with the hash it received.
type Ack struct {
	Seq       int64
	SHA256    string
	ArrivedAt time.Time
	Result    string // "imported" or "rejected"
}

// AckResult says what a receipt acknowledged here.
type AckResult struct {
	Acknowledged []int64 // newly marked
	Already      []int64 // marked before
	Mismatched   []int64 // the collecting office holds a different file under this seq
	Unknown      []int64 // seqs this office never wrote
}

// AcknowledgeBatches marks the batches a verified receipt from fromOffice
// lists as arrived, in the chain of batches sent to that office.
// A seq whose hash differs from the file written here is not marked: the
// collecting office received something else under that number.
func (s *Store) AcknowledgeBatches(ctx context.Context, actor Actor, fromOffice string, acks []Ack) (AckResult, error) {
	var res AckResult
	if err := actor.require(PermEnroll); err != nil {
		return res, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range acks {
			var sha, at string
			err := tx.QueryRowContext(ctx, `SELECT sha256, acknowledged_at FROM batches_sent WHERE dest_id = ? AND seq = ?`, fromOffice, a.Seq).Scan(&sha, &at)
			switch {
			case err == sql.ErrNoRows:
				res.Unknown = append(res.Unknown, a.Seq)
				continue
			case err != nil:
				return err
			case sha != a.SHA256:
				res.Mismatched = append(res.Mismatched, a.Seq)
				continue
			case at != "":
				res.Already = append(res.Already, a.Seq)
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE batches_sent SET acknowledged_at = ?, ack_result = ? WHERE dest_id = ? AND seq = ?`,
				fmtTime(a.ArrivedAt), a.Result, fromOffice, a.Seq); err != nil {
				return err
			}
			res.Acknowledged = append(res.Acknowledged, a.Seq)
		}
		return s.audit(ctx, tx, actor, ActionReceipt, "office", fromOffice, nil, res)
	})
	return res, err
}

// QuarantinedBatch is a batch from an office not enrolled here.
type QuarantinedBatch struct {
	ID         int64
	FileName   string // inside the data folder's quarantine/
	SHA256     string
	OfficeID   string
	OfficeCode string
	OfficeName string
	Seq        int64
	Reason     string
	ArrivedAt  time.Time
	Released   bool // imported since its office was enrolled
}

// Quarantine records a batch set aside. The same file twice is one entry.
func (s *Store) Quarantine(ctx context.Context, actor Actor, q QuarantinedBatch) error {
	if err := actor.require(PermEnroll); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO quarantine(file_name, sha256, office_id, office_code, office_name, seq, reason, arrived_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`,
			q.FileName, q.SHA256, q.OfficeID, q.OfficeCode, q.OfficeName, q.Seq, q.Reason, fmtTime(s.now()))
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, ActionImport, "quarantine", q.SHA256, nil, q)
	})
}

// QuarantinedBatches lists what is waiting in quarantine.
func (s *Store) QuarantinedBatches(ctx context.Context) ([]QuarantinedBatch, error) {
	return s.quarantined(ctx, false)
}

// QuarantineLog lists every batch ever set aside for its office, those
// released since included.
func (s *Store) QuarantineLog(ctx context.Context) ([]QuarantinedBatch, error) {
	return s.quarantined(ctx, true)
}

func (s *Store) quarantined(ctx context.Context, released bool) ([]QuarantinedBatch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, file_name, sha256, office_id, office_code, office_name, seq, reason, arrived_at, released_at <> ''
		FROM quarantine WHERE ? OR released_at = '' ORDER BY id`, released)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QuarantinedBatch
	for rows.Next() {
		var q QuarantinedBatch
		var at string
		if err := rows.Scan(&q.ID, &q.FileName, &q.SHA256, &q.OfficeID, &q.OfficeCode, &q.OfficeName, &q.Seq, &q.Reason, &at, &q.Released); err != nil {
			return nil, err
		}
		q.ArrivedAt = parseTime(at)
		out = append(out, q)
	}
	return out, rows.Err()
}

// ReleaseQuarantined marks quarantined batches of an office as dealt with,
// after they were imported once the office was enrolled.
func (s *Store) ReleaseQuarantined(ctx context.Context, actor Actor, sha256 string) error {
	if err := actor.require(PermEnroll); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.releaseQuarantined(ctx, tx, sha256) })
}

func (s *Store) releaseQuarantined(ctx context.Context, tx *sql.Tx, sha256 string) error {
	_, err := tx.ExecContext(ctx, `UPDATE quarantine SET released_at = ? WHERE sha256 = ?`, fmtTime(s.now()), sha256)
	return err
}

// RecordReceipt notes in the audit trail that a receipt for an office was
// signed and written; only those who may sign may write one.
func (s *Store) RecordReceipt(ctx context.Context, actor Actor, officeID, fileName, sha256 string) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actor, ActionReceipt, "office", officeID, nil, map[string]string{"file": fileName, "sha256": sha256})
	})
}
