package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func userNames(t *testing.T, s *Store) []string {
	t.Helper()
	users, err := s.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	sort.Strings(out)
	return out
}

func TestRestoreBringsBackKnownState(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	if _, err := s.AddUser(ctx, head, NewUser{Username: "canbo1", FullName: "Một", Password: "12345678"}, RoleOfficer); err != nil {
		t.Fatal(err)
	}
	set, _ := s.Settings(ctx)
	set.PlaceName = "Suối Hoa"
	if err := s.SaveSettings(ctx, head, set); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), s.BackupName(ctx))
	if err := s.BackupTo(ctx, head, backup); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupTo(ctx, head, backup); err == nil {
		t.Error("BackupTo overwrote an existing file")
	}
	// Change things after the backup.
	if _, err := s.AddUser(ctx, head, NewUser{Username: "canbo2", FullName: "Hai", Password: "12345678"}, RoleOfficer); err != nil {
		t.Fatal(err)
	}
	set.PlaceName = "Mãn Đức"
	if err := s.SaveSettings(ctx, head, set); err != nil {
		t.Fatal(err)
	}

	if _, err := s.Restore(ctx, head, backup); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got, want := fmt.Sprint(userNames(t, s)), "[canbo1 chutich]"; got != want {
		t.Errorf("users after restore = %s, want %s", got, want)
	}
	if got, _ := s.Settings(ctx); got.PlaceName != "Suối Hoa" {
		t.Errorf("place after restore = %q, want Suối Hoa", got.PlaceName)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	log, _ := s.AuditLog(ctx, AuditFilter{Action: ActionRestore})
	if len(log) != 1 || log[0].UserName != "chutich" {
		t.Errorf("restore audit = %+v", log)
	}
	// The state before the restore was kept and can be restored in turn.
	snaps, _ := Snapshots(s.Dir())
	var before string
	for _, sn := range snaps {
		if sn.Reason == SnapshotRestore {
			before = sn.Path
		}
	}
	if before == "" {
		t.Fatalf("no pre-restore snapshot in %+v", snaps)
	}
	if _, err := s.Restore(ctx, head, before); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(userNames(t, s)), "[canbo1 canbo2 chutich]"; got != want {
		t.Errorf("users after undoing the restore = %s, want %s", got, want)
	}
	// The store keeps working, and the data survives reopening.
	if _, err := s.AddUser(ctx, head, NewUser{Username: "canbo3", FullName: "Ba", Password: "12345678"}, RoleOfficer); err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	s.Close()
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, want := fmt.Sprint(userNames(t, s2)), "[canbo1 canbo2 canbo3 chutich]"; got != want {
		t.Errorf("users after reopening = %s, want %s", got, want)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	junk := make([]byte, 8192)
	for i := range junk {
		junk[i] = byte(i*31 + 7)
	}
	other := func() string {
		o := mustOpenStore(t)
		st := domain.DefaultSettings()
		st.CollectorName = "Huyện"
		if _, err := o.Setup(ctx, SetupInput{Office: domain.Office{Code: "PV", Name: "Phú Vinh", Kind: domain.KindXa, Role: domain.RoleCommune}, Settings: st}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "pv.db")
		if err := o.BackupTo(ctx, System, p); err != nil {
			t.Fatal(err)
		}
		return p
	}()
	plain := func() string {
		p := filepath.Join(dir, "plain.db")
		db, err := sql.Open("sqlite", "file:"+p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE x(a)`); err != nil {
			t.Fatal(err)
		}
		return p
	}()
	good := filepath.Join(dir, "good.db")
	if err := s.BackupTo(ctx, head, good); err != nil {
		t.Fatal(err)
	}
	truncated := func() string {
		b, _ := os.ReadFile(good)
		return write("truncated.db", b[:len(b)/2])
	}()
	officer := Actor{UserID: "x", Name: "canbo", Role: RoleOfficer}
	tests := []struct {
		name  string
		actor Actor
		path  string
		want  error
		code  string
	}{
		{"officer", officer, good, ErrForbidden, "forbidden.restore"},
		{"missing file", head, filepath.Join(dir, "none.db"), ErrBadBackup, "backup_unreadable"},
		{"empty file", head, write("empty.db", nil), ErrBadBackup, "backup_not_db"},
		{"random bytes", head, write("junk.db", junk), ErrBadBackup, "backup_not_db"},
		{"text file", head, write("notes.txt", []byte("Sổ ghi chép\n")), ErrBadBackup, "backup_not_db"},
		{"truncated", head, truncated, ErrBadBackup, "backup_damaged"},
		{"another program's database", head, plain, ErrBadBackup, "backup_not_danvan"},
		{"another office", head, other, ErrBadBackup, "backup_other_office"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := userNames(t, s)
			snapsBefore, _ := Snapshots(s.Dir())
			_, err := s.Restore(ctx, tt.actor, tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			var c domain.Coded
			if !errors.As(err, &c) {
				t.Fatalf("error %v carries no message code", err)
			}
			if code, _ := c.MessageCode(); code != tt.code {
				t.Errorf("code = %q, want %q", code, tt.code)
			}
			if got := userNames(t, s); fmt.Sprint(got) != fmt.Sprint(before) {
				t.Errorf("users changed: %v → %v", before, got)
			}
			if snapsAfter, _ := Snapshots(s.Dir()); len(snapsAfter) != len(snapsBefore) {
				t.Errorf("a refused restore took a snapshot")
			}
		})
	}
}

func TestDailySnapshotOncePerDay(t *testing.T) {
	s, _ := mustSetUpHead(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.Local)
	s.Now = func() time.Time { return now }
	p, err := s.DailySnapshot(ctx)
	if err != nil || p == "" {
		t.Fatalf("first DailySnapshot = %q, %v", p, err)
	}
	if _, err := CheckBackup(ctx, p); err != nil {
		t.Errorf("the daily snapshot does not pass the check: %v", err)
	}
	now = now.Add(3 * time.Hour)
	if p, err := s.DailySnapshot(ctx); err != nil || p != "" {
		t.Errorf("second DailySnapshot the same day = %q, %v; want none", p, err)
	}
	now = now.Add(24 * time.Hour)
	if p, err := s.DailySnapshot(ctx); err != nil || p == "" {
		t.Errorf("DailySnapshot the next day = %q, %v", p, err)
	}
	list, _ := Snapshots(s.Dir())
	if len(list) != 2 || list[0].Reason != SnapshotDaily || !list[0].Time.After(list[1].Time) {
		t.Errorf("snapshots = %+v", list)
	}
}

func TestPruneKeeps14DailyAnd12Monthly(t *testing.T) {
	dataDir := t.TempDir()
	dir := filepath.Join(dataDir, BackupDir)
	os.MkdirAll(dir, 0o700)
	start := time.Date(2025, 1, 1, 7, 30, 0, 0, time.Local)
	var names []string
	for d := 0; d < 500; d += 1 { // one daily snapshot a day for 500 days
		name := fmt.Sprintf("danvan-%s-daily.db", start.AddDate(0, 0, d).Format(snapTimeLayout))
		names = append(names, name)
	}
	for i := 0; i < 20; i++ {
		names = append(names, fmt.Sprintf("danvan-%s-import.db", start.Add(time.Duration(i)*time.Hour).Format(snapTimeLayout)))
	}
	names = append(names, "ghi-chu.txt")
	for _, n := range names {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	if err := PruneSnapshots(dataDir); err != nil {
		t.Fatal(err)
	}
	list, _ := Snapshots(dataDir)
	var daily, imports int
	months := map[string]bool{}
	for _, sn := range list {
		switch sn.Reason {
		case SnapshotDaily:
			daily++
			months[sn.Time.Format("200601")] = true
		case SnapshotImport:
			imports++
		}
	}
	last := start.AddDate(0, 0, 499)
	// 14 days, plus month-ends of the 11 earlier months (the current
	// month's newest is already among the 14 days).
	if daily != 14+11 {
		t.Errorf("%d daily snapshots kept, want 25", daily)
	}
	if len(months) != 12 {
		t.Errorf("daily snapshots span %d months, want 12", len(months))
	}
	if list[0].Time.Format("20060102") != last.Format("20060102") {
		t.Errorf("newest kept = %v, want %v", list[0].Time, last)
	}
	if imports != keepOther {
		t.Errorf("%d import snapshots kept, want %d", imports, keepOther)
	}
	if _, err := os.Stat(filepath.Join(dir, "ghi-chu.txt")); err != nil {
		t.Error("pruning removed a file that is not a snapshot")
	}
}

func TestSnapshotBeforeMigration(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// A folder written by a danvan that knew only the first migration.
	db, err := sql.Open("sqlite", dsn(filepath.Join(dir, DBFile)))
	if err != nil {
		t.Fatal(err)
	}
	all, _ := migrations()
	_, err = db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);` +
		all[0].sql + `; INSERT INTO schema_migrations VALUES (1, '` + all[0].name + `', '2025-01-01T00:00:00.000000Z')`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, _ := Snapshots(dir)
	if len(list) != 1 || list[0].Reason != SnapshotMigrate {
		t.Fatalf("snapshots = %+v, want one before the migration", list)
	}
	info, err := CheckBackup(ctx, list[0].Path)
	if err != nil || info.Schema != 1 {
		t.Errorf("pre-migration snapshot: schema %d, %v; want 1", info.Schema, err)
	}
	// A fresh folder has nothing to save: no snapshot.
	fresh := mustOpenStore(t)
	if l, _ := Snapshots(fresh.Dir()); len(l) != 0 {
		t.Errorf("a new folder got snapshots %+v", l)
	}
}

func TestRecoverDamagedDatabaseFromNewestGoodSnapshot(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.Local)
	s.Now = func() time.Time { return now }
	if _, err := s.AddUser(ctx, head, NewUser{Username: "canbo1", FullName: "Một", Password: "12345678"}, RoleOfficer); err != nil {
		t.Fatal(err)
	}
	good, err := s.Snapshot(ctx, SnapshotDaily)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	bad, err := s.Snapshot(ctx, SnapshotManual)
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	s.Close()
	// The newest snapshot and the database itself are damaged.
	for _, p := range []string{bad, filepath.Join(dir, DBFile)} {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		junk := make([]byte, 4096)
		for i := range junk {
			junk[i] = 0xA5
		}
		f.WriteAt(junk, 4096)
		f.WriteAt(junk[:100], 0)
		f.Close()
	}
	if _, err := Open(ctx, dir); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open = %v, want ErrDamaged", err)
	}
	sn, err := NewestGoodSnapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if sn.Path != good {
		t.Fatalf("NewestGoodSnapshot = %s, want %s (the newer one is damaged)", sn.Path, good)
	}
	aside, err := RecoverFromSnapshot(ctx, dir, sn.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(aside); err != nil {
		t.Errorf("the damaged file was not kept: %v", err)
	}
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("Open after recovery: %v", err)
	}
	defer s2.Close()
	if got := fmt.Sprint(userNames(t, s2)); got != "[canbo1 chutich]" {
		t.Errorf("users after recovery = %s", got)
	}
	if _, err := NewestGoodSnapshot(ctx, t.TempDir()); !errors.Is(err, ErrNotFound) {
		t.Errorf("NewestGoodSnapshot on an empty folder = %v, want ErrNotFound", err)
	}
}

func TestSnapshotBeforeCoalescesASitting(t *testing.T) {
	s, _ := mustSetUpHead(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.Local)
	s.Now = func() time.Time { return now }
	p, err := s.SnapshotBefore(ctx, SnapshotImport, 10*time.Minute)
	if err != nil || p == "" {
		t.Fatalf("first = %q, %v", p, err)
	}
	now = now.Add(5 * time.Minute)
	if p, err := s.SnapshotBefore(ctx, SnapshotImport, 10*time.Minute); err != nil || p != "" {
		t.Errorf("5 minutes later = %q, %v; want none", p, err)
	}
	now = now.Add(6 * time.Minute)
	if p, err := s.SnapshotBefore(ctx, SnapshotImport, 10*time.Minute); err != nil || p == "" {
		t.Errorf("11 minutes later = %q, %v; want a new snapshot", p, err)
	}
}
