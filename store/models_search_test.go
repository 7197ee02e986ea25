package store

import (
	"context"
	"strings"
	"testing"

	"danvan/store/vn"

	"golang.org/x/text/unicode/norm"
)

// searchOracle is the search box's meaning written out in Go: every folded
// query word is a substring of the folded search text. It filters the
// unsearched list, which keeps the list's order.
func searchOracle(t *testing.T, s *Store, f ModelFilter) []string {
	t.Helper()
	all := f
	all.Query, all.Limit, all.Offset = "", 0, 0
	ms, err := s.SearchModels(context.Background(), all)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		key := searchKey(&m)
		ok := true
		for _, w := range strings.Fields(vn.Fold(f.Query)) {
			ok = ok && strings.Contains(key, w)
		}
		if ok {
			out = append(out, m.ID)
		}
	}
	if f.Offset > 0 {
		out = out[min(f.Offset, len(out)):]
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out
}

// checkSearchIndex asks FTS5 whether models_search agrees with the models
// table, entry for entry.
func checkSearchIndex(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.db.Exec(`INSERT INTO models_search(models_search, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("models_search damaged: %v", err)
	}
	var stray int
	if err := s.db.QueryRow(`SELECT count(*) FROM models_search x LEFT JOIN models m ON m.rowid = x.rowid
		WHERE m.rowid IS NULL OR m.deleted_at <> '' OR m.search_fold <> x.search_fold`).Scan(&stray); err != nil || stray != 0 {
		t.Errorf("models_search holds %d entries that are not live models (%v)", stray, err)
	}
	var live, indexed int
	s.db.QueryRow(`SELECT count(*) FROM models WHERE deleted_at = ''`).Scan(&live)
	s.db.QueryRow(`SELECT count(*) FROM models_search`).Scan(&indexed)
	if live != indexed {
		t.Errorf("models_search holds %d entries for %d live models", indexed, live)
	}
	var ok string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
}

func TestSearchModelsIndexMatchesSubstring(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	add := func(name, person, loc string, f Field) Model {
		m := validModel()
		m.Name, m.PersonName, m.Location, m.Field = name, person, loc, f
		out, err := s.SaveModel(ctx, officer, m)
		if err != nil {
			t.Fatalf("save %q: %v", name, err)
		}
		return out
	}
	add("Đường hoa xóm Đồng", "Đinh Thị Hoa", "Đông Lai", FieldEconomy)
	add(norm.NFD.String("Thắp sáng đường quê"), norm.NFD.String("Quách Văn Đức"), "Suối Hoa", FieldEconomy)
	add(`Tổ "tự quản" an ninh`, "Hà Văn Sơn", `xóm "Bưa"`, FieldDefence)
	add("Câu lạc bộ AND OR NOT NEAR", "Lò Thị Mai", "Ngổ Luông", FieldCulture)
	add("Mô hình (a OR b) * ^x: col:search_fold", "Bùi Văn Thắng", "Mãn Đức", FieldPolitical)
	add("Nuôi dê núi", "Đinh Văn Đạt", "Tử Nê", FieldEconomy)
	add("Nuôi dê nhốt chuồng", "Hà Thị Dung", "Tử Nê", FieldEconomy)
	gone := add("Trồng bưởi đỏ đã xoá", "Bùi Văn Đông", "Phú Vinh", FieldEconomy)
	renamed := add("Trồng mía tím", "Quách Thị Na", "Mỹ Hòa", FieldEconomy)

	if err := s.DeleteModel(ctx, officer, gone.ID, gone.Revision); err != nil {
		t.Fatal(err)
	}
	renamed.Name = "Trồng khoai lang tím"
	if _, err := s.SaveModel(ctx, officer, renamed); err != nil {
		t.Fatal(err)
	}
	checkSearchIndex(t, s)

	queries := []struct{ name, q string }{
		{"plain", "hoa"},
		{"two words", "duong hoa"},
		{"d for đ", "duong"},
		{"đ kept", "đường"},
		{"NFD query", norm.NFD.String("Đường QUÊ")},
		{"NFD stored", "quach van duc"},
		{"inside a word", "uong qu"},
		{"quote word", `"tu`},
		{"quoted phrase", `"tự quản"`},
		{"lone quote", `"`},
		{"quote inside", `a"b`},
		{"AND", "and"},
		{"OR upper", "OR"},
		{"NEAR", "near"},
		{"NOT and more", "NOT NEAR(hoa)"},
		{"column syntax", "col:search_fold"},
		{"operators", "(a * ^x:"},
		{"short words", "de"},
		{"short and long", "de nui"},
		{"one letter", "a"},
		{"percent", "%"},
		{"across separator", "hoa | dinh"},
		{"deleted model", "buoi do"},
		{"deleted person", "bui van dong"},
		{"old name", "mia"},
		{"new name", "khoai lang tim"},
		{"nothing", "không có gì như thế"},
		{"blanks", "  \t "},
	}
	defer func(n int) { searchScanFrom = n }(searchScanFrom)
	for _, scanFrom := range []int{0, 1 << 30} {
		searchScanFrom = scanFrom // the list's index in order, then the matches by rowid
		for _, q := range queries {
			for _, f := range []ModelFilter{
				{Query: q.q},
				{Query: q.q, Field: FieldEconomy},
				{Query: q.q, Limit: 2, Offset: 1},
				{Query: q.q, Year: 2024, Owner: renamed.OwnerOfficeID},
			} {
				t.Run(q.name, func(t *testing.T) {
					got, err := s.SearchModels(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					var ids []string
					for _, m := range got {
						ids = append(ids, m.ID)
					}
					want := searchOracle(t, s, f)
					if strings.Join(ids, ",") != strings.Join(want, ",") {
						t.Errorf("%+v: got %d models %v, want %d %v", f, len(ids), ids, len(want), want)
					}
					unpaged := f
					unpaged.Limit, unpaged.Offset = 0, 0
					wantN := len(searchOracle(t, s, unpaged))
					if n, err := s.CountModels(ctx, f); err != nil || n != wantN {
						t.Errorf("%+v: count = %d, %v; want %d", f, n, err, wantN)
					}
					c, err := s.CountModelsByField(ctx, unpaged)
					if err != nil {
						t.Fatal(err)
					}
					if f.Field == "" && c.Total != wantN {
						t.Errorf("%+v: counts by field total %d, want %d", f, c.Total, wantN)
					}
				})
			}
		}
	}
}

// TestModelSearchIndexFollowsUpdate checks the index after a sync batch
// rebuilds the search keys with an UPDATE, the other way search_fold is
// written.
func TestModelSearchIndexFollowsUpdate(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	m, err := s.SaveModel(ctx, officer, validModel())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE models SET search_fold = 'ten moi hoan toan' WHERE id = ?`, m.ID); err != nil {
		t.Fatal(err)
	}
	checkSearchIndex(t, s)
	for q, want := range map[string]int{"hoan toan": 1, "song da": 0} {
		if n, err := s.CountModels(ctx, ModelFilter{Query: q}); err != nil || n != want {
			t.Errorf("%q: count %d, %v; want %d", q, n, err, want)
		}
	}
}
