package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
)

// safetyRun runs one command line in-process, as main would, and returns
// its exit code and output.
func safetyRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	inv, err := Parse(args)
	var out, errb bytes.Buffer
	if err != nil {
		inv.Stdout, inv.Stderr = &out, &errb
		return report(&inv.Env, err), out.String(), errb.String()
	}
	inv.Stdout, inv.Stderr = &out, &errb
	code := Run(context.Background(), inv)
	return code, out.String(), errb.String()
}

func writeSecret(t *testing.T, dir, name, secret string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// safetyInit sets up a commune folder with a head account "chutich" and
// returns the folder and the head's password file.
func safetyInit(t *testing.T) (dir, pwFile string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "data")
	pwFile = writeSecret(t, t.TempDir(), "head.txt", "mat-khau-lanh-dao")
	code, _, stderr := safetyRun(t, "--data", dir, "--lang", "en", "init", "--office-name", "UBND xã Suối Hoa", "--office-code", "SH",
		"--kind", "xa", "--role", "commune", "--collector-name", "Ban Dân vận", "--head-user", "chutich",
		"--head-name", "Nguyễn Văn An", "--password-file", pwFile)
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	return dir, pwFile
}

func TestInitWithHeadAndLogin(t *testing.T) {
	dir, pw := safetyInit(t)
	wrong := writeSecret(t, t.TempDir(), "wrong.txt", "sai-mat-khau")
	out := filepath.Join(t.TempDir(), "copy.db")
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		stderr  string // a part of the message
		created bool   // whether out must exist afterwards
	}{
		{"no login", nil, []string{"--data", dir, "--lang", "en", "backup", "--out", out}, ExitUsage, "log in with --user", false},
		{"user without password file", nil, []string{"--data", dir, "--lang", "en", "--user", "chutich", "backup", "--out", out}, ExitUsage, "log in with --user", false},
		{"wrong password", nil, []string{"--data", dir, "--lang", "en", "--user", "chutich", "--password-file", wrong, "backup", "--out", out}, ExitOther, "Wrong login name or password", false},
		{"unknown user", nil, []string{"--data", dir, "--lang", "en", "--user", "ai-do", "--password-file", pw, "backup", "--out", out}, ExitOther, "Wrong login name or password", false},
		{"missing password file", nil, []string{"--data", dir, "--lang", "en", "--user", "chutich", "--password-file", filepath.Join(dir, "none"), "backup", "--out", out}, ExitUsage, "Cannot read file", false},
		{"global flags", nil, []string{"--data", dir, "--lang", "en", "--user", "chutich", "--password-file", pw, "backup", "--out", out}, ExitOK, "", true},
		{"flags after the command", nil, []string{"--data", dir, "--lang", "en", "backup", "--out", out + "2", "--user=chutich", "--password-file", pw}, ExitOK, "", true},
		{"environment", map[string]string{envUser: "ChuTich", envPasswordFile: pw}, []string{"--data", dir, "--lang", "en", "backup", "--out", out + "3"}, ExitOK, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, _, stderr := safetyRun(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no backup written: %v", err)
	}
}

func TestInitHeadFlagsMustGoTogether(t *testing.T) {
	pw := writeSecret(t, t.TempDir(), "pw.txt", "12345678")
	short := writeSecret(t, t.TempDir(), "short.txt", "123")
	base := []string{"--lang", "en", "init", "--office-name", "Suối Hoa", "--office-code", "SH", "--kind", "xa", "--role", "commune", "--collector-name", "Huyện"}
	tests := []struct {
		name   string
		extra  []string
		code   int
		stderr string
	}{
		{"user without password", []string{"--head-user", "chutich"}, ExitUsage, "--password-file"},
		{"password without user", []string{"--password-file", pw}, ExitUsage, "--head-user"},
		{"short password", []string{"--head-user", "chutich", "--password-file", short}, ExitOther, "at least 8"},
		{"bad login name", []string{"--head-user", "chủ tịch", "--password-file", pw}, ExitOther, "Login name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			code, _, stderr := safetyRun(t, append(append([]string{"--data", dir}, base...), tt.extra...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
			st, err := store.Open(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if ok, _ := st.IsSetUp(context.Background()); ok {
				t.Error("a refused init set the folder up")
			}
		})
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir, pw := safetyInit(t)
	login := []string{"--data", dir, "--lang", "en", "--user", "chutich", "--password-file", pw}
	ctx := context.Background()
	out := t.TempDir()
	code, stdout, stderr := safetyRun(t, append(login, "backup", "--out", out)...)
	if code != 0 {
		t.Fatalf("backup: %d %s", code, stderr)
	}
	file := strings.TrimSpace(strings.TrimPrefix(stdout, "Backed up to "))
	if !strings.HasPrefix(filepath.Base(file), "danvan-SH-") {
		t.Fatalf("backup file %q", file)
	}
	// Change the data after the backup: add an officer.
	officer := addOfficer(t, dir)
	code, _, stderr = safetyRun(t, append(officer, "restore", file)...)
	if code != ExitOther || !strings.Contains(stderr, "Only the head") {
		t.Errorf("officer restore: exit %d %q", code, stderr)
	}
	code, _, stderr = safetyRun(t, append(login, "restore")...)
	if code != ExitUsage {
		t.Errorf("restore without a file: exit %d %q", code, stderr)
	}
	code, stdout, stderr = safetyRun(t, append(login, "restore", file)...)
	if code != 0 || !strings.Contains(stdout, "Restored the data from") {
		t.Fatalf("restore: exit %d %q %q", code, stdout, stderr)
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users, _ := st.Users(ctx)
	if len(users) != 1 || users[0].Username != "chutich" {
		t.Errorf("users after restore = %+v, want only the head", users)
	}
	snaps, _ := store.Snapshots(dir)
	var reasons []string
	for _, s := range snaps {
		reasons = append(reasons, s.Reason)
	}
	if got := strings.Join(reasons, ","); !strings.Contains(got, "restore") || !strings.Contains(got, "daily") {
		t.Errorf("snapshots = %s, want the daily one and the one before the restore", got)
	}
}

func TestFolderWithoutUsersActsAsSystem(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, _, stderr := safetyRun(t, "--data", dir, "init", "--office-name", "Suối Hoa", "--office-code", "SH", "--kind", "xa", "--role", "commune", "--collector-name", "Huyện")
	if code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := safetyRun(t, "--data", dir, "--lang", "en", "backup")
	if code != 0 || !strings.Contains(stdout, filepath.Join(dir, "backups")) {
		t.Fatalf("backup without users: exit %d %q %q", code, stdout, stderr)
	}
}

func TestHelpHidesDevCommands(t *testing.T) {
	_, stdout, _ := safetyRun(t, "--lang", "en", "help")
	if strings.Contains(stdout, "stress") {
		t.Error("help lists the hidden dev commands")
	}
	if !strings.Contains(stdout, "restore FILE") {
		t.Errorf("help does not list restore:\n%s", stdout)
	}
}

// The decryption key, the signed enrollment file and a backup carried out
// of the office are the head's; an officer is refused each before anything
// is written. Every export is recorded in the audit trail.
func TestExportsAreAuthorisedAndRecorded(t *testing.T) {
	dir, pw := safetyInit(t)
	ctx := context.Background()
	pass := writeSecret(t, t.TempDir(), "pass.txt", "khoa-ky-rat-dai")
	head := []string{"--data", dir, "--lang", "en", "--user", "chutich", "--password-file", pw}
	if code, _, stderr := safetyRun(t, append(head, "key", "create", "--passphrase-file", pass)...); code != 0 {
		t.Fatalf("key create: %d %s", code, stderr)
	}
	officer := addOfficer(t, dir)
	out := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		file string
	}{
		{"key identity", []string{"key", "identity", "--passphrase-file", pass, filepath.Join(out, "id.txt")}, "id.txt"},
		{"enrollment export", []string{"enrollment", "export", filepath.Join(out, "e.zip"), "--passphrase-file", pass}, "e.zip"},
		{"backup --out", []string{"backup", "--out", filepath.Join(out, "b.db")}, "b.db"},
	} {
		code, _, stderr := safetyRun(t, append(officer, c.args...)...)
		if code == 0 || !strings.Contains(stderr, "Only the head") {
			t.Errorf("officer %s: exit %d %q", c.name, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, c.file)); !os.IsNotExist(err) {
			t.Errorf("officer %s wrote %s", c.name, c.file)
		}
	}
	for who, args := range map[string][]string{
		"canbo/models":       append(officer, "models", "export", filepath.Join(out, "m.csv")),
		"canbo/tallies":      append(officer, "tallies", "export", filepath.Join(out, "t.csv"), "--period", "2026-M01"),
		"chutich/identity":   append(head, "key", "identity", "--passphrase-file", pass, filepath.Join(out, "id.txt")),
		"chutich/enrollment": append(head, "enrollment", "export", filepath.Join(out, "e.zip"), "--passphrase-file", pass),
	} {
		if code, _, stderr := safetyRun(t, args...); code != 0 {
			t.Fatalf("%s: exit %d %s", who, code, stderr)
		}
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.AuditLog(ctx, store.AuditFilter{Action: store.ActionExport})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rows {
		got[r.UserName+"/"+r.Entity] = true
	}
	for _, want := range []string{"canbo/models", "canbo/tallies", "chutich/identity", "chutich/enrollment"} {
		if !got[want] {
			t.Errorf("no audit row for %s (have %v)", want, got)
		}
	}
}

// danvan serve run by an officer refuses to start, instead of answering
// 403 to every upload.
func TestServeRefusesAnOfficer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tinh")
	pw := writeSecret(t, t.TempDir(), "head.txt", "mat-khau-lanh-dao")
	if code, _, stderr := safetyRun(t, "--data", dir, "--lang", "en", "init", "--office-name", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "--office-code", "TU",
		"--kind", "tinh", "--role", "collector", "--collector-name", "Trung ương", "--head-user", "chutich",
		"--head-name", "Nguyễn Văn An", "--password-file", pw); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	code, _, stderr := safetyRun(t, append(addOfficer(t, dir), "serve", "--plain", "--listen", "127.0.0.1:0")...)
	if code == 0 || !strings.Contains(stderr, "Only the head") {
		t.Fatalf("officer serve: exit %d %q", code, stderr)
	}
}

// addOfficer adds the officer "canbo" to a folder whose head is chutich
// (safetyInit's password), and returns the arguments that log in as it.
func addOfficer(t *testing.T, dir string) []string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	head, err := st.Login(ctx, "chutich", "mat-khau-lanh-dao")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddUser(ctx, head, store.NewUser{Username: "canbo", FullName: "Cán bộ", Password: "mat-khau-cb"}, store.RoleOfficer); err != nil {
		t.Fatal(err)
	}
	return []string{"--data", dir, "--lang", "en", "--user", "canbo", "--password-file", writeSecret(t, t.TempDir(), "cb.txt", "mat-khau-cb")}
}

// An export with nothing new writes no batch and uses no number: the next
// batch, after a change, is number 1.
func TestExportWithNothingNew(t *testing.T) {
	dir, pw := safetyInit(t)
	pass := writeSecret(t, t.TempDir(), "pass.txt", "khoa-ky-rat-dai")
	head := []string{"--data", dir, "--lang", "vi", "--user", "chutich", "--password-file", pw}
	if code, _, stderr := safetyRun(t, append(head, "key", "create", "--passphrase-file", pass)...); code != 0 {
		t.Fatal(stderr)
	}
	out := t.TempDir()
	if code, _, stderr := safetyRun(t, append(head, "batch", "export", "--out", out, "--passphrase-file", pass)...); code != 0 {
		t.Fatalf("first export: %s", stderr) // the TTHC fields a new office starts with
	}
	code, stdout, stderr := safetyRun(t, append(head, "batch", "export", "--out", out, "--passphrase-file", pass)...)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "Không có thay đổi nào kể từ lô trước") {
		t.Fatalf("nothing new: exit %d %q %q", code, stdout, stderr)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("files written: %v", entries)
	}
}
