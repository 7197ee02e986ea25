package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/internal/tanlac"
	dsync "danvan/sync"
)

func TestCollectorCommands(t *testing.T) {
	dsync.KDFCost = dsync.FastKDF
	d, err := tanlac.Build(context.Background(), t.TempDir(), tanlac.Options{Year: 2024, Passphrase: "mật khẩu ký"})
	if err != nil {
		t.Fatal(err)
	}
	dir := d.CollectorDir
	out := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout, or stderr when the code is not 0
		file string // written
	}{
		{"matrix as a table", []string{"completeness", "--period", "2024-Q1"}, ExitOK, "Xã Gia Mô", ""},
		{"matrix as PDF", []string{"completeness", "--period", "2024-Q3", "--format", "pdf", "--out", filepath.Join(out, "c.pdf")}, ExitOK, "c.pdf", "c.pdf"},
		{"format without out", []string{"completeness", "--period", "2024-Q1", "--format", "csv"}, ExitUsage, "--out", ""},
		{"custom range has no matrix", []string{"completeness", "--period", "2024-01-01..2024-02-01"}, ExitOther, "loại kỳ", ""},
		{"models by unit", []string{"rollup", "models", "--period", "2024", "--baseline", "2019", "--format", "csv", "--out", filepath.Join(out, "m.csv")}, ExitOK, "m.csv", "m.csv"},
		{"models by field", []string{"rollup", "models", "--period", "2024-Y", "--by", "field", "--format", "xlsx", "--out", filepath.Join(out, "m.xlsx")}, ExitOK, "m.xlsx", "m.xlsx"},
		{"baseline after the year", []string{"rollup", "models", "--period", "2019", "--baseline", "2024", "--format", "csv", "--out", filepath.Join(out, "x.csv")}, ExitOther, "Năm so sánh 2024", ""},
		{"tallies with no data", []string{"rollup", "tallies", "--period", "2021-Y", "--format", "pdf", "--out", filepath.Join(out, "t.pdf")}, ExitOK, "t.pdf", "t.pdf"},
		{"bad --by", []string{"rollup", "tallies", "--period", "2024-Y", "--by", "xa", "--format", "pdf", "--out", filepath.Join(out, "y.pdf")}, ExitUsage, "--by", ""},
		{"missing --out", []string{"rollup", "tallies", "--period", "2024-Y"}, ExitUsage, "--out", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"--data", dir}, tt.args...)...)
			text := stdout
			if tt.code != ExitOK {
				text = stderr
			}
			if code != tt.code || !strings.Contains(text, tt.want) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if tt.file != "" {
				if fi, err := os.Stat(filepath.Join(out, tt.file)); err != nil || fi.Size() == 0 {
					t.Errorf("%s not written: %v", tt.file, err)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "x.csv")); !os.IsNotExist(err) {
		t.Error("a refused roll-up left a file behind")
	}
	csv, _ := os.ReadFile(filepath.Join(out, "m.csv"))
	if !strings.Contains(string(csv), "Tổng cộng") || strings.Count(string(csv), "\n") != len(tanlac.Units)+2 {
		t.Errorf("models CSV:\n%s", csv)
	}
}
