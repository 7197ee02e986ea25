package store

import (
	"context"
	"errors"
	stdsync "sync"
)

// OpenDeferred opens dir like Open, for a command that only reads, such as
// printing reports, and leaves the integrity check, which on a commune's
// file is most of an open, for the command to run beside its own work: the
// check starts when it is first waited for (Checked, or any write or
// snapshot), on a connection of its own, so that a caller with several
// things to do can start it when a processor is free (report.WriteAll runs
// it as one of its jobs). Open's promise, that a damaged file is refused
// before anything is written into it or made from it, still holds:
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

// Checked runs the integrity check that OpenDeferred left for later, or
// waits for the run already started, and returns its result: nil, or an
// error wrapping ErrDamaged. For a store from Open, whose check ran before
// Open returned, it returns nil at once.
func (s *Store) Checked(ctx context.Context) error {
	c := s.check
	if c == nil {
		return nil
	}
	c.start.Do(func() {
		go func() {
			defer close(c.done)
			c.err = s.checkPages(c.ctx, c.pragma)
		}()
	})
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pendingCheck is the integrity check of a store from OpenDeferred.
type pendingCheck struct {
	pragma   string
	start    stdsync.Once
	done     chan struct{}
	err      error
	ctx      context.Context
	cancel   context.CancelFunc
	stopOnce stdsync.Once
}

// errClosedUnchecked answers Checked on a store closed before its check
// ran: nothing read from it may be handed on.
var errClosedUnchecked = errors.New("store: closed before its integrity check ran")

func (s *Store) postponeCheck(pragma string) {
	ctx, cancel := context.WithCancel(context.Background())
	s.check = &pendingCheck{pragma: pragma, done: make(chan struct{}), ctx: ctx, cancel: cancel}
}

// stop ends a check still running, for Close.
func (c *pendingCheck) stop() {
	if c == nil {
		return
	}
	c.stopOnce.Do(func() {
		c.cancel()
		c.start.Do(func() {
			c.err = errClosedUnchecked
			close(c.done)
		})
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
	applied, err := s.appliedMigrations(ctx)
	if err != nil || len(applied) != len(all) {
		return false
	}
	for _, m := range all {
		if !applied[m.version] {
			return false
		}
	}
	return true
}
