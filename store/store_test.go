package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// mustOpenStore opens a fresh store in a temporary folder and closes it when
// the test ends.
func mustOpenStore(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustSetUp opens a store and sets up a commune office in it.
func mustSetUp(tb testing.TB) (*Store, domain.Office) {
	tb.Helper()
	s := mustOpenStore(tb)
	st := domain.DefaultSettings()
	st.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
	o, err := s.Setup(context.Background(), SetupInput{
		Office:   domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: st,
	})
	if err != nil {
		tb.Fatalf("Setup: %v", err)
	}
	return s, o
}

func TestOpenSetsPragmas(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	for _, tt := range []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"},
		{"busy_timeout", "5000"},
	} {
		// Every pooled connection must carry the pragmas, so ask several.
		for i := 0; i < 3; i++ {
			var got string
			if err := s.db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
			}
		}
	}
}

func TestMigrationsRecordedOnce(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		s, err := Open(ctx, dir)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		all, _ := migrations()
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if got, want := n, len(all); got != want {
			t.Errorf("open %d: %d migrations recorded, want %d", i, got, want)
		}
		s.Close()
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, _ := os.ReadFile(filepath.Join(dir, DBFile))
	if _, err := Open(context.Background(), dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want ErrLocked", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, DBFile))
	if string(before) != string(after) {
		t.Error("the second Open changed the database file")
	}
}

func TestDamagedFileIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	junk := make([]byte, 8192)
	for i := range junk {
		junk[i] = byte(i*7 + 13)
	}
	path := filepath.Join(dir, DBFile)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir)
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open on random bytes: error = %v, want ErrDamaged", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != string(junk) {
		t.Error("the damaged file was changed")
	}
}

func TestReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write anywhere; the read-only case is covered by the sweep with a read-only mount")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if _, err := Open(context.Background(), dir); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("error = %v, want ErrReadOnly", err)
	}
}

func TestFolderThatCannotBeCreated(t *testing.T) {
	// Root can write anywhere, so make the folder impossible instead: its
	// parent is a regular file.
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), filepath.Join(file, "danvan"))
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("error = %v, want ErrReadOnly", err)
	}
}

