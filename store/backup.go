package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// BackupDir is the folder inside the data folder that holds snapshots.
const BackupDir = "backups"

// Snapshot reasons, written into the file name.
const (
	SnapshotDaily   = "daily"   // the first start of each day
	SnapshotMigrate = "migrate" // before the database's layout is upgraded
	SnapshotRestore = "restore" // before a backup replaces the data
	SnapshotImport  = "import"  // before a batch is imported
	SnapshotManual  = "manual"  // asked for by a person (danvan backup)
)

// Retention: daily snapshots of the last 14 days plus the newest one of each
// of the last 12 months; of every other reason, the newest 14.
const (
	keepDaily   = 14
	keepMonthly = 12
	keepOther   = 14
)

// SnapshotInfo is one file in the backups folder.
type SnapshotInfo struct {
	Path   string
	Time   time.Time // local time the snapshot was taken
	Reason string
	Size   int64
}

const snapTimeLayout = "20060102-150405"

var reasonRE = regexp.MustCompile(`^[a-z]+$`)

var snapNameRE = regexp.MustCompile(`^danvan-(\d{8}-\d{6})(?:-(\d+))?-([a-z]+)\.db$`)

// Snapshot writes a consistent copy of the database into the backups folder
// with VACUUM INTO and prunes old snapshots. It returns the new file's path.
// Other work may go on while it runs: VACUUM INTO reads one transaction's
// view of the data.
func (s *Store) Snapshot(ctx context.Context, reason string) (string, error) {
	return s.snapshot(ctx, System, reason)
}

// SnapshotBefore takes a snapshot before a risky change (reason
// SnapshotImport before a batch is applied) unless one with the same
// reason was taken within the last `within`, so that importing sixteen
// batches in one sitting keeps one copy of the data from before the
// sitting rather than sixteen. It returns the path, or "" when a recent
// snapshot already covers the change.
func (s *Store) SnapshotBefore(ctx context.Context, reason string, within time.Duration) (string, error) {
	list, err := Snapshots(s.dir)
	if err != nil {
		return "", err
	}
	now := s.now().Local()
	for _, sn := range list {
		if sn.Reason == reason && now.Sub(sn.Time) < within && !sn.Time.After(now.Add(time.Second)) {
			return "", nil
		}
	}
	return s.Snapshot(ctx, reason)
}

// BackupNow takes a snapshot into the backups folder on a person's request
// ("danvan backup" without --out). Any user may back up.
func (s *Store) BackupNow(ctx context.Context, actor Actor) (string, error) {
	return s.snapshot(ctx, actor, SnapshotManual)
}

func (s *Store) snapshot(ctx context.Context, actor Actor, reason string) (string, error) {
	if !reasonRE.MatchString(reason) {
		return "", fmt.Errorf("store: bad snapshot reason %q", reason)
	}
	dir := filepath.Join(s.dir, BackupDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	stamp := s.now().Local().Format(snapTimeLayout)
	path := filepath.Join(dir, fmt.Sprintf("danvan-%s-%s.db", stamp, reason))
	for n := 2; fileExists(path); n++ {
		path = filepath.Join(dir, fmt.Sprintf("danvan-%s-%d-%s.db", stamp, n, reason))
	}
	if err := s.vacuumInto(ctx, path); err != nil {
		return "", err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actor, ActionBackup, "backup", filepath.Base(path), nil, map[string]string{"reason": reason})
	})
	if err != nil {
		return path, err
	}
	return path, PruneSnapshots(s.dir)
}

// DailySnapshot takes the day's snapshot if none was taken today (local
// time). It returns the path, or "" when today's snapshot already exists.
// The window and the command line call it once after opening the store.
func (s *Store) DailySnapshot(ctx context.Context) (string, error) {
	list, err := Snapshots(s.dir)
	if err != nil {
		return "", err
	}
	today := s.now().Local().Format("20060102")
	for _, sn := range list {
		if sn.Reason == SnapshotDaily && sn.Time.Format("20060102") == today {
			return "", nil
		}
	}
	return s.Snapshot(ctx, SnapshotDaily)
}

