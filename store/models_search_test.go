package store

import (
	"context"
	"danvan/internal/domain"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"danvan/store/vn"

	"golang.org/x/text/unicode/norm"
)

// searchOracle is the search box's meaning written out in Go (see
// oracleMatch). It filters the unsearched list, which keeps the list's order.
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
		if oracleMatch(searchKey(&m), f.Query) {
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

// oracleMatch tells whether the folded search text key holds every word of
// query: a folded word of three letters or more anywhere in it; a shorter
// one at the start of one of its words (runs of letters and digits), once
// its punctuation is dropped, if it is ASCII and has a letter or digit;
// any other short word anywhere.
func oracleMatch(key, query string) bool {
	words := oracleWords(key)
	for _, w := range strings.Fields(vn.Fold(query)) {
		p := strings.Join(oracleWords(w), "")
		if utf8.RuneCountInString(w) >= 3 || p == "" || strings.ContainsFunc(w, func(r rune) bool { return r >= utf8.RuneSelf }) {
			if !strings.Contains(key, w) {
				return false
			}
			continue
		}
		if !slices.ContainsFunc(words, func(word string) bool { return strings.HasPrefix(word, p) }) {
			return false
		}
	}
	return true
}

// oracleWords splits s into words as FTS5's unicode61 tokenizer does by
// default: runs of letters, digits and private-use characters.
func oracleWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Co, r)
	})
}

// checkSearchIndex asks FTS5 whether models_search and models_words agree
// with the models table, entry for entry.
func checkSearchIndex(t *testing.T, s *Store) {
	t.Helper()
	for _, table := range []string{"models_search", "models_words"} {
		if _, err := s.db.Exec(`INSERT INTO ` + table + `(` + table + `, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Fatalf("%s damaged: %v", table, err)
		}
	}
	var stray int
	if err := s.db.QueryRow(`SELECT count(*) FROM models_search x LEFT JOIN models m ON m.rowid = x.rowid
		WHERE m.rowid IS NULL OR m.deleted_at <> '' OR m.search_fold <> x.search_fold`).Scan(&stray); err != nil || stray != 0 {
		t.Errorf("models_search holds %d entries that are not live models (%v)", stray, err)
	}
	var live, indexed, words int
	s.db.QueryRow(`SELECT count(*) FROM models WHERE deleted_at = ''`).Scan(&live)
	s.db.QueryRow(`SELECT count(*) FROM models_search`).Scan(&indexed)
	s.db.QueryRow(`SELECT count(*) FROM models_words`).Scan(&words)
	if live != indexed || live != words {
		t.Errorf("models_search holds %d entries and models_words %d for %d live models", indexed, words, live)
	}
	checkWordIndex(t, s)
	var ok string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
}

// checkWordIndex looks up in models_words every ASCII word of every model,
// live, edited or deleted, and wants back exactly the live models whose
// search text holds that word: models_words keeps no text to compare.
func checkWordIndex(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.db.Query(`SELECT rowid, search_fold, deleted_at = '' FROM models`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int64]bool{}
	for rows.Next() {
		var rowid int64
		var key string
		var live bool
		if err := rows.Scan(&rowid, &key, &live); err != nil {
			t.Fatal(err)
		}
		for _, w := range oracleWords(key) {
			if want[w] == nil {
				want[w] = map[int64]bool{}
			}
			want[w][rowid] = want[w][rowid] || live
		}
	}
	rows.Close()
	for w, rowids := range want {
		if strings.ContainsFunc(w, func(r rune) bool { return r >= utf8.RuneSelf }) {
			continue
		}
		got := map[int64]bool{}
		rows, err := s.db.Query(`SELECT rowid FROM models_words WHERE models_words MATCH ?`, `"`+w+`"`)
		if err != nil {
			t.Fatalf("word %q: %v", w, err)
		}
		for rows.Next() {
			var rowid int64
			rows.Scan(&rowid)
			got[rowid] = true
		}
		rows.Close()
		for rowid, live := range rowids {
			if got[rowid] != live {
				t.Errorf("models_words: word %q of row %d found %v, live %v", w, rowid, got[rowid], live)
			}
			delete(got, rowid)
		}
		if len(got) > 0 {
			t.Errorf("models_words: word %q found in rows %v, whose text does not hold it", w, got)
		}
	}
}

// TestSearchModelsIndexesMatchOracle checks the page and the count of
// queries with quotes, FTS5 syntax, short and long words against the
// oracle, through both ways of reading the rows.
func TestSearchModelsIndexesMatchOracle(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	add := func(name, person, loc string, f domain.Field) domain.Model {
		m := validModel()
		m.Name, m.PersonName, m.Location, m.Field = name, person, loc, f
		out, err := s.SaveModel(ctx, officer, m)
		if err != nil {
			t.Fatalf("save %q: %v", name, err)
		}
		return out
	}
	add("Đường hoa xóm Đồng", "Đinh Thị Hoa", "Đông Lai", domain.FieldEconomy)
	add(norm.NFD.String("Thắp sáng đường quê"), norm.NFD.String("Quách Văn Đức"), "Suối Hoa", domain.FieldEconomy)
	add(`Tổ "tự quản" an ninh`, "Hà Văn Sơn", `xóm "Bưa"`, domain.FieldDefence)
	add("Câu lạc bộ AND OR NOT NEAR", "Lò Thị Mai", "Ngổ Luông", domain.FieldCulture)
	add("Mô hình (a OR b) * ^x: col:search_fold", "Bùi Văn Thắng", "Mãn Đức", domain.FieldPolitical)
	add("Nuôi dê núi", "Đinh Văn Đạt", "Tử Nê", domain.FieldEconomy)
	add("Nuôi dê nhốt chuồng", "Hà Thị Dung", "Tử Nê", domain.FieldEconomy)
	gone := add("Trồng bưởi đỏ đã xoá", "Bùi Văn Đông", "Phú Vinh", domain.FieldEconomy)
	renamed := add("Trồng mía tím", "Quách Thị Na", "Mỹ Hòa", domain.FieldEconomy)

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
				{Query: q.q, Field: domain.FieldEconomy},
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
