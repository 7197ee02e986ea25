package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
	// Recipients are the encryption recipient of the destination, which
	// the batch is encrypted to; none means the batch goes in clear
	// (docs/batch-format.md §8, change-over).
	Recipients []string
	// Dest is the collecting office the batch goes to; zero when none is
	// enrolled yet (the batch then goes in clear, carrying every kind).
	Dest Destination
}

// Addressed says the batch names its destination (danvan-batch/3): it goes
// to a destination other than the primary one.
func (p ExportPlan) Addressed() bool { return p.Dest.Office.ID != "" && !p.Dest.Primary }

// SentBatch is a batch this office wrote.
type SentBatch struct {
	Dest           string // the destination's office id; "" for a chain written before any was enrolled
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

// PrepareExport reads, in one snapshot, what the next batch to the
// destination dest (an office id or code) must hold: the records of the
// kinds it receives that changed since its last batch. dest "" is the
// primary destination, or the chain of an office that has enrolled none.
// It changes nothing: the batch counts as sent only when RecordBatchSent
// stores it, after the file is safely on disk.
func (s *Store) PrepareExport(ctx context.Context, actor Actor, dest string, full bool) (ExportPlan, error) {
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
		dests, err := destinationsTx(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case dest != "":
			if p.Dest, err = pickDestination(dests, dest); err != nil {
				return err
			}
		case len(dests) > 0:
			p.Dest = dests[0] // the primary
		}
		kinds := p.Dest.Kinds
		if p.Dest.Office.ID == "" {
			kinds = domain.DataKinds
		}
		err = tx.QueryRowContext(ctx, `SELECT key_id, public_key, encrypted_secret FROM office_keys WHERE office_id = ? AND retired_at = ''`, p.Office.ID).
			Scan(&p.Key.KeyID, &p.Key.PublicKey, &p.Key.EncryptedSecret)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoKey
		} else if err != nil {
			return err
		}
		var last int64
		chain := p.Dest.chainID()
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0), COALESCE(MAX(max_change), 0) FROM batches_sent WHERE dest_id = ?`, chain).Scan(&p.Seq, &last); err != nil {
			return err
		}
		if p.Seq > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT sha256 FROM batches_sent WHERE dest_id = ? AND seq = ?`, chain, p.Seq).Scan(&p.PrevSHA256); err != nil {
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
			if !slices.Contains(kinds, k.Data) {
				continue
			}
			since := since
			if slices.Contains(p.Dest.fullKinds, k.Data) {
				since = -1 // newly given to this destination: whole
			}
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
		if p.Dest.Recipient != "" {
			p.Recipients = []string{p.Dest.Recipient}
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
		if err := appendSent(ctx, tx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionExport, "batch", fmt.Sprint(b.Seq), nil, b)
	})
}

// appendSent adds b at the end of its destination's chain, refusing a seq
// that is not the next one or a prev_sha256 that is not the last batch's.
func appendSent(ctx context.Context, tx *sql.Tx, b SentBatch) error {
	var top int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM batches_sent WHERE dest_id = ?`, b.Dest).Scan(&top); err != nil {
		return err
	}
	if top > 0 {
		if err := tx.QueryRowContext(ctx, `SELECT sha256 FROM batches_sent WHERE dest_id = ? AND seq = ?`, b.Dest, top).Scan(&prev); err != nil {
			return err
		}
	}
	if b.Seq != top+1 || b.PrevSHA256 != prev {
		return fmt.Errorf("%w: batch %d does not follow %d", ErrConflict, b.Seq, top)
	}
	if err := insertSent(ctx, tx, b); err != nil {
		return err
	}
	// The kinds owed whole went in this batch (PrepareExport).
	_, err := tx.ExecContext(ctx, `UPDATE destinations SET full_kinds = '' WHERE office_id = ?`, b.Dest)
	return err
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
	_, err := tx.ExecContext(ctx, `INSERT INTO batches_sent(dest_id, seq, file_name, sha256, file_sha256, prev_sha256, key_id, created_at, is_full, records, max_change, acknowledged_at, ack_result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.Dest, b.Seq, b.FileName, b.SHA256, b.FileSHA256, b.PrevSHA256, b.KeyID, fmtTime(b.CreatedAt),
		full, b.Records, b.MaxChange, ack, b.AckResult)
	return err
}

