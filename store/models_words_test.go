package store

import (
	"context"
	"danvan/internal/domain"
	"slices"
	"strings"
	"testing"
)

// addWordsModel saves a model named name whose other searched text (person,
// place, body: "lo thi mai | thon moi | chi hoi") starts no word with a, b,
// d, k, n, v, x or a digit, so that the queries below see the names alone.
func addWordsModel(t *testing.T, s *Store, name string) domain.Model {
	t.Helper()
	m := validModel()
	m.Name, m.PersonName, m.Location, m.Body, m.BodyOther = name, "Lò Thị Mai", "Thôn Mới", domain.BodyOther, "Chi hội"
	out, err := s.SaveModel(context.Background(), officer, m)
	if err != nil {
		t.Fatalf("save %q: %v", name, err)
	}
	return out
}

func TestSearchShortWordsMatchWordStarts(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	for _, name := range []string{
		"Camera an ninh Xóm 3", "Camera an ninh Xóm 35", "Camera an ninh Xóm 13", "Đèn đường năm 2023",
		"Tổ tự quản 3/5 khu-B", "Nhà văn hóa (A)", "Mô hình “Dân vận khéo” số 7", "Câu lạc bộ ø3",
	} {
		addWordsModel(t, s, name)
	}
	gone := addWordsModel(t, s, "Xóm 3 đã xoá")
	if err := s.DeleteModel(ctx, officer, gone.ID, gone.Revision); err != nil {
		t.Fatal(err)
	}
	renamed := addWordsModel(t, s, "Vườn mẫu xóm 3")
	renamed.Name = "Vườn mẫu thôn 9"
	if _, err := s.SaveModel(ctx, officer, renamed); err != nil {
		t.Fatal(err)
	}
	checkSearchIndex(t, s)

	tests := []struct {
		name, query string
		want        []string
	}{
		{"word and number", "xom 3", []string{"Camera an ninh Xóm 3", "Camera an ninh Xóm 35"}},
		{"typed with marks", "Xóm 3", []string{"Camera an ninh Xóm 3", "Camera an ninh Xóm 35"}},
		{"number alone", "3", []string{"Camera an ninh Xóm 3", "Camera an ninh Xóm 35", "Tổ tự quản 3/5 khu-B"}},
		{"two digits", "35", []string{"Camera an ninh Xóm 35"}},
		{"two digits inside", "xom 13", []string{"Camera an ninh Xóm 13"}},
		{"year start", "20", []string{"Đèn đường năm 2023"}},
		{"year inside", "23", nil},
		{"one letter", "a", []string{"Camera an ninh Xóm 13", "Camera an ninh Xóm 3", "Camera an ninh Xóm 35", "Nhà văn hóa (A)"}},
		{"letter and bracket", "a)", []string{"Camera an ninh Xóm 13", "Camera an ninh Xóm 3", "Camera an ninh Xóm 35", "Nhà văn hóa (A)"}},
		{"long with brackets", "(a)", []string{"Nhà văn hóa (A)"}},
		{"đ", "đ", []string{"Mô hình “Dân vận khéo” số 7", "Đèn đường năm 2023"}},
		{"d for đ", "d", []string{"Mô hình “Dân vận khéo” số 7", "Đèn đường năm 2023"}},
		{"two letters with marks", "Đư", []string{"Đèn đường năm 2023"}},
		{"after a hyphen", "b", []string{"Câu lạc bộ ø3", "Tổ tự quản 3/5 khu-B"}},
		{"after a slash", "5", []string{"Tổ tự quản 3/5 khu-B"}},
		{"two letters", "kh", []string{"Mô hình “Dân vận khéo” số 7", "Tổ tự quản 3/5 khu-B"}},
		{"after a curly quote", "da", []string{"Mô hình “Dân vận khéo” số 7"}},
		{"after a closing quote", "7", []string{"Mô hình “Dân vận khéo” số 7"}},
		{"after another letter", "xom 3 bo", nil},
		{"other letter", "ø", []string{"Câu lạc bộ ø3"}},
		{"curly quote and letter", "“d", []string{"Mô hình “Dân vận khéo” số 7"}},
		{"hyphen", "-", []string{"Tổ tự quản 3/5 khu-B"}},
		{"percent", "%", nil},
		{"long and short", "an ninh 3", []string{"Camera an ninh Xóm 3", "Camera an ninh Xóm 35"}},
		{"twice", "3 3", []string{"Camera an ninh Xóm 3", "Camera an ninh Xóm 35", "Tổ tự quản 3/5 khu-B"}},
		{"no such year", "xom 3 2023", nil},
		{"deleted", "da xoa", nil},
		{"new name", "9", []string{"Vườn mẫu thôn 9"}},
		{"new name long", "vuon thon", []string{"Vườn mẫu thôn 9"}},
		{"old name", "vuon xom", nil},
	}
	defer func(n int) { searchScanFrom = n }(searchScanFrom)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, scanFrom := range []int{0, 1 << 30} {
				searchScanFrom = scanFrom // the list's index in order, then the matches by rowid
				ms, err := s.SearchModels(ctx, ModelFilter{Query: tt.query})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, m := range ms {
					got = append(got, m.Name)
					if !oracleMatch(searchKey(&m), tt.query) {
						t.Errorf("%q found %q, which the oracle does not", tt.query, m.Name)
					}
				}
				slices.Sort(got)
				if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
					t.Errorf("%q (scan from %d) found %q, want %q", tt.query, scanFrom, got, tt.want)
				}
				for _, f := range []ModelFilter{{Query: tt.query}, {Query: tt.query, Field: domain.FieldEconomy}} {
					if n, err := s.CountModels(ctx, f); err != nil || n != len(tt.want) {
						t.Errorf("%+v (scan from %d): count %d, %v; want %d", f, scanFrom, n, err, len(tt.want))
					}
				}
			}
		})
	}
}

