package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DBFile is the database's name inside the data folder.
const DBFile = "danvan.db"

const lockName = "danvan.lock"

// Store is an open data folder: the database, its lock, and the clock.
type Store struct {
	db        *sql.DB
	dir       string
	lock      *os.File
	closeOnce stdsync.Once
	check     *pendingCheck // the integrity check OpenDeferred left for later; nil once Open has checked
	readOnly  bool          // opened by OpenReadOnly: nothing is written

	// Now is the store's clock. Tests and the benchmark generator replace it
	// so that results are reproducible.
	Now func() time.Time
}

// Dir is the data folder the store was opened on.
func (s *Store) Dir() string { return s.dir }

// Path is the database file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, DBFile) }

// dsn sets every connection's pragmas in one place. modernc applies
// _pragma parameters on each new pooled connection.
func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{
		"foreign_keys(1)",
		"busy_timeout(5000)",
		"journal_mode(wal)",
		"synchronous(full)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Open opens (creating if needed) the data folder dir. It takes the folder's
// lock, so that a second danvan on the same folder gets ErrLocked and touches
// nothing; checks the file's integrity, refusing a damaged file with
// ErrDamaged rather than overwriting it; and applies pending migrations.
func Open(ctx context.Context, dir string) (*Store, error) {
	return openStore(ctx, dir, false)
}

// usedFolder says whether dir holds what only a set-up office writes.
func usedFolder(dir string) bool {
	for _, sub := range []string{"backups", "outbox", "receipts", "quarantine"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

func openStore(ctx context.Context, dir string, deferCheck bool) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	lf, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	if err := lockFile(lf); err != nil {
		lf.Close()
		if errors.Is(err, ErrLocked) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock %s: %w", lockName, err)
	}
	s := &Store{dir: dir, lock: lf, Now: func() time.Time { return time.Now().UTC() }}
	if err := s.open(ctx, deferCheck); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, deferCheck bool) error {
	path := s.Path()
	if err := checkWritable(s.dir, path); err != nil {
		return err
	}
	// An empty database file beside the folders a used office has (a disk
	// that filled up, a copy cut short) is a damaged office, not a new one:
	// opening it as new would set up a second office with a new id beside
	// the old outbox and backups. It is refused, and the window offers the
	// newest snapshot.
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 && usedFolder(s.dir) {
		return fmt.Errorf("%w: %s is empty (0 bytes) in a folder that holds an office's files", ErrDamaged, DBFile)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	s.db = db
	if err := s.checkPragmas(ctx); err != nil {
		return classify(err)
	}
	// A migration writes, so a file that needs one is checked first even
	// when the caller asked for the check to run alongside its reading.
	if deferCheck && s.upToDate(ctx) {
		s.postponeCheck(s.openCheck(path))
		return nil
	}
	if err := s.checkPages(ctx, s.openCheck(path)); err != nil {
		return err
	}
	return s.migrate(ctx)
}

// checkWritable refuses a folder or database file that cannot be written
// before SQLite gets a chance to half-open it.
func checkWritable(dir, path string) error {
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	return nil
}

// checkPragmas reads back what the DSN asked for; a driver that silently
// ignored a pragma would otherwise leave us without WAL or foreign keys.
func (s *Store) checkPragmas(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("store: journal_mode is %q, want wal", mode)
	}
	checks := []struct {
		pragma string
		want   int
	}{{"foreign_keys", 1}, {"synchronous", 2}, {"busy_timeout", 5000}}
	for _, c := range checks {
		var got int
		if err := conn.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			return err
		}
		if got != c.want {
			return fmt.Errorf("store: %s is %d, want %d", c.pragma, got, c.want)
		}
	}
	return nil
}

// fullCheckLimit is the database size up to which every open runs the full
// integrity_check. A commune's file stays far below it (a few MB after
// years of use), so every commune gets the full check. Above it, as at a
// collecting office holding many communes' records, the full check took
// 11–15 s on 287 MB before the window could show (docs/performance.md), so
// open runs quick_check instead: it still reads every page and checks the
// b-trees and records, which is what a power cut, a half-copied file or
// random bytes break. What it skips, that each index matches its table, the
// full check of every backup before a restore (CheckBackup) still covers.
const fullCheckLimit = 64 << 20

// openCheck chooses the check an open runs, by the file's size.
func (s *Store) openCheck(path string) string {
	if fi, err := os.Stat(path); err == nil && fi.Size() > fullCheckLimit {
		return "quick_check"
	}
	return "integrity_check"
}

func (s *Store) integrityCheck(ctx context.Context) error {
	return s.checkPages(ctx, "integrity_check")
}

// checkPages runs PRAGMA integrity_check or quick_check; any line but "ok"
// is damage.
func (s *Store) checkPages(ctx context.Context, pragma string) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classify(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrDamaged, strings.Join(problems, "; "))
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check on the open database.
func (s *Store) IntegrityCheck(ctx context.Context) error { return s.integrityCheck(ctx) }

// classify turns SQLite's result codes into the store's error kinds.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return fmt.Errorf("%w: %v", ErrReadOnly, err)
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("%w: %v", ErrDiskFull, err)
		case sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
	}
	return err
}

// ErrDiskFull is returned when the disk has no room left; nothing was saved.
var ErrDiskFull = errors.New("store: the disk is full")

// Close releases the database and the folder's lock.
//
// The database handle stays in place after Close, so that a query still
// running in a background goroutine gets "database is closed" as an error
// instead of a nil pointer.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.check.stop()
		if s.db != nil {
			err = s.db.Close()
		}
	})
	if s.lock != nil {
		unlockFile(s.lock)
		s.lock.Close()
		s.lock = nil
	}
	return err
}

// tx runs fn in one transaction and commits it, or rolls back on error.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%w: opened read-only", ErrReadOnly)
	}
	return s.txOn(ctx, s.db, fn)
}

// txOn is tx on a given connection (a *sql.Conn set up for the work) or on
// the pool (*sql.DB).
func (s *Store) txOn(ctx context.Context, on interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(*sql.Tx) error) error {
	if err := s.Checked(ctx); err != nil {
		return err
	}
	tx, err := on.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return classifyKeep(err)
	}
	return classify(tx.Commit())
}

// classifyKeep classifies SQLite errors but leaves the store's own errors
// (validation, not found, …) untouched.
func classifyKeep(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return classify(err)
	}
	return err
}

// now returns the store clock's time, in UTC, to the second's precision used
// in the database.
func (s *Store) now() time.Time { return s.Now().UTC() }

// timeFormat is how times are kept in TEXT columns: sortable and exact.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}
