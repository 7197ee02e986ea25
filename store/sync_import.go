package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// IncomingBatch is a verified batch from another office, ready to apply.
type IncomingBatch struct {
	OfficeID   string
	Seq        int64
	SHA256     string // of the batch file
	PrevSHA256 string
	FileName   string
	CreatedAt  time.Time
	Records    []SyncRecord
}

// Outcome is what importing did with one record.
type Outcome string

const (
	OutcomeNew       Outcome = "new"
	OutcomeUpdated   Outcome = "updated"
	OutcomeUnchanged Outcome = "unchanged"
	OutcomeOlder     Outcome = "older"    // we hold a higher revision: ignored
	OutcomeRejected  Outcome = "rejected" // see Rejection.Reason
)

// ImportCounts count the outcomes of one batch.
type ImportCounts struct {
	New, Updated, Unchanged, Older, Rejected int
}

// Rejection is one record refused, with its reason code ("owner": the id
// belongs to another office here; "invalid": the table's rules refused it).
type Rejection struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// BatchResult is what ImportBatch did, or would do on a dry run.
type BatchResult struct {
	Office     Office
	Seq        int64
	SHA256     string
	Chain      ChainStatus
	Counts     ImportCounts
	Rejections []Rejection
	Applied    bool // false on a dry run and on a replay
}

// ReceivedBatch is a batch received from another office.
type ReceivedBatch struct {
	OfficeID   string
	Seq        int64
	SHA256     string
	PrevSHA256 string
	FileName   string
	CreatedAt  time.Time
	ArrivedAt  time.Time
	Counts     ImportCounts
	Rejections []Rejection
}

var errDryRun = errors.New("dry run")

