package store

import (
	"context"
	"danvan/internal/domain"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"danvan/assets"
)

// The views' Vietnamese names for codes are the window's and the
// printouts' texts: each row of nhan matches its translation, and every
// code the translation files name has a row.
func TestAuditorLabelsMatchTranslations(t *testing.T) {
	s, _ := mustSetUp(t)
	read := func(fsys interface{ ReadFile(string) ([]byte, error) }, name string) map[string]string {
		data, err := fsys.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	printed, models, safety := read(assets.Print, "print/vi.json"), read(assets.Lang, "lang/models.vi.json"), read(assets.Lang, "lang/safety.vi.json")
	type source struct {
		prefix string
		texts  map[string]string
	}
	keyOf := map[string]source{
		"kind": {"kind.", printed}, "field": {"field.", printed}, "office_kind": {"office_kind.", printed},
		"status": {"models.status.", models}, "rating": {"models.rating.", models}, "level": {"models.level.", models},
		"action": {"safety.action.", safety},
	}
	rows, err := s.db.Query(`SELECT loai, ma, ten FROM nhan`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var loai, ma, ten string
		if err := rows.Scan(&loai, &ma, &ten); err != nil {
			t.Fatal(err)
		}
		src, ok := keyOf[loai]
		if !ok {
			t.Errorf("nhan has a kind of label %q the test does not know", loai)
			continue
		}
		seen[src.prefix+ma] = true
		if want := src.texts[src.prefix+ma]; want != ten {
			t.Errorf("nhan(%s, %s) = %q, the translation %s says %q", loai, ma, ten, src.prefix+ma, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, src := range keyOf {
		for k := range src.texts {
			if strings.HasPrefix(k, src.prefix) && !strings.Contains(k[len(src.prefix):], ".") && !seen[k] {
				t.Errorf("translation %s has no row in nhan", k)
			}
		}
	}
}

// The auditor's guide's queries run on a danvan.db with the stock sqlite3
// an inspector has (Debian 12: 3.40), read-only, and show what they say.
func TestAuditorQueriesWithStockSQLite(t *testing.T) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("DANVAN_INTEROP") == "required" {
			t.Fatal("stock sqlite3 is not installed, and make test requires the interop checks (Debian: apt install sqlite3)")
		}
		t.Skip("stock sqlite3 is not installed; the auditor's queries did not run")
	}
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	st := domain.DefaultSettings()
	st.CollectorName = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
	if _, err := s.Setup(ctx, SetupInput{
		Office:   domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: st,
	}); err != nil {
		t.Fatal(err)
	}
	m := validModel()
	m.Year = 2026
	if _, err := s.SaveModel(ctx, officer, m); err != nil {
		t.Fatal(err)
	}
	fs := mustFields(t, s)
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-Q2"), []TallyInput{{FieldID: fs[0].ID, Counts: published()}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	guide, err := os.ReadFile(filepath.Join("..", "docs", "kiem-tra-du-lieu.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(guide), -1)
	if len(blocks) < 6 {
		t.Fatalf("the guide has %d sql blocks; the test expects its sample queries", len(blocks))
	}
	db := filepath.Join(dir, "danvan.db")
	var all strings.Builder
	for _, b := range blocks {
		cmd := exec.Command(bin, "-readonly", "-bail", "-list", db)
		cmd.Stdin = strings.NewReader(b[1])
		out, err := cmd.CombinedOutput()
		if err != nil || strings.Contains(string(out), "Error") {
			t.Errorf("sqlite3 refused the guide's query:\n%s\n→ %v\n%s", b[1], err, out)
		}
		all.Write(out)
	}
	got := all.String()
	if v := regexp.MustCompile(`(?m)^3\.(\d+)\.\d+$`).FindStringSubmatch(got); v == nil || len(v[1]) < 2 || v[1] < "37" {
		t.Errorf("sqlite_version gave %q; the guide promises 3.37 and later", v)
	}
	for _, want := range []string{
		"ok",                   // integrity_check
		"Kinh tế|Đã đăng ký|1", // models by field and status, in words
		"SH|" + m.Name + "|" + m.PersonName + "|Đã đăng ký",
		"SH|25723|25487|326",  // the published figures, period 2024-Q2
		"Hộ tịch|25723|25813", // and the mismatch the query is for
		"Thiết lập",           // the audit trail, in words
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the guide's queries did not show %q:\n%s", want, got)
		}
	}
}

// What a list carries by default: everything at a commune, no phone
// numbers at a collecting office, unless the office chose; a choice that
// is not one of the three is refused when saved.
func TestListPersonalDefaults(t *testing.T) {
	for _, tc := range []struct {
		set  domain.Personal
		role domain.OfficeRole
		want domain.Personal
	}{
		{"", domain.RoleCommune, domain.PersonalAll},
		{"", domain.RoleCollector, domain.PersonalNames},
		{domain.PersonalNone, domain.RoleCommune, domain.PersonalNone},
		{domain.PersonalAll, domain.RoleCollector, domain.PersonalAll},
		{"bogus", domain.RoleCollector, domain.PersonalNames},
	} {
		st := domain.DefaultSettings()
		st.PersonalInLists = tc.set
		if got := st.ListPersonal(tc.role); got != tc.want {
			t.Errorf("%q at a %s: %q, want %q", tc.set, tc.role, got, tc.want)
		}
	}
	s, _ := mustSetUp(t)
	st, _ := s.Settings(context.Background())
	st.PersonalInLists = "bogus"
	if err := s.SaveSettings(context.Background(), System, st); err == nil {
		t.Error("a bogus choice was saved")
	}
	st.PersonalInLists = domain.PersonalNames
	if err := s.SaveSettings(context.Background(), System, st); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Settings(context.Background()); got.PersonalInLists != domain.PersonalNames {
		t.Errorf("stored %q", got.PersonalInLists)
	}
}
