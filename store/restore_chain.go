package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// A restore must not break the office's chain of batches (issue 26). The
// collecting office holds every batch this office signed; a backup taken
// before the last of them knows fewer. Restored as it is, the next export
// would reuse a sequence number the collecting office already holds with
// another file (a fork, refused, and every batch after it), and what was
// changed after the backup would be lost here although it was sent.
//
// So Restore keeps the batches the data held before and the backup lacks
// (RestoreResult.KeptBatches), and moves the change counter past them, so
// the next batch continues the chain; RecoverSent takes back, from the
// office's own sent batch files, the records the backup lacks (they are
// the office's own: same owner, revisions decide), and the chain links of
// batches no database here remembers (a new computer, a damaged file).

// ChainBehind says what a backup lacks of the chain this office holds.
type ChainBehind struct {
	BackupSeq  int64     // the last batch the backup knows; 0 for none
	CurrentSeq int64     // the last batch this office signed, as held now
	CurrentAt  time.Time // when that batch was written
}

// Behind says whether restoring the backup goes back before batches
// already sent.
func (c ChainBehind) Behind() bool { return c.CurrentSeq > c.BackupSeq }

// RestoreBehind compares the backup at path with the data now: the window
// and the command line warn before restoring an older state.
func (s *Store) RestoreBehind(ctx context.Context, path string) (ChainBehind, error) {
	var c ChainBehind
	if _, err := CheckBackup(ctx, path); err != nil {
		return c, err
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return c, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM batches_sent`).Scan(&c.BackupSeq); err != nil {
		return c, classify(err)
	}
	var at string
	err = s.db.QueryRowContext(ctx, `SELECT seq, created_at FROM batches_sent ORDER BY seq DESC LIMIT 1`).Scan(&c.CurrentSeq, &at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, classify(err)
	}
	c.CurrentAt = parseTime(at)
	return c, nil
}

// sentRows reads batches_sent in full, oldest first; nil when the table
// cannot be read (the data being restored over may be damaged).
func sentRows(ctx context.Context, q querier) []SentBatch {
	out, err := readSent(ctx, q)
	if err != nil {
		return nil
	}
	return out
}

// keepChain puts back, after a restore, the batches the data held before
// (held) and the restored data lacks, when the restored chain is their
// beginning; and moves the change counter past what they covered, so that
// a change made from now on is in the next batch and none of the old ones
// is sent twice. It returns how many it put back.
func keepChain(ctx context.Context, tx *sql.Tx, held []SentBatch) (int, error) {
	restored := byChain(sentRows(ctx, tx))
	var top int64
	kept := 0
	for dest, chain := range byChain(held) {
		have := restored[dest]
		if len(chain) <= len(have) || !samePrefix(chain, have) {
			// Not the same chain: the backup is of another history. Keep
			// it as it is; RecoverSent and the receipts say the rest.
			continue
		}
		for _, b := range chain[len(have):] {
			if err := insertSent(ctx, tx, b); err != nil {
				return 0, err
			}
			top = max(top, b.MaxChange)
			kept++
		}
	}
	if kept == 0 {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE counters SET value = MAX(value, ?) WHERE name = 'change'`, top); err != nil {
		return 0, err
	}
	return kept, nil
}

// byChain groups sent batches by destination, each chain oldest first.
func byChain(all []SentBatch) map[string][]SentBatch {
	out := map[string][]SentBatch{}
	for _, b := range all {
		out[b.Dest] = append(out[b.Dest], b)
	}
	return out
}

// samePrefix says whether short is the beginning of long.
func samePrefix(long, short []SentBatch) bool {
	for i, b := range short {
		if long[i].Seq != b.Seq || long[i].SHA256 != b.SHA256 {
			return false
		}
	}
	return true
}

// SentRecovery is one of this office's own sent batches, read back from
// its file (sync checks the signature and decrypts it with the office's
// own key): its place in the chain and its records.
type SentRecovery struct {
	Dest       string // the destination's office id, whose chain it is in
	Seq        int64
	FileName   string
	SHA256     string // of the signed zip
	FileSHA256 string // of the file as found
	PrevSHA256 string
	KeyID      string
	CreatedAt  time.Time
	Full       bool
	Records    []SyncRecord
}

