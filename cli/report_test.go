package cli

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
)

func TestReportCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "thu")
	if code, _, errs := run(t, initArgs(dir)...); code != ExitOK {
		t.Fatalf("init: %s", errs)
	}
	csv := filepath.Join(t.TempDir(), "t.csv")
	os.WriteFile(csv, []byte("Kỳ báo cáo,Lĩnh vực,(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13)\n"+
		"2024-Y,Hộ tịch,25.723,9.000,16.500,223,25.487,20.000,5.467,20,326,300,26\n"), 0o644)
	run(t, "--data", dir, "tallies", "import", csv) // a draft: the figures break (3) = (7) + (11)
	out := t.TempDir()
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		check func(t *testing.T, stdout, stderr string)
	}{
		{"summary pdf", []string{"report", "summary", "--period", "2024-Y", "--number", "5", "--date", "05/01/2026", "--format", "pdf", "--out", filepath.Join(out, "s.pdf")}, ExitOK,
			func(t *testing.T, stdout, _ string) {
				if !strings.Contains(stdout, "s.pdf") {
					t.Errorf("stdout = %q", stdout)
				}
				if _, err := exec.LookPath("pdftotext"); err != nil {
					return
				}
				text, _ := exec.Command("pdftotext", "-raw", filepath.Join(out, "s.pdf"), "-").Output()
				flat := strings.Join(strings.Fields(string(text)), " ")
				for _, want := range []string{"Số: 05/BC-UBND", "ngày 05 tháng 01 năm 2026", "đã tiếp nhận 25.723 hồ sơ", "chênh lệch 90 hồ sơ", "chiếm 0,08%"} {
					if !strings.Contains(flat, want) {
						t.Errorf("summary lacks %q", want)
					}
				}
			}},
		{"tally xlsx", []string{"report", "tally", "--period", "2024-Y", "--format", "xlsx", "--out", filepath.Join(out, "t.xlsx")}, ExitOK, nil},
		{"tally csv", []string{"report", "tally", "--period", "2024-Y", "--format", "csv", "--out", filepath.Join(out, "t.csv")}, ExitOK,
			func(t *testing.T, _, _ string) {
				data, _ := os.ReadFile(filepath.Join(out, "t.csv"))
				if !strings.HasPrefix(string(data), "\uFEFF") || !strings.Contains(string(data), "25723") {
					t.Errorf("csv = %q", data)
				}
			}},
		{"no period", []string{"report", "tally", "--format", "pdf", "--out", filepath.Join(out, "x.pdf")}, ExitUsage, nil},
		{"no out", []string{"report", "tally", "--period", "2024-Y"}, ExitUsage, nil},
		{"bad format", []string{"report", "tally", "--period", "2024-Y", "--format", "docx", "--out", filepath.Join(out, "x.docx")}, ExitUsage, nil},
		{"bad kind", []string{"report", "weekly", "--out", filepath.Join(out, "x.pdf")}, ExitUsage, nil},
		{"no figures", []string{"report", "tally", "--period", "2031-Y", "--out", filepath.Join(out, "x.pdf")}, ExitOther,
			func(t *testing.T, _, stderr string) {
				if !strings.Contains(stderr, "Kỳ năm 2031 chưa có số liệu") {
					t.Errorf("stderr = %q", stderr)
				}
			}},
		{"unwritable", []string{"report", "tally", "--period", "2024-Y", "--out", filepath.Join(out, "no", "such", "x.pdf")}, ExitOther,
			func(t *testing.T, _, stderr string) {
				if !strings.Contains(stderr, "Không ghi được tệp") {
					t.Errorf("stderr = %q", stderr)
				}
			}},
		{"two kinds to a folder", []string{"report", "summary", "tally", "--period", "2024-Y", "--format", "pdf", "--out", filepath.Join(out, "both", "new")}, ExitOK,
			func(t *testing.T, stdout, _ string) {
				for _, name := range []string{"bao-cao-summary-2024-Y.pdf", "bao-cao-tally-2024-Y.pdf"} {
					path := filepath.Join(out, "both", "new", name)
					if !strings.Contains(stdout, path) {
						t.Errorf("stdout lacks %s: %q", path, stdout)
					}
					if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
						t.Errorf("%s: %v", name, err)
					}
				}
				if lines := strings.Count(stdout, "\n"); lines != 2 {
					t.Errorf("stdout has %d lines, want one per report: %q", lines, stdout)
				}
			}},
		{"a kind named twice is written once", []string{"report", "tally", "tally", "--period", "2024-Y", "--format", "csv", "--out", filepath.Join(out, "twice")}, ExitOK,
			func(t *testing.T, stdout, _ string) {
				ents, _ := os.ReadDir(filepath.Join(out, "twice"))
				if len(ents) != 1 || ents[0].Name() != "bao-cao-tally-2024-Y.csv" || strings.Count(stdout, "\n") != 1 {
					t.Errorf("folder = %v, stdout = %q", ents, stdout)
				}
			}},
		{"one kind into an existing folder", []string{"report", "tally", "--period", "2024-Y", "--format", "xlsx", "--out", filepath.Join(out, "both", "new")}, ExitOK,
			func(t *testing.T, stdout, _ string) {
				path := filepath.Join(out, "both", "new", "bao-cao-tally-2024-Y.xlsx")
				if _, err := os.Stat(path); err != nil || !strings.Contains(stdout, path) {
					t.Errorf("stat %v, stdout %q", err, stdout)
				}
			}},
		{"bad kind among several", []string{"report", "summary", "weekly", "--period", "2024-Y", "--out", filepath.Join(out, "bad")}, ExitUsage,
			func(t *testing.T, _, stderr string) {
				if !strings.Contains(stderr, "“weekly”") {
					t.Errorf("stderr = %q", stderr)
				}
				if _, err := os.Stat(filepath.Join(out, "bad")); err == nil {
					t.Error("a refused command made its folder")
				}
			}},
		{"several kinds to a file", []string{"report", "summary", "tally", "--period", "2024-Y", "--out", filepath.Join(out, "s.pdf")}, ExitUsage,
			func(t *testing.T, _, stderr string) {
				if !strings.Contains(stderr, "--out phải là một thư mục") || !strings.Contains(stderr, "s.pdf") {
					t.Errorf("stderr = %q", stderr)
				}
				if fi, err := os.Stat(filepath.Join(out, "s.pdf")); err != nil || fi.IsDir() {
					t.Errorf("the file in the way was changed: %v", err)
				}
			}},
		{"one of several fails", []string{"report", "tally", "models", "--period", "2024-Y", "--format", "pdf", "--out", filepath.Join(out, "part")}, ExitOther,
			func(t *testing.T, stdout, stderr string) {
				// No models are stored: the list fails, the tally is written.
				if !strings.Contains(stderr, "Báo cáo models không ghi được") || !strings.Contains(stderr, "1 trong 2 báo cáo") {
					t.Errorf("stderr = %q", stderr)
				}
				ents, _ := os.ReadDir(filepath.Join(out, "part"))
				if len(ents) != 1 || ents[0].Name() != "bao-cao-tally-2024-Y.pdf" || !strings.Contains(stdout, "bao-cao-tally-2024-Y.pdf") {
					t.Errorf("folder = %v, stdout = %q", ents, stdout)
				}
			}},
		{"several without a period", []string{"report", "summary", "tally", "--out", filepath.Join(out, "noperiod")}, ExitUsage,
			func(t *testing.T, _, stderr string) {
				if strings.Count(stderr, "cần --period") != 2 || !strings.Contains(stderr, "Không ghi được báo cáo nào") {
					t.Errorf("stderr = %q", stderr)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"--data", dir}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if tc.check != nil {
				tc.check(t, stdout, stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "x.pdf")); err == nil {
		t.Error("a failed report left a file behind")
	}
}

// A data folder whose file opens but fails the integrity check: the models'
// index is swapped for one on another column behind SQLite's back. The
// report command reads while the check runs, and must leave no report made
// from such a file.
func TestReportRefusesDamagedFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "thu")
	if code, _, errs := run(t, initArgs(dir)...); code != ExitOK {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := run(t, "--data", dir, "dev", "seed", "models", "--count", "20"); code != ExitOK {
		t.Fatalf("seed: %s", errs)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	var index string
	if err := db.QueryRow(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'models' AND sql IS NOT NULL LIMIT 1`).Scan(&index); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA writable_schema = ON`,
		`UPDATE sqlite_schema SET sql = 'CREATE INDEX ` + index + ` ON models(id DESC)' WHERE name = '` + index + `'`,
		`PRAGMA writable_schema = OFF`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	out := filepath.Join(t.TempDir(), "out")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"one report", []string{"report", "models", "--period", "2024-Y", "--out", filepath.Join(out, "m.pdf")}},
		{"two reports", []string{"report", "summary", "models", "--period", "2024-Y", "--out", out}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.MkdirAll(out, 0o755)
			code, stdout, stderr := run(t, append([]string{"--data", dir}, tc.args...)...)
			if code != ExitOther || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			if !strings.Contains(stderr, "hỏng") {
				t.Errorf("stderr does not say the file is damaged: %q", stderr)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}