// BackupTo writes a copy of the database to path, a file that must not
// exist yet, e.g. on a USB stick ("Sao lưu ngay"). Any user may back up.
func (s *Store) BackupTo(ctx context.Context, actor Actor, path string) error {
	// A copy carried out of the office holds every name and phone number:
	// the head's to take, as a restore is. The daily snapshots inside the
	// data folder (BackupNow) are anyone's.
	if err := actor.require(PermRestore); err != nil {
		return err
	}
	if fileExists(path) {
		return &backupError{code: "backup_exists", args: map[string]any{"File": path}}
	}
	if err := s.vacuumInto(ctx, path); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actor, ActionBackup, "backup", filepath.Base(path), nil, map[string]string{"to": path})
	})
}

// BackupName suggests a file name for a backup of this office taken now:
// danvan-<CODE>-<yyyymmdd>-<hhmmss>.db.
func (s *Store) BackupName(ctx context.Context) string {
	code := "danvan"
	if o, err := s.SelfOffice(ctx); err == nil {
		code = o.Code
	}
	return fmt.Sprintf("danvan-%s-%s.db", code, s.now().Local().Format(snapTimeLayout))
}

// vacuumInto writes the copy under a temporary name and renames it only once
// it is complete and on disk, so that a power cut never leaves a half
// snapshot that looks whole.
func (s *Store) vacuumInto(ctx context.Context, path string) error {
	// A copy of a damaged file must not replace a good snapshot.
	if err := s.Checked(ctx); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	os.Remove(tmp)
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return classifyBackup(err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return classifyBackup(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return classifyBackup(err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// classifyBackup turns a failed write of a copy into the store's kinds; a
// folder that cannot be written is reported as such.
func classifyBackup(err error) error {
	err = classify(err)
	if errors.Is(err, ErrDiskFull) || errors.Is(err, ErrReadOnly) {
		return err
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unable to open"), strings.Contains(msg, "read-only"), strings.Contains(msg, "readonly"):
		return fmt.Errorf("%w: %v", ErrReadOnly, err)
	case strings.Contains(msg, "full"), strings.Contains(msg, "no space"):
		return fmt.Errorf("%w: %v", ErrDiskFull, err)
	}
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable. Some systems cannot sync a folder; the
// rename is then as durable as they allow, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// Snapshots lists the snapshots in dataDir's backups folder, newest first.
// Files that are not snapshots are ignored.
func Snapshots(dataDir string) ([]SnapshotInfo, error) {
	dir := filepath.Join(dataDir, BackupDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []SnapshotInfo
	for _, e := range entries {
		m := snapNameRE.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		t, err := time.ParseInLocation(snapTimeLayout, m[1], time.Local)
		if err != nil {
			continue
		}
		seq := 1
		if m[2] != "" {
			seq, _ = strconv.Atoi(m[2])
		}
		t = t.Add(time.Duration(seq-1) * time.Microsecond) // keeps same-second snapshots in order
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, SnapshotInfo{Path: filepath.Join(dir, e.Name()), Time: t, Reason: m[3], Size: info.Size()})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// PruneSnapshots removes the snapshots the retention rule no longer keeps.
func PruneSnapshots(dataDir string) error {
	list, err := Snapshots(dataDir)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	perReason := map[string]int{}
	days, months := map[string]bool{}, map[string]bool{}
	for _, sn := range list { // newest first
		if sn.Reason != SnapshotDaily {
			if perReason[sn.Reason] < keepOther {
				keep[sn.Path] = true
			}
			perReason[sn.Reason]++
			continue
		}
		day, month := sn.Time.Format("20060102"), sn.Time.Format("200601")
		if !days[day] && len(days) < keepDaily {
			keep[sn.Path] = true
		}
		days[day] = true
		if !months[month] && len(months) < keepMonthly {
			keep[sn.Path] = true
		}
		months[month] = true
	}
	var first error
	for _, sn := range list {
		if !keep[sn.Path] {
			if err := os.Remove(sn.Path); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

type backupError struct {
	code string
	args map[string]any
}

func (e *backupError) Error() string                         { return "store: backup: " + e.code }
func (e *backupError) MessageCode() (string, map[string]any) { return e.code, e.args }
