package store

import (
	"context"
	gosync "sync"
)

// OpenDeferred opens dir like Open, for a command that only reads, such as
// printing reports, and lets its reading overlap the integrity check: the
// check, which on a commune's file is most of an open, runs on a second
// connection while the caller reads, instead of before OpenDeferred
// returns. Open's promise, that a damaged file is refused before anything
// is written into it or made from it, still holds:
//
//   - every write and every snapshot waits for the check and fails with
//     ErrDamaged if it found damage, so nothing is written into the file and
//     no copy of it replaces a good snapshot;
//   - the caller must call Checked, and give up on a non-nil result, before
//     it hands on anything it read: a report file is moved into place only
//     after Checked returns nil (report.WriteAll).
//
// A file that needs a migration, which writes, is checked first, as by Open.
func OpenDeferred(ctx context.Context, dir string) (*Store, error) {
	return openStore(ctx, dir, true)
}

// Checked waits for the integrity check that OpenDeferred left running and
// returns its result: nil, or an error wrapping ErrDamaged. For a store
// from Open, whose check ran before Open returned, it returns nil at once.
func (s *Store) Checked(ctx context.Context) error {
	c := s.check
	if c == nil {
		return nil
	}
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pendingCheck is an integrity check running in the background.
type pendingCheck struct {
	done   chan struct{}
	err    error
	cancel context.CancelFunc
	once   gosync.Once
}

func (s *Store) startCheck(pragma string) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &pendingCheck{done: make(chan struct{}), cancel: cancel}
	s.check = c
	go func() {
		defer close(c.done)
		c.err = s.checkPages(ctx, pragma)
	}()
}

// stop ends a check still running, for Close: a store closed before its
// check ended has nothing left to publish.
func (c *pendingCheck) stop() {
	if c == nil {
		return
	}
	c.once.Do(func() {
		c.cancel()
		<-c.done
	})
}

// upToDate reports, without writing, whether every migration this program
// knows has been applied; any doubt (no table yet, a read error) says no,
// and the open then checks and migrates as Open does.
func (s *Store) upToDate(ctx context.Context) bool {
	all, err := migrations()
	if err != nil {
		return false
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return false
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return false
		}
		applied[v] = true
	}
	if rows.Err() != nil || len(applied) != len(all) {
		return false
	}
	for _, m := range all {
		if !applied[m.version] {
			return false
		}
	}
	return true
}
