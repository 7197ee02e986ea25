package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
)

// TestDevSeed: the bench data is real data: the models pass every rule and
// count, the tallies make a year the summary report prints, and every
// seeded batch verifies and imports at the collecting office; the same
// arguments give the same batch files.
func TestDevSeed(t *testing.T) {
	t.Run("models", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "sh")
		mustRun(t, ExitOK, initArgs(dir)...)
		out, _ := mustRun(t, ExitOK, "--data", dir, "dev", "seed", "models", "--count", "40")
		if !strings.Contains(out, "models 40 created") {
			t.Errorf("seed said %q", out)
		}
		st, err := store.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		n, err := st.CountModels(context.Background(), store.ModelFilter{})
		st.Close()
		if err != nil || n != 40 {
			t.Fatalf("CountModels = %d, %v; want 40", n, err)
		}
		mustRun(t, ExitOK, "--data", dir, "check")
		pdf := filepath.Join(t.TempDir(), "s.pdf")
		mustRun(t, ExitOK, "--data", dir, "report", "summary", "--period", "2024-Y", "--format", "pdf", "--out", pdf)
		if fi, err := os.Stat(pdf); err != nil || fi.Size() == 0 {
			t.Errorf("summary PDF: %v", err)
		}
	})
	t.Run("batches", func(t *testing.T) {
		var files [2][]byte
		for i := range files {
			col := filepath.Join(t.TempDir(), "htl")
			mustRun(t, ExitOK, "--data", col, "init", "--office-name", "Ban Dân vận Huyện ủy Tân Lạc", "--office-code", "HTL",
				"--kind", "huyen", "--role", "collector", "--collector-name", "Ban Dân vận Tỉnh ủy")
			out := filepath.Join(t.TempDir(), "b")
			mustRun(t, ExitOK, "--data", col, "dev", "seed", "batches", "--out", out, "--count", "3", "--records", "5")
			keys, err := os.ReadFile(filepath.Join(out, "keys.tsv"))
			if err != nil || strings.Count(string(keys), "\n") != 3 {
				t.Fatalf("keys.tsv: %q, %v", keys, err)
			}
			so, _ := mustRun(t, ExitOK, "--data", col, "batch", "import", out)
			if got := strings.Count(so, "mới 5,"); got != 3 {
				t.Errorf("imported %d batches of 5 new records, want 3:\n%s", got, so)
			}
			if files[i], err = os.ReadFile(filepath.Join(out, "X00002-000001-20260105.zip")); err != nil {
				t.Fatal(err)
			}
		}
		if string(files[0]) != string(files[1]) {
			t.Error("the same arguments gave different batch files")
		}
	})
}