// UnsentChanges counts the records this office owns that changed after
// the last batch of a destination that receives them: what the status line
// calls "unsent changes". A record two destinations still lack counts once.
func (s *Store) UnsentChanges(ctx context.Context) (int, error) {
	total := 0
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		lasts, err := chainLasts(ctx, tx)
		if err != nil {
			return err
		}
		for _, k := range SyncKinds() {
			since, found := int64(-1), false
			for _, l := range lasts {
				if l.Receives(k.Data) && (!found || l.since(k) < since) {
					since, found = l.since(k), true
				}
			}
			if !found {
				continue
			}
			n, err := countUnsent(ctx, tx, k, since)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}

// UnsentFor counts, for each destination (by office id; "" for the chain
// of an office that has enrolled none), the records of the kinds it
// receives that changed after its last batch.
func (s *Store) UnsentFor(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		lasts, err := chainLasts(ctx, tx)
		if err != nil {
			return err
		}
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		for _, l := range lasts {
			out[l.Office.ID] = 0
			if self.Role == domain.RoleCollector {
				// What a collecting office owes the office above: the
				// batches of its units not yet forwarded there.
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) `+unforwarded, domain.RoleCollector, l.Office.ID).Scan(&n); err != nil {
					return err
				}
				out[l.Office.ID] = n
				continue
			}
			for _, k := range SyncKinds() {
				if !l.Receives(k.Data) {
					continue
				}
				n, err := countUnsent(ctx, tx, k, l.since(k))
				if err != nil {
					return err
				}
				out[l.Office.ID] += n
			}
		}
		return nil
	})
	return out, err
}

// chainLast is a destination and the change counter its last batch covers.
type chainLast struct {
	Destination
	last int64
}

// since is the change counter after which records of kind k are owed to
// the destination: its last batch's, or none for a kind newly given to it,
// which goes whole (PrepareExport).
func (l chainLast) since(k SyncKind) int64 {
	if slices.Contains(l.fullKinds, k.Data) {
		return -1
	}
	return l.last
}

// chainLasts lists every destination with its last batch's change counter;
// with none enrolled, the one chain of batches written in clear.
func chainLasts(ctx context.Context, tx *sql.Tx) ([]chainLast, error) {
	dests, err := destinationsTx(ctx, tx)
	if err != nil {
		return nil, err
	}
	if len(dests) == 0 {
		dests = []Destination{{Kinds: domain.DataKinds}}
	}
	out := make([]chainLast, len(dests))
	for i, d := range dests {
		out[i].Destination = d
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(max_change), 0) FROM batches_sent WHERE dest_id = ?`, d.chainID()).Scan(&out[i].last); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func countUnsent(ctx context.Context, tx *sql.Tx, k SyncKind, since int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+k.Table+` WHERE change_seq > ? AND owner_office_id = (SELECT id FROM offices WHERE is_self = 1)`, since).Scan(&n)
	return n, err
}

// SentBatches lists the batches this office wrote, by destination then
// oldest first.
func (s *Store) SentBatches(ctx context.Context) ([]SentBatch, error) {
	return readSent(ctx, s.db)
}

// SentBatchesTo lists the batches written to one destination (its office
// id; "" for a chain written before any was enrolled), oldest first.
func (s *Store) SentBatchesTo(ctx context.Context, dest string) ([]SentBatch, error) {
	return querySent(ctx, s.db, `WHERE dest_id = ?`, dest)
}

func readSent(ctx context.Context, q querier) ([]SentBatch, error) {
	return querySent(ctx, q, "")
}

// querySent reads the batches of batches_sent that where (a WHERE clause,
// or "") selects, by destination then seq.
func querySent(ctx context.Context, q querier, where string, args ...any) ([]SentBatch, error) {
	rows, err := q.QueryContext(ctx, `SELECT dest_id, seq, file_name, sha256, file_sha256, prev_sha256, key_id, created_at, is_full, records, max_change, acknowledged_at, ack_result
		FROM batches_sent `+where+` ORDER BY dest_id, seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SentBatch
	for rows.Next() {
		var b SentBatch
		var c, a string
		var full int
		if err := rows.Scan(&b.Dest, &b.Seq, &b.FileName, &b.SHA256, &b.FileSHA256, &b.PrevSHA256, &b.KeyID, &c, &full, &b.Records, &b.MaxChange, &a, &b.AckResult); err != nil {
			return nil, err
		}
		b.CreatedAt, b.AcknowledgedAt, b.Full = parseTime(c), parseTime(a), full == 1
		out = append(out, b)
	}
	return out, rows.Err()
}