// ImportBatch applies a verified batch in one transaction: every record, the
// batch's place in the sender's chain and an audit row, or nothing. A higher
// revision wins; records stay owned by the sender. A batch already received
// changes nothing (Applied false, Chain.State replay); one that contradicts
// a received batch is refused with a *ChainError. With dryRun the same work
// is done and rolled back, so the result is an exact preview.
func (s *Store) ImportBatch(ctx context.Context, actor Actor, in IncomingBatch, dryRun bool) (BatchResult, error) {
	res := BatchResult{Seq: in.Seq, SHA256: in.SHA256}
	if err := actor.require(PermEnroll); err != nil {
		return res, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		o, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, in.OfficeID))
		if err != nil {
			return err
		}
		if o.Self {
			return ErrEnrollSelf
		}
		res.Office = o
		if err := checkMergedAway(ctx, tx, o, in.Seq, in.CreatedAt); err != nil {
			return err
		}
		known, err := receivedTx(ctx, tx, in.OfficeID)
		if err != nil {
			return err
		}
		links := make([]ChainLink, len(known))
		for i, k := range known {
			links[i] = ChainLink{k.Seq, k.SHA256, k.PrevSHA256}
			if k.Seq == in.Seq && k.SHA256 == in.SHA256 {
				res.Counts, res.Rejections = k.Counts, k.Rejections
			}
		}
		res.Chain = ChainPosition(links, ChainLink{in.Seq, in.SHA256, in.PrevSHA256})
		switch res.Chain.State {
		case ChainFork:
			return &ChainError{Office: o.Code, Seq: in.Seq, Reason: res.Chain.Reason}
		case ChainReplay:
			return nil
		}
		if err := s.applyRecords(ctx, tx, in.Records, &res); err != nil {
			return err
		}
		rej, _ := json.Marshal(res.Rejections)
		c := res.Counts
		if _, err := tx.ExecContext(ctx, `INSERT INTO batches_received(office_id, seq, sha256, prev_sha256, file_name, created_at, arrived_at, imported_by,
			n_new, n_updated, n_unchanged, n_older, n_rejected, rejections) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.OfficeID, in.Seq, in.SHA256, in.PrevSHA256, in.FileName, fmtTime(in.CreatedAt), fmtTime(s.now()), actor.Name,
			c.New, c.Updated, c.Unchanged, c.Older, c.Rejected, string(rej)); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, ActionImport, "batch", fmt.Sprintf("%s/%d", o.Code, in.Seq), nil,
			map[string]any{"file": in.FileName, "sha256": in.SHA256, "counts": c}); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		res.Applied = true
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

func (s *Store) applyRecords(ctx context.Context, tx *sql.Tx, recs []SyncRecord, res *BatchResult) error {
	// Live records first, table by table in import order, so that a record
	// that refers to another (a tally to its period) finds it; then
	// deletions, in reverse order.
	kinds := SyncKinds()
	stmts := map[string]*kindStmts{}
	defer func() {
		for _, st := range stmts {
			st.close()
		}
	}()
	pass := func(k SyncKind, deleted bool) error {
		for _, r := range recs {
			if r.Kind != k.Kind || (r.DeletedAt != "") != deleted {
				continue
			}
			st := stmts[k.Kind]
			if st == nil {
				var err error
				if st, err = prepareKind(ctx, tx, k); err != nil {
					return err
				}
				stmts[k.Kind] = st
			}
			out, reason, err := applyRecord(ctx, tx, st, r)
			if err != nil {
				return fmt.Errorf("store: import %s %s: %w", r.Kind, r.ID, err)
			}
			switch out {
			case OutcomeNew:
				res.Counts.New++
			case OutcomeUpdated:
				res.Counts.Updated++
			case OutcomeUnchanged:
				res.Counts.Unchanged++
			case OutcomeOlder:
				res.Counts.Older++
			case OutcomeRejected:
				res.Counts.Rejected++
				res.Rejections = append(res.Rejections, Rejection{r.Kind, r.ID, reason})
			}
		}
		return nil
	}
	for _, k := range kinds {
		if err := pass(k, false); err != nil {
			return err
		}
	}
	for i := len(kinds) - 1; i >= 0; i-- {
		if err := pass(kinds[i], true); err != nil {
			return err
		}
	}
	for _, k := range kinds {
		if st := stmts[k.Kind]; st != nil && k.Derive != nil && len(st.written) > 0 {
			if err := k.Derive(ctx, tx, st.written); err != nil {
				return fmt.Errorf("store: import %s: %w", k.Kind, err)
			}
		}
	}
	for _, r := range recs {
		if _, ok := syncKinds[r.Kind]; !ok {
			return fmt.Errorf("store: import: unknown record kind %q", r.Kind)
		}
	}
	return nil
}

// kindStmts are the statements applying records of one kind, prepared once
// per batch: a batch applies thousands of records, and parsing the SQL each
// time cost more than running it.
type kindStmts struct {
	k                                 SyncKind
	sel, tomb, ins, upd, del, tombIns *sql.Stmt
	written                           []string // ids inserted or updated, for Derive
}

func prepareKind(ctx context.Context, tx *sql.Tx, k SyncKind) (*kindStmts, error) {
	cols := append([]string{"owner_office_id", "revision", "change_seq", "created_at", "updated_at", "updated_by", "deleted_at"}, k.Fields...)
	cols = append(cols, k.Derived...)
	st := &kindStmts{k: k}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.PrepareContext(ctx, q)
		return s
	}
	st.sel = prep(`SELECT owner_office_id, revision FROM ` + k.Table + ` WHERE id = ?`)
	st.tomb = prep(`SELECT revision FROM sync_tombstones WHERE kind = ? AND id = ?`)
	st.ins = prep(`INSERT INTO ` + k.Table + `(id, ` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)) + `)`)
	st.upd = prep(`UPDATE ` + k.Table + ` SET ` + strings.Join(cols, " = ?, ") + ` = ? WHERE id = ?`)
	st.del = prep(`UPDATE ` + k.Table + ` SET revision = ?, updated_at = ?, updated_by = ?, deleted_at = ?, change_seq = 0 WHERE id = ?`)
	st.tombIns = prep(`INSERT INTO sync_tombstones(kind, id, owner_office_id, revision, deleted_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(kind, id) DO UPDATE SET revision = excluded.revision, deleted_at = excluded.deleted_at`)
	if err != nil {
		st.close()
		return nil, err
	}
	return st, nil
}

func (st *kindStmts) close() {
	for _, s := range []*sql.Stmt{st.sel, st.tomb, st.ins, st.upd, st.del, st.tombIns} {
		if s != nil {
			s.Close()
		}
	}
}

// applyRecord upserts one record by revision.
func applyRecord(ctx context.Context, tx *sql.Tx, st *kindStmts, r SyncRecord) (Outcome, string, error) {
	k := st.k
	var owner string
	var rev int64
	err := st.sel.QueryRowContext(ctx, r.ID).Scan(&owner, &rev)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	if exists && owner != r.Owner {
		return OutcomeRejected, "owner", nil
	}
	var tombRev int64
	err = st.tomb.QueryRowContext(ctx, k.Kind, r.ID).Scan(&tombRev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	if err == nil && tombRev >= r.Revision {
		return OutcomeOlder, "", nil
	}
	if exists && rev > r.Revision {
		return OutcomeOlder, "", nil
	}
	if exists && rev == r.Revision {
		return OutcomeUnchanged, "", nil
	}
	if r.DeletedAt != "" {
		if !exists {
			_, err := st.tombIns.ExecContext(ctx, k.Kind, r.ID, r.Owner, r.Revision, r.DeletedAt)
			return OutcomeNew, "", err
		}
		_, err := st.del.ExecContext(ctx, r.Revision, r.UpdatedAt, r.UpdatedBy, r.DeletedAt, r.ID)
		return OutcomeUpdated, "", err
	}
	vals := make([]any, 0, 9+len(r.Fields)+len(k.Derived))
	if !exists {
		vals = append(vals, r.ID)
	}
	vals = append(vals, r.Owner, r.Revision, 0, r.CreatedAt, r.UpdatedAt, r.UpdatedBy, "")
	vals = append(vals, r.Fields...)
	// Derived columns get a stand-in unique to the record until Derive
	// computes them: '' would collide in a unique index over a search key.
	for range k.Derived {
		vals = append(vals, "\x00"+r.ID)
	}
	// A statement that breaks the table's rules is undone alone by SQLite
	// (statement journal), so the rest of the batch still applies.
	if exists {
		_, err = st.upd.ExecContext(ctx, append(vals, r.ID)...)
	} else {
		_, err = st.ins.ExecContext(ctx, vals...)
	}
	if err != nil {
		if errors.Is(classify(err), ErrConflict) {
			return OutcomeRejected, "invalid", nil
		}
		return "", "", err
	}
	st.written = append(st.written, r.ID)
	if exists {
		return OutcomeUpdated, "", nil
	}
	return OutcomeNew, "", nil
}

// ReceivedBatches lists what arrived from an office, by seq.
func (s *Store) ReceivedBatches(ctx context.Context, officeID string) ([]ReceivedBatch, error) {
	return receivedTx(ctx, s.db, officeID)
}

// ChainLinks is what ChainPosition needs about an office's received batches.
func (s *Store) ChainLinks(ctx context.Context, officeID string) ([]ChainLink, error) {
	rb, err := s.ReceivedBatches(ctx, officeID)
	out := make([]ChainLink, len(rb))
	for i, b := range rb {
		out[i] = ChainLink{b.Seq, b.SHA256, b.PrevSHA256}
	}
	return out, err
}

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func receivedTx(ctx context.Context, tx querier, officeID string) ([]ReceivedBatch, error) {
	rows, err := tx.QueryContext(ctx, `SELECT office_id, seq, sha256, prev_sha256, file_name, created_at, arrived_at,
		n_new, n_updated, n_unchanged, n_older, n_rejected, rejections FROM batches_received WHERE office_id = ? ORDER BY seq`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReceivedBatch
	for rows.Next() {
		var b ReceivedBatch
		var c, a, rej string
		if err := rows.Scan(&b.OfficeID, &b.Seq, &b.SHA256, &b.PrevSHA256, &b.FileName, &c, &a,
			&b.Counts.New, &b.Counts.Updated, &b.Counts.Unchanged, &b.Counts.Older, &b.Counts.Rejected, &rej); err != nil {
			return nil, err
		}
		b.CreatedAt, b.ArrivedAt = parseTime(c), parseTime(a)
		if rej != "" {
			json.Unmarshal([]byte(rej), &b.Rejections)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
