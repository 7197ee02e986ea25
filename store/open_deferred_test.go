package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// damagedIndexFolder is a set-up data folder whose file opens (its header,
// pragmas and migrations table read fine) but fails the integrity check:
// the models' name index has lost an entry that its table still holds, as
// a file edited behind SQLite's back would.
func damagedIndexFolder(t *testing.T) string {
	t.Helper()
	s, _ := mustSetUp(t)
	ctx := context.Background()
	for _, name := range []string{"Nuôi cá lồng", "Trồng khoai lang", "Camera an ninh"} {
		if _, err := s.SaveModel(ctx, System, domain.Model{Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy, Year: 2024, Body: domain.BodyFarmers, Location: "Xóm Bưng", PersonName: "Bùi Văn Thắng", Content: "Nội dung", Tasks: "Việc"}); err != nil {
			t.Fatalf("SaveModel: %v", err)
		}
	}
	dir := s.Dir()
	s.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var index, table string
	if err := db.QueryRow(`SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'models' AND sql IS NOT NULL LIMIT 1`).Scan(&index, &table); err != nil {
		t.Fatalf("no index on models: %v", err)
	}
	// With writable_schema the index is swapped for one on a different
	// column: the table's rows no longer match their index entries.
	for _, q := range []string{
		`PRAGMA writable_schema = ON`,
		`UPDATE sqlite_schema SET sql = 'CREATE INDEX ` + index + ` ON ` + table + `(id DESC)' WHERE name = '` + index + `'`,
		`PRAGMA writable_schema = OFF`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return dir
}

func TestOpenDeferred(t *testing.T) {
	ctx := context.Background()
	t.Run("a sound file", func(t *testing.T) {
		s, _ := mustSetUp(t)
		dir := s.Dir()
		s.Close()
		d, err := OpenDeferred(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if _, err := d.SelfOffice(ctx); err != nil {
			t.Errorf("read while checking: %v", err)
		}
		if err := d.Checked(ctx); err != nil {
			t.Errorf("Checked = %v", err)
		}
		if _, err := d.SaveModel(ctx, System, domain.Model{Kind: domain.KindModel, Name: "Đường hoa", Field: domain.FieldCulture, Year: 2024, Body: domain.BodyWomen, Location: "Xóm Mới", PersonName: "Đinh Thị Hoa", Content: "Trồng hoa", Tasks: "Chăm hoa"}); err != nil {
			t.Errorf("write after the check: %v", err)
		}
	})
	t.Run("a damaged file", func(t *testing.T) {
		dir := damagedIndexFolder(t)
		before, _ := os.ReadFile(filepath.Join(dir, DBFile))
		if _, err := Open(ctx, dir); !errors.Is(err, ErrDamaged) {
			t.Fatalf("Open = %v, want ErrDamaged: the test file is not damaged the way it should be", err)
		}
		// The header and the migrations table read fine, so the open
		// returns and the damage is found by the check running behind it.
		d, err := OpenDeferred(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.Checked(ctx); !errors.Is(err, ErrDamaged) {
			t.Errorf("Checked = %v, want ErrDamaged", err)
		}
		if _, err := d.SaveModel(ctx, System, domain.Model{Kind: domain.KindModel, Name: "Đường hoa", Field: domain.FieldCulture, Year: 2024, Body: domain.BodyWomen, Location: "Xóm Mới", PersonName: "Đinh Thị Hoa", Content: "Trồng hoa", Tasks: "Chăm hoa"}); !errors.Is(err, ErrDamaged) {
			t.Errorf("write into a damaged file: %v, want ErrDamaged", err)
		}
		if _, err := d.Snapshot(ctx, SnapshotDaily); !errors.Is(err, ErrDamaged) {
			t.Errorf("snapshot of a damaged file: %v, want ErrDamaged", err)
		}
		d.Close()
		after, _ := os.ReadFile(filepath.Join(dir, DBFile))
		if string(before) != string(after) {
			t.Error("the damaged file was changed")
		}
	})
	t.Run("closed before the check", func(t *testing.T) {
		s, _ := mustSetUp(t)
		dir := s.Dir()
		s.Close()
		d, err := OpenDeferred(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
		if err := d.Checked(ctx); err == nil {
			t.Error("Checked on a store closed before its check passed")
		}
		if _, err := Open(ctx, dir); err != nil {
			t.Errorf("open after a close before the check: %v", err)
		}
	})
	t.Run("a store from Open is checked", func(t *testing.T) {
		s := mustOpenStore(t)
		if err := s.Checked(ctx); err != nil {
			t.Errorf("Checked = %v", err)
		}
	})
}
