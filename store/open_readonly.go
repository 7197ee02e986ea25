package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// ErrNeedsUpgrade is a read-only folder whose database an older danvan
// wrote: bringing it up to date would write, and the folder cannot be
// written.
var ErrNeedsUpgrade = &codedError{msg: "store: the read-only database needs an upgrade this version cannot write", code: "read_only_old"}

// OpenReadOnly opens a data folder that cannot be written (a
// write-protected USB stick, a read-only share, a folder the user may only
// read) for reading: reports, lists, checks. It takes no lock and writes
// nothing, not even SQLite's shared-memory file: the database is opened
// immutable, as the file on the stick is. So it must have been closed
// cleanly by danvan (a write-ahead log left beside it is refused as
// damaged rather than read without its last changes) and be up to date
// with this version's migrations.
func OpenReadOnly(ctx context.Context, dir string) (*Store, error) {
	path := filepath.Join(dir, DBFile)
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, ErrNotSetUp
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrReadOnly, err)
	case fi.Size() == 0:
		return nil, fmt.Errorf("%w: %s is empty (0 bytes)", ErrDamaged, DBFile)
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil, fmt.Errorf("%w: %s-wal holds changes that were never written into %s (danvan was not closed); copy the folder to a writable place and open it there", ErrDamaged, DBFile, DBFile)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &Store{db: db, dir: dir, readOnly: true, Now: func() time.Time { return time.Now().UTC() }}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, classify(err)
	}
	if !s.upToDate(ctx) {
		var newest int
		if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
			db.Close()
			return nil, classify(err)
		}
		db.Close()
		if all, err := migrations(); err == nil && len(all) > 0 && newest > all[len(all)-1].version {
			return nil, ErrTooNew
		}
		return nil, ErrNeedsUpgrade
	}
	if err := s.checkPages(ctx, s.openCheck(path)); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// ReadOnly says whether the store was opened with OpenReadOnly: nothing
// can be written, and what would record itself (an export's audit row)
// cannot.
func (s *Store) ReadOnly() bool { return s.readOnly }
