// Package layers holds docs/architecture.md's package table to the code:
// what each package must never import, directly or through another.
package layers

import (
	"os/exec"
	"strings"
	"testing"
)

func TestPackagesKeepTheirLayers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the packages' imports")
	}
	never := map[string][]string{
		// The domain: types and rules, no SQL and no storage.
		"danvan/internal/domain":   {"fyne.io/", "database/sql", "modernc.org/", "danvan/store=", "danvan/ui", "danvan/sync", "danvan/report", "danvan/internal/i18n", "danvan/cli"},
		"danvan/store":             {"fyne.io/", "danvan/ui", "danvan/sync", "danvan/report", "danvan/internal/i18n", "danvan/cli"},
		"danvan/store/vn":          {"fyne.io/", "danvan/store", "danvan/ui", "danvan/sync", "danvan/report", "danvan/internal/i18n"},
		"danvan/internal/i18n":     {"fyne.io/", "danvan/ui", "danvan/sync", "danvan/report", "danvan/cli"},
		"danvan/sync":              {"fyne.io/", "danvan/ui", "danvan/report", "danvan/internal/i18n", "danvan/cli", "danvan/sync/exchange"},
		"danvan/sync/exchange":     {"fyne.io/", "danvan/ui", "danvan/report", "danvan/cli"},
		"danvan/report":            {"fyne.io/", "danvan/ui", "danvan/sync", "danvan/cli"},
		"danvan/report/sheet":      {"fyne.io/", "danvan/ui", "danvan/sync", "danvan/cli"},
		"danvan/report/tallyfile":  {"fyne.io/", "danvan/ui", "danvan/sync", "danvan/cli"},
		"danvan/report/modelsfile": {"fyne.io/", "danvan/ui", "danvan/sync", "danvan/cli"},
		"danvan/cli":               {"danvan/ui"},
	}
	for pkg, bad := range never {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				exact, isExact := strings.CutSuffix(b, "=") // this package only, not those under it
				if isExact && dep == exact || !isExact && dep != pkg && (dep == b || strings.HasPrefix(dep, b+"/") || strings.HasSuffix(b, "/") && strings.HasPrefix(dep, b)) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}
