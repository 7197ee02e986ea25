package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// BackupInfo describes a backup file that passed CheckBackup.
type BackupInfo struct {
	OfficeCode string // "" when the backup was taken before set-up
	OfficeName string
	Schema     int // highest migration applied in the backup
}

// ErrBadBackup is a file that is not a usable danvan backup.
var ErrBadBackup = errors.New("store: not a usable backup")

type badBackupError struct {
	code  string
	args  map[string]any
	cause error
}

func (e *badBackupError) Error() string {
	if e.cause != nil {
		return "store: bad backup: " + e.code + ": " + e.cause.Error()
	}
	return "store: bad backup: " + e.code
}
func (e *badBackupError) Unwrap() error                         { return ErrBadBackup }
func (e *badBackupError) MessageCode() (string, map[string]any) { return e.code, e.args }

func readOnlyDSN(path string) string {
	return "file:" + filepath.ToSlash(path) + "?" + url.Values{"mode": {"ro"}}.Encode()
}

// CheckBackup opens path read-only and checks that it is a whole danvan
// database: PRAGMA integrity_check says ok, it has our tables, and it was not
// written by a newer danvan. It never changes the file.
func CheckBackup(ctx context.Context, path string) (BackupInfo, error) {
	var info BackupInfo
	st, err := os.Stat(path)
	if err != nil {
		return info, &badBackupError{code: "backup_unreadable", args: map[string]any{"File": path}, cause: err}
	}
	if !st.Mode().IsRegular() || st.Size() == 0 {
		return info, &badBackupError{code: "backup_not_db", args: map[string]any{"File": path}}
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return info, &badBackupError{code: "backup_not_db", args: map[string]any{"File": path}, cause: err}
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		code := "backup_not_db"
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CORRUPT {
			code = "backup_damaged"
		}
		return info, &badBackupError{code: code, args: map[string]any{"File": path}, cause: err}
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return info, &badBackupError{code: "backup_damaged", args: map[string]any{"File": path}, cause: err}
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rerr := rows.Err()
	rows.Close()
	if rerr != nil || len(problems) > 0 {
		return info, &badBackupError{code: "backup_damaged", args: map[string]any{"File": path},
			cause: fmt.Errorf("%v %s", rerr, strings.Join(problems, "; "))}
	}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(max(version), 0) FROM schema_migrations`).Scan(&info.Schema); err != nil || info.Schema == 0 {
		return info, &badBackupError{code: "backup_not_danvan", args: map[string]any{"File": path}, cause: err}
	}
	all, err := migrations()
	if err != nil {
		return info, err
	}
	if info.Schema > all[len(all)-1].version {
		return info, &badBackupError{code: "backup_too_new", args: map[string]any{"File": path}}
	}
	err = db.QueryRowContext(ctx, `SELECT code, name FROM offices WHERE is_self = 1`).Scan(&info.OfficeCode, &info.OfficeName)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return info, &badBackupError{code: "backup_not_danvan", args: map[string]any{"File": path}, cause: err}
	}
	return info, nil
}

// Restore replaces the data with the backup at path. Only a head may. The
// backup is checked first; the current data is snapshotted before it is
// replaced, so a wrong restore can itself be undone. The copy goes through
// SQLite's online backup API inside one write transaction on the open
// database, so other readers never see a half-replaced file and the store
// stays open. A backup of another office is refused. The batches already
// sent that the backup does not know are kept (restore_chain.go), so the
// next batch continues the chain the collecting office holds. It returns
// the path of the snapshot of the data as it was before.
func (s *Store) Restore(ctx context.Context, actor Actor, path string) (before string, err error) {
	if err := actor.require(PermRestore); err != nil {
		return "", err
	}
	info, err := CheckBackup(ctx, path)
	if err != nil {
		return "", err
	}
	if self, err := s.SelfOffice(ctx); err == nil && info.OfficeCode != "" && info.OfficeCode != self.Code {
		return "", &badBackupError{code: "backup_other_office", args: map[string]any{"File": path, "Code": info.OfficeCode, "Self": self.Code}}
	}
	// Copy the file first: the backup API must read a file nobody changes
	// while it runs, and path may be on a USB stick that is pulled out.
	local, err := s.stageBackup(path)
	if err != nil {
		return "", err
	}
	defer os.Remove(local)
	held := sentRows(ctx, s.db)
	before, err = s.Snapshot(ctx, SnapshotRestore)
	if err != nil {
		return "", err
	}
	if err := s.restoreFrom(ctx, local); err != nil {
		return before, err
	}
	if err := s.integrityCheck(ctx); err != nil {
		return before, err
	}
	if err := s.migrate(ctx); err != nil {
		return before, err
	}
	return before, s.tx(ctx, func(tx *sql.Tx) error {
		kept, err := keepChain(ctx, tx, held)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionRestore, "backup", filepath.Base(path), nil,
			map[string]any{"from": path, "saved_before": filepath.Base(before), "kept_batches": kept})
	})
}

func (s *Store) stageBackup(path string) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", &badBackupError{code: "backup_unreadable", args: map[string]any{"File": path}, cause: err}
	}
	defer in.Close()
	out, err := os.CreateTemp(s.dir, ".restore-*.db")
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", classifyBackup(err)
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", classifyBackup(err)
	}
	return out.Name(), nil
}

type restorer interface {
	NewRestore(srcURI string) (*sqlite.Backup, error)
}

func (s *Store) restoreFrom(ctx context.Context, path string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		r, ok := dc.(restorer)
		if !ok {
			return fmt.Errorf("store: the SQLite driver cannot restore")
		}
		b, err := r.NewRestore(readOnlyDSN(path))
		if err != nil {
			return classify(err)
		}
		_, stepErr := b.Step(-1)
		finErr := b.Finish()
		if stepErr != nil {
			return classify(stepErr)
		}
		return classify(finErr)
	})
}

// NewestGoodSnapshot returns the newest snapshot in dataDir's backups folder
// that passes CheckBackup, for the start-up dialog that offers to recover a
// damaged database. It returns ErrNotFound when there is none.
func NewestGoodSnapshot(ctx context.Context, dataDir string) (SnapshotInfo, error) {
	list, err := Snapshots(dataDir)
	if err != nil {
		return SnapshotInfo{}, err
	}
	for _, sn := range list {
		if _, err := CheckBackup(ctx, sn.Path); err == nil {
			return sn, nil
		}
	}
	return SnapshotInfo{}, ErrNotFound
}

// RecoverFromSnapshot puts snapshot in place of dataDir's damaged database,
// which Open refused with ErrDamaged. The damaged file (and its WAL) is
// moved aside, never deleted, under a name that says when; that name is
// returned so the person can be told where it is. Call Open afterwards.
func RecoverFromSnapshot(ctx context.Context, dataDir, snapshot string) (string, error) {
	if _, err := CheckBackup(ctx, snapshot); err != nil {
		return "", err
	}
	lf, err := os.OpenFile(filepath.Join(dataDir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	defer lf.Close()
	if err := lockFile(lf); err != nil {
		return "", err
	}
	defer unlockFile(lf)
	db := filepath.Join(dataDir, DBFile)
	tmp := filepath.Join(dataDir, "."+DBFile+".recover")
	if err := copyFile(snapshot, tmp); err != nil {
		os.Remove(tmp)
		return "", classifyBackup(err)
	}
	aside := db + ".damaged-" + time.Now().Format(snapTimeLayout)
	for n := 2; fileExists(aside); n++ {
		aside = fmt.Sprintf("%s.damaged-%s-%d", db, time.Now().Format(snapTimeLayout), n)
	}
	// The WAL and shared-memory files belong to the damaged file: replayed
	// onto the snapshot they would damage it too, so they move with it.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(db+suffix, aside+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return "", fmt.Errorf("%w: %v", ErrReadOnly, err)
		}
	}
	if err := os.Rename(tmp, db); err != nil {
		return aside, fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	syncDir(dataDir)
	return aside, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