// RecoverResult says what RecoverSent did.
type RecoverResult struct {
	Batches  int // own batch files read
	Linked   int // of them, put back into the chain here
	Counts   ImportCounts
	LastSeq  int64 // the chain's last batch after recovery
	Conflict []int64
}

// ChainConflictError is an own batch file that contradicts the chain held
// here: another file under a number already used. Nothing of it is taken.
type ChainConflictError struct{ Seq int64 }

func (e *ChainConflictError) Error() string {
	return fmt.Sprintf("store: own batch %d differs from the batch %d recorded as sent", e.Seq, e.Seq)
}

// MessageCode implements Coded.
func (e *ChainConflictError) MessageCode() (string, map[string]any) {
	return "batch.recover_conflict", map[string]any{"Seq": e.Seq}
}

// RecoverSent takes back what this office's own sent batches hold (in
// seq order): each record newer than the one stored (by revision, as any
// import), kept unsent (the collecting office has it), and each batch
// after the chain's last one known here, when it follows it, as sent. A
// batch under a number already used for another file is refused and
// listed (Conflict); the others still apply. Only a head may.
func (s *Store) RecoverSent(ctx context.Context, actor Actor, in []SentRecovery) (RecoverResult, error) {
	var res RecoverResult
	if err := actor.require(PermRestore); err != nil {
		return res, err
	}
	err := s.importTx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeID(ctx, tx)
		if err != nil {
			return err
		}
		var counter int64
		if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'change'`).Scan(&counter); err != nil {
			return err
		}
		g := &importGroup{now: s.now()}
		defer g.close()
		if err := g.begin(ctx, tx); err != nil {
			return err
		}
		// The chains held here, read once and extended as batches join them.
		chains := byChain(sentRows(ctx, tx))
		for _, b := range in {
			res.Batches++
			held := chains[b.Dest]
			var last SentBatch
			if n := len(held); n > 0 {
				last = held[n-1]
			}
			switch {
			case b.Seq < 1:
				res.Conflict = append(res.Conflict, b.Seq)
				continue
			case b.Seq <= last.Seq:
				if held[b.Seq-1].Seq != b.Seq || held[b.Seq-1].SHA256 != b.SHA256 {
					res.Conflict = append(res.Conflict, b.Seq)
					continue
				}
			case b.Seq == last.Seq+1 && b.PrevSHA256 == last.SHA256:
				link := SentBatch{Dest: b.Dest, Seq: b.Seq, FileName: b.FileName, SHA256: b.SHA256, FileSHA256: b.FileSHA256, PrevSHA256: b.PrevSHA256,
					KeyID: b.KeyID, CreatedAt: b.CreatedAt, Full: b.Full, Records: len(b.Records), MaxChange: counter}
				if err := insertSent(ctx, tx, link); err != nil {
					return err
				}
				chains[b.Dest] = append(held, link)
				res.Linked++
			default:
				// A gap (a file missing in between) or another history:
				// nothing of it, nor of what follows, joins the chain.
				res.Conflict = append(res.Conflict, b.Seq)
				continue
			}
			for i := range b.Records {
				if b.Records[i].Owner != self {
					return fmt.Errorf("store: recover: batch %d holds a record of another office", b.Seq)
				}
			}
			var br BatchResult
			if err := g.apply(ctx, tx, b.Records, &br); err != nil {
				return err
			}
			res.Counts.New += br.Counts.New
			res.Counts.Updated += br.Counts.Updated
			res.Counts.Unchanged += br.Counts.Unchanged
			res.Counts.Older += br.Counts.Older
			res.Counts.Rejected += br.Counts.Rejected
		}
		if err := g.end(ctx, tx); err != nil {
			return err
		}
		for _, held := range chains {
			if n := len(held); n > 0 {
				res.LastSeq = max(res.LastSeq, held[n-1].Seq)
			}
		}
		return s.audit(ctx, tx, actor, ActionRestore, "batch", fmt.Sprint(res.LastSeq), nil, map[string]any{
			"recovered_from_sent": res.Batches, "linked": res.Linked, "counts": res.Counts, "conflicts": res.Conflict})
	})
	return res, err
}
