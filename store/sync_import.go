package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
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
	// Encrypted says the batch arrived encrypted to this office. Once an
	// office's batch has, a later batch of its chain in clear is refused
	// (ErrPlaintext).
	Encrypted bool
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

// BatchResult is what ImportBatches did with a batch, or would do on a dry run.
type BatchResult struct {
	Office     domain.Office
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
	Encrypted  bool
}

// PlaintextError refuses a batch that came in clear from an office whose
// earlier batch (Since) came encrypted: its batches after that must be
// encrypted too, or personal data has travelled in clear.
type PlaintextError struct {
	Office     string
	Seq, Since int64
}

func (e *PlaintextError) Error() string {
	return fmt.Sprintf("store: batch %d of %s is in clear, but its batch %d came encrypted", e.Seq, e.Office, e.Since)
}

// MessageCode implements Coded.
func (e *PlaintextError) MessageCode() (string, map[string]any) {
	return "batch.plaintext_after", map[string]any{"Office": e.Office, "Seq": e.Seq, "Since": e.Since}
}

// ImportBatches applies verified batches in order, each whole or not at
// all: every record of a batch, its place in the sender's chain, its audit
// row and the release of a quarantined copy. A higher revision wins;
// records stay owned by the sender. A batch already received changes
// nothing (Applied false, Chain.State replay); one that contradicts a
// received batch is refused with a *ChainError in errs, and the others
// still apply. With dryRun the batches are applied and rolled back together
// (Preview), so the result is an exact preview.
//
// The batches share one transaction, and the search indexes are brought up
// to date once at its end: that is what makes a folder of a province's
// batches import faster than a clerk can check it by hand
// (docs/performance.md P5). A commit writes and syncs every page it
// changed, consecutive batches change the same pages, and FTS5 writes a
// segment for every statement that indexes. A batch is refused, if it is,
// before it writes anything; one that fails after (the database refused a
// write) is retried alone, after the batches before it are committed. err
// is set when the database itself failed; res says which batches were
// applied before that (Applied), and none after.
func (s *Store) ImportBatches(ctx context.Context, actor Actor, in []IncomingBatch, dryRun bool) (res []BatchResult, errs []error, err error) {
	res = make([]BatchResult, len(in))
	errs = make([]error, len(in))
	for i, b := range in {
		res[i] = BatchResult{Seq: b.Seq, SHA256: b.SHA256}
	}
	if err := actor.require(PermEnroll); err != nil {
		return res, errs, err
	}
	if dryRun {
		return res, errs, s.previewBatches(ctx, actor, in, res, errs)
	}
	all, allErrs := res, errs
	// What a failed transaction held is not applied; the batches before
	// it, committed on a retry, are.
	notApplied := func(res []BatchResult) {
		for i := range res {
			res[i].Applied = false
		}
	}
	for len(in) > 0 {
		failed, batchErr, err := s.applyGroup(ctx, actor, in, res, errs)
		if err != nil {
			notApplied(res)
			return all, allErrs, err
		}
		if failed < 0 {
			return all, allErrs, nil
		}
		// Nothing of the group was kept: apply the batches before the one
		// that failed, then go on after it.
		if failed > 0 {
			again, _, err := s.applyGroup(ctx, actor, in[:failed], res[:failed], errs[:failed])
			if err == nil && again >= 0 {
				err = fmt.Errorf("store: import %s: a batch failed on its second try", in[again].FileName)
			}
			if err != nil {
				notApplied(res)
				return all, allErrs, err
			}
		}
		res[failed], errs[failed] = BatchResult{Seq: in[failed].Seq, SHA256: in[failed].SHA256}, batchErr
		in, res, errs = in[failed+1:], res[failed+1:], errs[failed+1:]
	}
	return all, allErrs, nil
}

// errBatchFailed ends a group's transaction when a batch failed after it had
// begun to write.
var errBatchFailed = errors.New("store: a batch failed midway")

// applyGroup applies in in one transaction. When a batch fails after it
// began to write, it rolls everything back and says which (failed, its
// error); failed is -1 otherwise.
func (s *Store) applyGroup(ctx context.Context, actor Actor, in []IncomingBatch, res []BatchResult, errs []error) (failed int, batchErr, err error) {
	failed = -1
	err = s.importTx(ctx, func(tx *sql.Tx) error {
		g := &importGroup{now: s.now()}
		defer g.close()
		if err := g.begin(ctx, tx); err != nil {
			return err
		}
		for i, b := range in {
			wrote, err := s.importBatch(ctx, tx, g, actor, b, &res[i])
			if err != nil && wrote {
				failed, batchErr = i, classifyKeep(err)
				return errBatchFailed
			}
			errs[i] = classifyKeep(err)
		}
		return g.end(ctx, tx)
	})
	if errors.Is(err, errBatchFailed) {
		err = nil
	}
	return failed, batchErr, err
}

