package i18n

import (
	"danvan/internal/domain"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"danvan/store"
)

func TestCatalogsHaveSameKeysAndNoEmptyText(t *testing.T) {
	vi, err := Catalog("vi")
	if err != nil {
		t.Fatal(err)
	}
	en, err := Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vi {
		if strings.TrimSpace(v) == "" {
			t.Errorf("vi: %q is empty", k)
		}
		if _, ok := en[k]; !ok {
			t.Errorf("en: %q is missing", k)
		}
	}
	for k, v := range en {
		if strings.TrimSpace(v) == "" {
			t.Errorf("en: %q is empty", k)
		}
		if base, one := strings.CutSuffix(k, ".one"); one {
			// English's singular of a counted sentence: Vietnamese has none.
			if _, ok := en[base]; !ok {
				t.Errorf("en: %q has no plural text %q", k, base)
			}
			continue
		}
		if _, ok := vi[k]; !ok {
			t.Errorf("vi: %q is missing", k)
		}
	}
}

// English says "1 batch" and "2 batches"; Vietnamese one text for both.
func TestSingular(t *testing.T) {
	defer Use("vi")
	if err := Use("en"); err != nil {
		t.Fatal(err)
	}
	if got := T("send.summary", Args{"Count": 1}); got != "Sent 1 batch." {
		t.Errorf("one: %q", got)
	}
	if got := T("send.summary", Args{"Count": "2"}); got != "Sent 2 batches." {
		t.Errorf("two: %q", got)
	}
	if err := Use("vi"); err != nil {
		t.Fatal(err)
	}
	if got := T("send.summary", Args{"Count": 1}); !strings.Contains(got, "1 lô") {
		t.Errorf("vi: %q", got)
	}
}

// keyCall matches the literal first argument of the lookups that take a
// translation key.
var keyFuncs = map[string]bool{"T": true, "Printf": true, "Warnf": true, "usage": true}

// TestEveryKeyUsedInCodeExists walks the module's Go files and checks that
// every literal key handed to T (and the CLI's helpers) is in both catalogs.
func TestEveryKeyUsedInCodeExists(t *testing.T) {
	vi, _ := Catalog("vi")
	en, _ := Catalog("en")
	root := filepath.Join("..", "..")
	keyRE := regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+$`)
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			if !keyFuncs[name] {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			if !keyRE.MatchString(key) {
				return true
			}
			checked++
			if _, ok := vi[key]; !ok {
				t.Errorf("%s: key %q is missing in vi", path, key)
			}
			if _, ok := en[key]; !ok {
				t.Errorf("%s: key %q is missing in en", path, key)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d keys found in code; the walk is broken", checked)
	}
}

func TestErrMessages(t *testing.T) {
	if err := Use("vi"); err != nil {
		t.Fatal(err)
	}
	ve := &domain.ValidationError{}
	ve.Add("office_name", "too_long", map[string]any{"Max": 200})
	tests := []struct {
		err  error
		want string
	}{
		{store.ErrLocked, "Dữ liệu này đang được một chương trình danvan khác mở (cửa sổ, lệnh hoặc danvan serve). Hãy dùng chương trình đó, hoặc đóng nó rồi thử lại."},
		{&os.PathError{Op: "write", Path: "outbox/SH-000001.zip", Err: syscall.ENOSPC}, T("err.disk_full")},
		{ve, "Tên đơn vị: Quá dài, tối đa 200 ký tự."},
		{errors.Join(errors.New("wrapped"), store.ErrDamaged), T("err.damaged")},
	}
	for _, tt := range tests {
		if got := Err(tt.err); got != tt.want {
			t.Errorf("Err(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if err := Use("en"); err != nil {
		t.Fatal(err)
	}
	defer Use("vi")
	if got, want := T("nav.models"), "Dân vận khéo models"; got != want {
		t.Errorf("en nav.models = %q, want %q", got, want)
	}
	if got, want := T("Cancel"), "Cancel"; got != want {
		t.Errorf("en Fyne word = %q, want %q", got, want)
	}
	Use("vi")
	if got, want := T("Cancel"), "Hủy"; got != want {
		t.Errorf("vi Fyne word = %q, want %q", got, want)
	}
}

func TestUseInBackground(t *testing.T) {
	defer Use("vi")
	for _, tc := range []struct {
		name  string
		loads []string
		want  string // Current once they are done
		text  string // T("report.cli.done") then
	}{
		{"one load", []string{"en"}, "en", "Wrote x"},
		{"loads keep their order", []string{"en", "vi"}, "vi", "Đã ghi x"},
		{"the same twice", []string{"vi", "en", "en"}, "en", "Wrote x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, l := range tc.loads {
				UseInBackground(l, func(err error) { t.Errorf("load %s: %v", l, err) })
			}
			// T waits for every load started before it.
			if got := T("report.cli.done", Args{"File": "x"}); got != tc.text {
				t.Errorf("T = %q, want %q", got, tc.text)
			}
			if got := Current(); got != tc.want {
				t.Errorf("Current = %q, want %q", got, tc.want)
			}
		})
	}
}

// ErrIn says everything in the language asked for, a period's name
// included, whatever the language in use.
func TestErrInNamesThePeriodInItsLanguage(t *testing.T) {
	if err := Use("vi"); err != nil {
		t.Fatal(err)
	}
	err := &store.PeriodStateError{Code: "tally.period_closed", Period: "2026-M12"}
	en := ErrIn("en", err)
	if strings.Contains(en, "tháng") || !strings.Contains(en, "12") {
		t.Errorf("in English: %q", en)
	}
	if vi := ErrIn("vi", err); !strings.Contains(vi, "tháng 12/2026") {
		t.Errorf("in Vietnamese: %q", vi)
	}
}