func TestSetup(t *testing.T) {
	s, o := mustSetUp(t)
	ctx := context.Background()
	got, err := s.SelfOffice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != o.ID || got.Code != "SH" || got.Name != "UBND xã Suối Hoa" || !got.Self {
		t.Errorf("SelfOffice = %+v", got)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.CutoffDay != 15 || st.Language != "vi" || st.CollectorName != "Ban Dân vận Huyện ủy Tân Lạc" {
		t.Errorf("Settings = %+v", st)
	}
	_, err = s.Setup(ctx, SetupInput{
		Office:   domain.Office{Code: "XX", Name: "Khác", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: st,
	})
	if !errors.Is(err, ErrAlreadySetUp) {
		t.Fatalf("second Setup error = %v, want ErrAlreadySetUp", err)
	}
	offices, _ := s.Offices(ctx)
	if len(offices) != 1 {
		t.Errorf("%d offices after a refused second set-up, want 1", len(offices))
	}
}

func TestSetupValidation(t *testing.T) {
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'a'
	}
	base := func() SetupInput {
		st := domain.DefaultSettings()
		st.CollectorName = "Ban Dân vận"
		return SetupInput{Office: domain.Office{Code: "SH", Name: "Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune}, Settings: st}
	}
	tests := []struct {
		name   string
		change func(*SetupInput)
		field  string
		code   string
	}{
		{"empty name", func(in *SetupInput) { in.Office.Name = "  " }, "office_name", "required"},
		{"long name", func(in *SetupInput) { in.Office.Name = string(long) }, "office_name", "too_long"},
		{"control char", func(in *SetupInput) { in.Office.Name = "a\x01b" }, "office_name", "control_chars"},
		{"empty code", func(in *SetupInput) { in.Office.Code = "" }, "office_code", "required"},
		{"bad code", func(in *SetupInput) { in.Office.Code = "S H!" }, "office_code", "code_chars"},
		{"bad kind", func(in *SetupInput) { in.Office.Kind = "thon" }, "office_kind", "invalid_choice"},
		{"bad role", func(in *SetupInput) { in.Office.Role = "boss" }, "office_role", "invalid_choice"},
		{"no collector", func(in *SetupInput) { in.Settings.CollectorName = "" }, "collector_name", "required"},
		{"bad language", func(in *SetupInput) { in.Settings.Language = "fr" }, "language", "invalid_choice"},
		{"cut-off 0", func(in *SetupInput) { in.Settings.CutoffDay = 0 }, "cutoff_day", "out_of_range"},
		{"cut-off 31", func(in *SetupInput) { in.Settings.CutoffDay = 31 }, "cutoff_day", "out_of_range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpenStore(t)
			in := base()
			tt.change(&in)
			_, err := s.Setup(context.Background(), in)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a domain.ValidationError", err)
			}
			fe, ok := ve.For(tt.field)
			if !ok || fe.Code != tt.code {
				t.Errorf("problems = %v, want %s: %s", ve.Fields, tt.field, tt.code)
			}
			if ok, _ := s.IsSetUp(context.Background()); ok {
				t.Error("a refused set-up stored an office")
			}
		})
	}
}

func TestSetupStoresNFCAndUpperCode(t *testing.T) {
	s := mustOpenStore(t)
	st := domain.DefaultSettings()
	st.CollectorName = "Ban Da\u0302n va\u0302\u0323n" // decomposed
	o, err := s.Setup(context.Background(), SetupInput{
		Office:   domain.Office{Code: "sh", Name: "UBND xa\u0303 Suo\u0302\u0301i Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: st,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := o.Name, "UBND xã Suối Hoa"; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
	if got, want := o.Code, "SH"; got != want {
		t.Errorf("code = %q, want %q", got, want)
	}
	got, _ := s.Settings(context.Background())
	if got.CollectorName != "Ban Dân vận" {
		t.Errorf("collector = %q, not NFC", got.CollectorName)
	}
}

func TestRoles(t *testing.T) {
	s, _ := mustSetUp(t)
	officer := Actor{Name: "canbo", Role: RoleOfficer}
	st, _ := s.Settings(context.Background())
	if err := s.SaveSettings(context.Background(), officer, st); !errors.Is(err, ErrForbidden) {
		t.Errorf("officer SaveSettings error = %v, want ErrForbidden", err)
	}
	for _, p := range []Permission{PermClosePeriod, PermSign, PermEnroll, PermUsers, PermRestore} {
		if officer.Can(p) {
			t.Errorf("officer can %s", p)
		}
	}
	if !officer.Can(PermEdit) {
		t.Error("officer cannot edit")
	}
}

// A 0-byte danvan.db beside an office's backups is damaged, not new: it is
// not set up again as another office.
func TestEmptyDatabaseOfAUsedFolderIsDamaged(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Setup(context.Background(), SetupInput{Office: domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: func() domain.Settings { st := domain.DefaultSettings(); st.CollectorName = "Ban"; return st }()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BackupNow(context.Background(), System); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, f := range []string{DBFile, DBFile + "-wal", DBFile + "-shm"} {
		os.Remove(filepath.Join(dir, f))
	}
	if err := os.WriteFile(filepath.Join(dir, DBFile), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), dir); !errors.Is(err, ErrDamaged) {
		t.Fatalf("open: %v, want ErrDamaged", err)
	}
	// A new folder whose first open left an empty file is still new.
	fresh := t.TempDir()
	os.WriteFile(filepath.Join(fresh, DBFile), nil, 0o600)
	s, err = Open(context.Background(), fresh)
	if err != nil {
		t.Fatalf("a new folder: %v", err)
	}
	s.Close()
}
