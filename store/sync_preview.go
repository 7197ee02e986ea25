package store

import (
	"context"
	"database/sql"
)

// Preview is a dry run of an import that may span several calls, as a
// folder of batches arrives in groups: each Apply sees what the batches
// before it, in this call or an earlier one, would have done (the second
// batch of a unit previews as "updated", not as a gap and "new"), and Close
// undoes everything. It is the import itself, in a transaction that is
// never committed, so a preview says exactly what the import will do.
//
// A preview holds the database's write lock until Close: another write
// waits for it (busy timeout), as it would for the import.
type Preview struct {
	s     *Store
	actor Actor
	conn  *sql.Conn
	tx    *sql.Tx
}

// BeginPreview starts a preview; the caller must Close it.
func (s *Store) BeginPreview(ctx context.Context, actor Actor) (*Preview, error) {
	if err := actor.require(PermEnroll); err != nil {
		return nil, err
	}
	if err := s.Checked(ctx); err != nil {
		return nil, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, classify(err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, classify(err)
	}
	return &Preview{s: s, actor: actor, conn: conn, tx: tx}, nil
}

// Apply previews in, after everything applied before in this preview; the
// results are those ImportBatches would give, with Applied false.
func (p *Preview) Apply(ctx context.Context, in []IncomingBatch) ([]BatchResult, []error, error) {
	res := make([]BatchResult, len(in))
	errs := make([]error, len(in))
	for i, b := range in {
		res[i] = BatchResult{Seq: b.Seq, SHA256: b.SHA256}
	}
	return res, errs, p.apply(ctx, in, res, errs)
}

// apply runs each batch in a savepoint. A batch refused before it wrote
// anything left nothing; one that failed midway is rolled back to its
// savepoint, as the import skips it; the others stay for the next ones.
func (p *Preview) apply(ctx context.Context, in []IncomingBatch, res []BatchResult, errs []error) error {
	tx := p.tx
	for i, b := range in {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT preview`); err != nil {
			return classify(err)
		}
		g := &importGroup{now: p.s.now()}
		err := g.begin(ctx, tx)
		if err == nil {
			_, err = p.s.importBatch(ctx, tx, g, p.actor, b, &res[i])
		}
		g.close()
		errs[i], res[i].Applied = classifyKeep(err), false
		if err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO preview`); err != nil {
				return classify(err)
			}
		}
		// import_defers_index is emptied as the group's end does, so the
		// next batch begins as a new group would.
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_defers_index`); err != nil {
			return classify(err)
		}
		if _, err := tx.ExecContext(ctx, `RELEASE preview`); err != nil {
			return classify(err)
		}
	}
	return nil
}

// Close undoes everything the preview applied.
func (p *Preview) Close() error {
	err := p.tx.Rollback()
	if cerr := p.conn.Close(); err == nil {
		err = cerr
	}
	if err == sql.ErrTxDone {
		err = nil
	}
	return err
}