// TestModelWordsMigrationFillsExistingRows opens a data folder written
// before migration 0008 and wants its live models, and only those, found by
// their word starts.
func TestModelWordsMigrationFillsExistingRows(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	addWordsModel(t, s, "Camera an ninh Xóm 3")
	addWordsModel(t, s, "Đèn đường năm 2023")
	gone := addWordsModel(t, s, "Xóm 3 đã xoá")
	if err := s.DeleteModel(ctx, officer, gone.ID, gone.Revision); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`DROP TRIGGER models_words_before_insert; DROP TRIGGER models_words_after_insert;
		DROP TRIGGER models_words_after_update; DROP TRIGGER models_words_after_delete; DROP TABLE models_words;
		DELETE FROM schema_migrations WHERE version = 8`); err != nil {
		t.Fatal(err)
	}
	// Written while the folder had no word index: only 0008's fill can find it.
	addWordsModel(t, s, "Nhà văn hóa (A)")
	dir := s.dir
	s.Close()

	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied int
	if err := s.db.QueryRow(`SELECT count(*) FROM schema_migrations WHERE version = 8`).Scan(&applied); err != nil || applied != 1 {
		t.Fatalf("migration 0008 applied %d times, %v", applied, err)
	}
	checkSearchIndex(t, s)
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"xom 3", 1},
		{"3", 1},
		{"a", 2},
		{"d", 1},
		{"20", 1},
		{"da", 0},
	} {
		t.Run(tt.query, func(t *testing.T) {
			if n, err := s.CountModels(ctx, ModelFilter{Query: tt.query}); err != nil || n != tt.want {
				t.Errorf("count %d, %v; want %d", n, err, tt.want)
			}
			if ms, err := s.SearchModels(ctx, ModelFilter{Query: tt.query}); err != nil || len(ms) != tt.want {
				t.Errorf("found %d, %v; want %d", len(ms), err, tt.want)
			}
		})
	}
}
