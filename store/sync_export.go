package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ExportPlan is what the next batch holds: its place in this office's
// chain and the records changed since the last batch (or all, when full).
type ExportPlan struct {
	Office     domain.Office
	Key        KeyMaterial
	Seq        int64
	PrevSHA256 string
	Full       bool
	MaxChange  int64 // the change counter the batch covers up to
	Records    []SyncRecord
	// Recipients are the encryption recipients of the collecting offices
	// enrolled here, which the batch is encrypted to; none means the batch
	// goes in clear (docs/batch-format.md §8, change-over).
	Recipients []string
}

// SentBatch is a batch this office wrote.
type SentBatch struct {
	Seq            int64
	FileName       string
	SHA256         string // of the signed zip: the chain's hash
	FileSHA256     string // of the file as sent (encrypted or not); "" before migration 16
	PrevSHA256     string
	KeyID          string
	CreatedAt      time.Time
	Full           bool
	Records        int
	MaxChange      int64
	AcknowledgedAt time.Time // zero until a receipt says it arrived
	AckResult      string
}

// PrepareExport reads, in one snapshot, what the next batch must hold. It
// changes nothing: the batch counts as sent only when RecordBatchSent
// stores it, after the file is safely on disk.
func (s *Store) PrepareExport(ctx context.Context, actor Actor, full bool) (ExportPlan, error) {
	var p ExportPlan
	if err := actor.require(PermSign); err != nil {
		return p, err
	}
	p.Full = full
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p.Office, err = selfOfficeTx(ctx, tx); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT key_id, public_key, encrypted_secret FROM office_keys WHERE office_id = ? AND retired_at = ''`, p.Office.ID).
			Scan(&p.Key.KeyID, &p.Key.PublicKey, &p.Key.EncryptedSecret)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoKey
		} else if err != nil {
			return err
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0), COALESCE(MAX(max_change), 0) FROM batches_sent`).Scan(&p.Seq, &last); err != nil {
			return err
		}
		if p.Seq > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT sha256 FROM batches_sent WHERE seq = ?`, p.Seq).Scan(&p.PrevSHA256); err != nil {
				return err
			}
		}
		p.Seq++
		if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'change'`).Scan(&p.MaxChange); err != nil {
			return err
		}
		since := last
		if full {
			since = -1
		}
		for _, k := range SyncKinds() {
			recs, err := ownedChanged(ctx, tx, k, p.Office.ID, since, p.MaxChange)
			if err != nil {
				return fmt.Errorf("store: export %s: %w", k.Kind, err)
			}
			p.Records = append(p.Records, recs...)
		}
		refs, err := referenced(ctx, tx, p.Office.ID, p.Records)
		if err != nil {
			return err
		}
		p.Records = append(refs, p.Records...)
		cols, err := collectorRecipients(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range cols {
			if c.Recipient != "" {
				p.Recipients = append(p.Recipients, c.Recipient)
			}
		}
		return nil
	})
	return p, err
}

// referenced returns the records that recs refer to (SyncKind.Refs) and do
// not hold themselves, as they are now, owned by owner. Live records only
// refer to live ones, so a batch never needs a record it does not carry.
func referenced(ctx context.Context, tx *sql.Tx, owner string, recs []SyncRecord) ([]SyncRecord, error) {
	have := map[string]bool{}
	for _, r := range recs {
		have[r.Kind+"/"+r.ID] = true
	}
	want := map[string][]string{} // kind -> ids
	for _, r := range recs {
		k := syncKinds[r.Kind]
		if r.DeletedAt != "" || len(k.Refs) == 0 {
			continue
		}
		for i, f := range k.Fields {
			kind, ok := k.Refs[f]
			id, _ := r.Fields[i].(string)
			if !ok || id == "" || have[kind+"/"+id] {
				continue
			}
			have[kind+"/"+id] = true
			want[kind] = append(want[kind], id)
		}
	}
	var out []SyncRecord
	for _, k := range SyncKinds() {
		for _, id := range want[k.Kind] {
			got, err := ownedByID(ctx, tx, k, owner, id)
			if err != nil {
				return nil, fmt.Errorf("store: export %s %s: %w", k.Kind, id, err)
			}
			out = append(out, got...)
		}
	}
	return out, nil
}

// ownedChanged reads the records of kind k that this office owns and that
// changed after since, up to and including upto.
func ownedChanged(ctx context.Context, tx *sql.Tx, k SyncKind, owner string, since, upto int64) ([]SyncRecord, error) {
	return scanSync(ctx, tx, k, `owner_office_id = ? AND change_seq > ? AND change_seq <= ? ORDER BY change_seq, id`, owner, since, upto)
}