// importTx is tx on a connection that keeps its statement journals in
// memory. SQLite journals every page a statement changes, so that the
// statement can be undone alone; past 64 KiB in one transaction that
// journal becomes a temporary file, and then every statement of a long
// import writes to it (a tenth of an import's time).
func (s *Store) importTx(ctx context.Context, fn func(*sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return classify(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = DEFAULT`)
	return s.txOn(ctx, conn, fn)
}

// previewBatches is a preview of in alone; see Preview.
func (s *Store) previewBatches(ctx context.Context, actor Actor, in []IncomingBatch, res []BatchResult, errs []error) error {
	p, err := s.BeginPreview(ctx, actor)
	if err != nil {
		return err
	}
	defer p.Close()
	return p.apply(ctx, in, res, errs)
}

// importBatch applies one batch inside a group's transaction; wrote says
// whether it had begun to write when it failed.
func (s *Store) importBatch(ctx context.Context, tx *sql.Tx, g *importGroup, actor Actor, in IncomingBatch, res *BatchResult) (wrote bool, err error) {
	*res = BatchResult{Seq: in.Seq, SHA256: in.SHA256}
	o, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, in.OfficeID))
	if err != nil {
		return false, err
	}
	if o.Self {
		return false, ErrEnrollSelf
	}
	res.Office = o
	if err := checkMergedAway(ctx, tx, o, in.Seq, in.CreatedAt); err != nil {
		return false, err
	}
	known, err := receivedTx(ctx, tx, in.OfficeID)
	if err != nil {
		return false, err
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
		return false, &ChainError{Office: o.Code, Seq: in.Seq, Reason: res.Chain.Reason}
	case ChainReplay:
		return true, s.releaseQuarantined(ctx, tx, in.SHA256)
	}
	if !in.Encrypted {
		for _, k := range known {
			if k.Encrypted && k.Seq < in.Seq {
				return false, &PlaintextError{Office: o.Code, Seq: in.Seq, Since: k.Seq}
			}
		}
	}
	if err := g.apply(ctx, tx, in.Records, res); err != nil {
		return true, err
	}
	rej, err := json.Marshal(res.Rejections)
	if err != nil {
		return true, fmt.Errorf("store: import %s: rejections: %w", in.FileName, err)
	}
	c := res.Counts
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches_received(office_id, seq, sha256, prev_sha256, file_name, created_at, arrived_at, imported_by,
		n_new, n_updated, n_unchanged, n_older, n_rejected, rejections, encrypted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.OfficeID, in.Seq, in.SHA256, in.PrevSHA256, in.FileName, fmtTime(in.CreatedAt), fmtTime(s.now()), actor.Name,
		c.New, c.Updated, c.Unchanged, c.Older, c.Rejected, string(rej), in.Encrypted); err != nil {
		return true, err
	}
	if err := s.audit(ctx, tx, actor, ActionImport, "batch", fmt.Sprintf("%s/%d", o.Code, in.Seq), nil,
		map[string]any{"file": in.FileName, "sha256": in.SHA256, "counts": c, "encrypted": in.Encrypted}); err != nil {
		return true, err
	}
	// A batch set aside before its office was enrolled is dealt with once
	// it imports.
	if err := s.releaseQuarantined(ctx, tx, in.SHA256); err != nil {
		return true, err
	}
	res.Applied = true
	return true, nil
}

// importGroup is what the batches of one transaction share: each kind's
// prepared statements, and what they wrote, for the kind's Index.
type importGroup struct {
	stmts map[string]*kindStmts
	now   time.Time // the clock the records' rules are judged by (checkRecord)
}

// begin turns the full-text triggers off until end (migration 0011).
func (g *importGroup) begin(ctx context.Context, tx *sql.Tx) error {
	g.stmts = map[string]*kindStmts{}
	_, err := tx.ExecContext(ctx, `INSERT INTO import_defers_index(one) VALUES (1)`)
	return err
}

// end indexes what the group wrote and turns the triggers on again.
func (g *importGroup) end(ctx context.Context, tx *sql.Tx) error {
	for _, k := range SyncKinds() {
		if st := g.stmts[k.Kind]; st != nil && k.Index != nil && len(st.reindex.Written) > 0 {
			if err := k.Index(ctx, tx, st.reindex); err != nil {
				return fmt.Errorf("store: import %s: %w", k.Kind, err)
			}
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM import_defers_index`)
	return err
}

func (g *importGroup) close() {
	for _, st := range g.stmts {
		st.close()
	}
}

// apply writes one batch's records.
func (g *importGroup) apply(ctx context.Context, tx *sql.Tx, recs []SyncRecord, res *BatchResult) error {
	for _, r := range recs {
		if _, ok := syncKinds[r.Kind]; !ok {
			return fmt.Errorf("store: import: unknown record kind %q", r.Kind)
		}
	}
	for _, st := range g.stmts {
		st.derive = st.derive[:0]
	}
	// Live records first, table by table in import order, so that a record
	// that refers to another (a tally to its period) finds it; then
	// deletions, in reverse order.
	kinds := SyncKinds()
	pass := func(k SyncKind, deleted bool) error {
		for _, r := range recs {
			if r.Kind != k.Kind || (r.DeletedAt != "") != deleted {
				continue
			}
			st := g.stmts[k.Kind]
			if st == nil {
				var err error
				if st, err = prepareKind(ctx, tx, k); err != nil {
					return err
				}
				g.stmts[k.Kind] = st
			}
			out, reason, err := applyRecord(ctx, tx, st, r, g.now)
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
		if st := g.stmts[k.Kind]; st != nil && k.Derive != nil && len(st.derive) > 0 {
			if err := k.Derive(ctx, tx, st.derive); err != nil {
				return fmt.Errorf("store: import %s: %w", k.Kind, err)
			}
		}
	}
	return nil
}

// kindStmts are the statements applying records of one kind, prepared once
// per transaction: an import applies thousands of records, and parsing the
// SQL each time cost more than running it.
type kindStmts struct {
	k                                 SyncKind
	sel, tomb, ins, upd, del, tombIns *sql.Stmt
	derive                            []string        // ids the current batch wrote live, for Derive
	reindex                           Reindex         // for Index
	touched                           map[string]bool // ids the group wrote
	refs                              []refCheck      // the kind's references to other records
}

// refCheck reads the owner of the record one reference column points at.
type refCheck struct {
	col     string // e.g. "period_id"
	kind    string // the kind it points at, e.g. "period"
	field   int    // its place in SyncKind.Fields
	ownerOf *sql.Stmt
}

// wrote notes a record the group wrote: live says whether it is live now,
// indexed whether it was live before the group first wrote it.
func (st *kindStmts) wrote(id string, live, indexed bool) {
	if live {
		st.derive = append(st.derive, id)
	}
	if st.touched[id] {
		return
	}
	st.touched[id] = true
	st.reindex.Written = append(st.reindex.Written, id)
	if indexed {
		st.reindex.Indexed = append(st.reindex.Indexed, id)
	}
}

func prepareKind(ctx context.Context, tx *sql.Tx, k SyncKind) (*kindStmts, error) {
	cols := append([]string{"owner_office_id", "revision", "change_seq", "created_at", "updated_at", "updated_by", "deleted_at"}, k.Fields...)
	cols = append(cols, k.Derived...)
	st := &kindStmts{k: k, touched: map[string]bool{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.PrepareContext(ctx, q)
		return s
	}
	st.sel = prep(`SELECT owner_office_id, revision, deleted_at = '' FROM ` + k.Table + ` WHERE id = ?`)
	st.tomb = prep(`SELECT revision FROM sync_tombstones WHERE kind = ? AND id = ?`)
	st.ins = prep(`INSERT INTO ` + k.Table + `(id, ` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)) + `)`)
	st.upd = prep(`UPDATE ` + k.Table + ` SET ` + strings.Join(cols, " = ?, ") + ` = ? WHERE id = ?`)
	st.del = prep(`UPDATE ` + k.Table + ` SET revision = ?, updated_at = ?, updated_by = ?, deleted_at = ?, change_seq = 0 WHERE id = ?`)
	st.tombIns = prep(`INSERT INTO sync_tombstones(kind, id, owner_office_id, revision, deleted_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(kind, id) DO UPDATE SET revision = excluded.revision, deleted_at = excluded.deleted_at`)
	cols2 := make([]string, 0, len(k.Refs))
	for col := range k.Refs {
		cols2 = append(cols2, col)
	}
	sort.Strings(cols2)
	for _, col := range cols2 {
		ref, ok := syncKinds[k.Refs[col]]
		if !ok {
			st.close()
			return nil, fmt.Errorf("store: %s.%s refers to an unknown kind %q", k.Kind, col, k.Refs[col])
		}
		st.refs = append(st.refs, refCheck{col: col, kind: ref.Kind, field: slices.Index(k.Fields, col),
			ownerOf: prep(`SELECT owner_office_id FROM ` + ref.Table + ` WHERE id = ?`)})
	}
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
	for _, r := range st.refs {
		if r.ownerOf != nil {
			r.ownerOf.Close()
		}
	}
}

// ForeignRefError is a record of a batch that points at a record of
// another office: the batch is refused whole.
type ForeignRefError struct {
	Kind, ID       string // the record
	Column         string // its reference, e.g. "period_id"
	RefKind, RefID string // what it points at
}

func (e *ForeignRefError) Error() string {
	return fmt.Sprintf("store: import: %s %s: %s %s belongs to another office", e.Kind, e.ID, e.Column, e.RefID)
}

func (e *ForeignRefError) MessageCode() (string, map[string]any) {
	return "sync.foreign_ref." + e.RefKind, map[string]any{"ID": e.ID}
}

// applyRecord upserts one record by revision.
func applyRecord(ctx context.Context, tx *sql.Tx, st *kindStmts, r SyncRecord, now time.Time) (Outcome, string, error) {
	k := st.k
	var owner string
	var rev int64
	var wasLive bool
	err := st.sel.QueryRowContext(ctx, r.ID).Scan(&owner, &rev, &wasLive)
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
	// The forms' rules, for a record that would be written.
	if bad := checkRecord(k, r, now); bad != nil {
		return "", "", bad
	}
	// A record may only point at records of its own office: a commune
	// signs its own figures, and a tally of its own aimed at another
	// unit's period or field would change that unit's totals, closed or
	// not. The whole batch is refused (the caller rolls it back).
	if r.DeletedAt == "" {
		for _, ref := range st.refs {
			if ref.field < 0 || ref.field >= len(r.Fields) {
				continue
			}
			id, _ := r.Fields[ref.field].(string)
			if id == "" {
				continue
			}
			var refOwner string
			switch err := ref.ownerOf.QueryRowContext(ctx, id).Scan(&refOwner); {
			case errors.Is(err, sql.ErrNoRows):
				continue // refused below by the foreign key, as before
			case err != nil:
				return "", "", err
			}
			if refOwner != r.Owner {
				return "", "", &ForeignRefError{Kind: k.Kind, ID: r.ID, Column: ref.col, RefKind: ref.kind, RefID: id}
			}
		}
	}
	if r.DeletedAt != "" {
		if !exists {
			_, err := st.tombIns.ExecContext(ctx, k.Kind, r.ID, r.Owner, r.Revision, r.DeletedAt)
			return OutcomeNew, "", err
		}
		if _, err := st.del.ExecContext(ctx, r.Revision, r.UpdatedAt, r.UpdatedBy, r.DeletedAt, r.ID); err != nil {
			return "", "", err
		}
		st.wrote(r.ID, false, wasLive)
		return OutcomeUpdated, "", nil
	}
	vals := make([]any, 0, 9+len(r.Fields)+len(k.Derived))
	if !exists {
		vals = append(vals, r.ID)
	}
	vals = append(vals, r.Owner, r.Revision, 0, r.CreatedAt, r.UpdatedAt, r.UpdatedBy, "")
	vals = append(vals, r.Fields...)
	// Derived columns get a stand-in unique to the record until Derive
	// computes them: '' would collide in a unique index over a search key.
	if k.Keys != nil {
		vals = append(vals, k.Keys(r.Fields)...)
	} else {
		for range k.Derived {
			vals = append(vals, "\x00"+r.ID)
		}
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
	st.wrote(r.ID, true, exists && wasLive)
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
		n_new, n_updated, n_unchanged, n_older, n_rejected, rejections, encrypted FROM batches_received WHERE office_id = ? ORDER BY seq`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReceivedBatch
	for rows.Next() {
		var b ReceivedBatch
		var c, a, rej string
		if err := rows.Scan(&b.OfficeID, &b.Seq, &b.SHA256, &b.PrevSHA256, &b.FileName, &c, &a,
			&b.Counts.New, &b.Counts.Updated, &b.Counts.Unchanged, &b.Counts.Older, &b.Counts.Rejected, &rej, &b.Encrypted); err != nil {
			return nil, err
		}
		b.CreatedAt, b.ArrivedAt = parseTime(c), parseTime(a)
		if rej != "" {
			if err := json.Unmarshal([]byte(rej), &b.Rejections); err != nil {
				return nil, fmt.Errorf("store: batch %d of %s: rejections: %w", b.Seq, b.OfficeID, err)
			}
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
