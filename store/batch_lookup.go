package store

import (
	"context"
	"strings"
	"time"
)

// BatchMatch is a batch this data folder holds whose hash a printout's QR
// code names: one this office signed and sent, or one it received.
type BatchMatch struct {
	Sent       bool // this office signed it; false: it arrived from OfficeCode
	OfficeCode string
	OfficeName string
	Seq        int64
	FileName   string
	SHA256     string    // the signed zip's
	FileSHA256 string    // the file as sent; "" when not recorded
	At         time.Time // when it was written, or when it arrived
}

// BatchesByHash finds the batches whose signed zip, or whose file as
// sent, has the SHA-256 sha (hex, either case).
func (s *Store) BatchesByHash(ctx context.Context, sha string) ([]BatchMatch, error) {
	sha = strings.ToLower(strings.TrimSpace(sha))
	if len(sha) != 64 {
		return nil, nil
	}
	var out []BatchMatch
	rows, err := s.db.QueryContext(ctx, `SELECT o.code, o.name, b.seq, b.file_name, b.sha256, b.file_sha256, b.created_at
		FROM batches_sent AS b CROSS JOIN offices AS o ON o.is_self = 1
		WHERE b.sha256 = ? OR b.file_sha256 = ? ORDER BY b.seq`, sha, sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m := BatchMatch{Sent: true}
		var at string
		if err := rows.Scan(&m.OfficeCode, &m.OfficeName, &m.Seq, &m.FileName, &m.SHA256, &m.FileSHA256, &at); err != nil {
			return nil, err
		}
		m.At = parseTime(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT o.code, o.name, b.seq, b.file_name, b.sha256, b.arrived_at
		FROM batches_received AS b JOIN offices AS o ON o.id = b.office_id
		WHERE b.sha256 = ? ORDER BY o.code, b.seq`, sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m BatchMatch
		var at string
		if err := rows.Scan(&m.OfficeCode, &m.OfficeName, &m.Seq, &m.FileName, &m.SHA256, &at); err != nil {
			return nil, err
		}
		m.At = parseTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}