func ownedByID(ctx context.Context, tx *sql.Tx, k SyncKind, owner, id string) ([]SyncRecord, error) {
	return scanSync(ctx, tx, k, `owner_office_id = ? AND id = ?`, owner, id)
}

func scanSync(ctx context.Context, tx *sql.Tx, k SyncKind, where string, args ...any) ([]SyncRecord, error) {
	cols := "id, owner_office_id, revision, created_at, updated_at, updated_by, deleted_at"
	if len(k.Fields) > 0 {
		cols += ", " + strings.Join(k.Fields, ", ")
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+cols+` FROM `+k.Table+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SyncRecord
	for rows.Next() {
		r := SyncRecord{Kind: k.Kind}
		vals := make([]any, len(k.Fields))
		dest := []any{&r.ID, &r.Owner, &r.Revision, &r.CreatedAt, &r.UpdatedAt, &r.UpdatedBy, &r.DeletedAt}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if r.DeletedAt == "" {
			for i, v := range vals {
				switch x := v.(type) {
				case []byte:
					vals[i] = string(x)
				case int64, string, nil:
				default:
					return nil, fmt.Errorf("column %s of %s holds %T, which batches cannot carry", k.Fields[i], r.ID, v)
				}
			}
			r.Fields = vals
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecordBatchSent stores a batch written to disk as the next in this
// office's chain. It refuses a seq that is not the next one, so two exports
// racing can never put two different batches under one number.
func (s *Store) RecordBatchSent(ctx context.Context, actor Actor, b SentBatch) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var top int64
		var prev string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM batches_sent`).Scan(&top); err != nil {
			return err
		}
		if top > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT sha256 FROM batches_sent WHERE seq = ?`, top).Scan(&prev); err != nil {
				return err
			}
		}
		if b.Seq != top+1 || b.PrevSHA256 != prev {
			return fmt.Errorf("%w: batch %d does not follow %d", ErrConflict, b.Seq, top)
		}
		if err := insertSent(ctx, tx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionExport, "batch", fmt.Sprint(b.Seq), nil, b)
	})
}

// insertSent adds b to this office's chain as it is: written now, or put
// back by a restore (with its acknowledgement), or found again in the
// office's own sent files.
func insertSent(ctx context.Context, tx *sql.Tx, b SentBatch) error {
	full := 0
	if b.Full {
		full = 1
	}
	ack := ""
	if !b.AcknowledgedAt.IsZero() {
		ack = fmtTime(b.AcknowledgedAt)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO batches_sent(seq, file_name, sha256, file_sha256, prev_sha256, key_id, created_at, is_full, records, max_change, acknowledged_at, ack_result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.Seq, b.FileName, b.SHA256, b.FileSHA256, b.PrevSHA256, b.KeyID, fmtTime(b.CreatedAt),
		full, b.Records, b.MaxChange, ack, b.AckResult)
	return err
}

// UnsentChanges counts the records this office owns that changed after its
// last batch: what the status line calls "unsent changes".
func (s *Store) UnsentChanges(ctx context.Context) (int, error) {
	total := 0
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(max_change), 0) FROM batches_sent`).Scan(&last); err != nil {
			return err
		}
		for _, k := range SyncKinds() {
			var n int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+k.Table+` WHERE change_seq > ? AND owner_office_id = (SELECT id FROM offices WHERE is_self = 1)`, last).Scan(&n)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}

// SentBatches lists the batches this office wrote, oldest first.
func (s *Store) SentBatches(ctx context.Context) ([]SentBatch, error) {
	return readSent(ctx, s.db)
}

func readSent(ctx context.Context, q querier) ([]SentBatch, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, file_name, sha256, file_sha256, prev_sha256, key_id, created_at, is_full, records, max_change, acknowledged_at, ack_result
		FROM batches_sent ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SentBatch
	for rows.Next() {
		var b SentBatch
		var c, a string
		var full int
		if err := rows.Scan(&b.Seq, &b.FileName, &b.SHA256, &b.FileSHA256, &b.PrevSHA256, &b.KeyID, &c, &full, &b.Records, &b.MaxChange, &a, &b.AckResult); err != nil {
			return nil, err
		}
		b.CreatedAt, b.AcknowledgedAt, b.Full = parseTime(c), parseTime(a), full == 1
		out = append(out, b)
	}
	return out, rows.Err()
}
