package store

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"danvan/store/vn"
)

// ModelFilter narrows the model list. Zero values mean "any".
type ModelFilter struct {
	Query  string // words to find, diacritics ignored: "suoi hoa" finds "Suối Hoa"
	Field  Field
	Status ModelStatus
	Kind   ModelKind
	Body   Body
	Year   int
	Owner  string // owner office id
	Limit  int    // 0 means no limit
	Offset int
}

// searchWords splits the folded query into the words the trigram index can
// find (three letters or more), as one FTS5 match of quoted phrases so that
// quotes and words like OR or NEAR stay plain text, and the shorter words,
// which only instr can find.
func searchWords(query string) (match string, short []string) {
	var phrases []string
	for _, w := range strings.Fields(vn.Fold(query)) {
		if utf8.RuneCountInString(w) < 3 {
			short = append(short, w)
			continue
		}
		phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(phrases, " "), short
}

// searchScanFrom is how many matches make it cheaper to walk the list's
// index in order and stop at the page's end than to fetch and sort every
// match the trigram index names.
var searchScanFrom = 1000

// where builds the WHERE clause of f over live models. Each query word must
// appear in the folded search text: with match set, the long words are
// looked up in the trigram index; the rest are tested with instr, which
// needs no escaping of % and _.
func (f ModelFilter) where(match bool) (string, []any) {
	conds := []string{"deleted_at = ''"}
	var args []any
	long, short := searchWords(f.Query)
	if match && long != "" {
		conds = append(conds, "rowid IN (SELECT rowid FROM models_search WHERE models_search MATCH ?)")
		args = append(args, long)
	} else {
		short = strings.Fields(vn.Fold(f.Query))
	}
	for _, w := range short {
		conds = append(conds, "instr(search_fold, ?) > 0")
		args = append(args, w)
	}
	if f.Field != "" {
		conds = append(conds, "field = ?")
		args = append(args, f.Field)
	}
	if f.Status != "" {
		conds = append(conds, "status = ?")
		args = append(args, f.Status)
	}
	if f.Kind != "" {
		conds = append(conds, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.Body != "" {
		conds = append(conds, "body = ?")
		args = append(args, f.Body)
	}
	if f.Year != 0 {
		conds = append(conds, "year = ?")
		args = append(args, f.Year)
	}
	if f.Owner != "" {
		conds = append(conds, "owner_office_id = ?")
		args = append(args, f.Owner)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// SearchModels returns the live models f selects, newest year first, then
// by name.
func (s *Store) SearchModels(ctx context.Context, f ModelFilter) ([]Model, error) {
	from := ` FROM models INDEXED BY models_list`
	where, args := f.where(false)
	if long, _ := searchWords(f.Query); long != "" {
		n, err := s.countMatches(ctx, long, nil)
		if err != nil || n == 0 {
			return nil, err
		}
		if n < searchScanFrom {
			// Few matches: fetch them by rowid and sort them.
			from = ` FROM models NOT INDEXED`
			where, args = f.where(true)
		}
	}
	q := `SELECT ` + modelCols + from + where + ` ORDER BY deleted_at, year DESC, name_fold, id`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Model
	for rows.Next() {
		m, err := scanModel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountModels counts the live models f selects (ignoring Limit and Offset).
func (s *Store) CountModels(ctx context.Context, f ModelFilter) (int, error) {
	long, short := searchWords(f.Query)
	if f.Query != "" && f == (ModelFilter{Query: f.Query, Limit: f.Limit, Offset: f.Offset}) {
		// The trigram index holds the search text of just the live models.
		return s.countMatches(ctx, long, short)
	}
	from := ` FROM models`
	where, args := f.where(false)
	if long != "" {
		n, err := s.countMatches(ctx, long, nil)
		if err != nil || n == 0 {
			return 0, err
		}
		if n < searchScanFrom {
			from = ` FROM models NOT INDEXED`
			where, args = f.where(true)
		}
	}
	if from == ` FROM models` && (f.Query != "" || f.Body != "" || f.Year != 0 || f.Owner != "") {
		from = ` FROM models INDEXED BY models_list` // the only index that holds these columns
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*)`+from+where, args...).Scan(&n)
	return n, err
}

// countMatches counts the live models whose search text holds the trigram
// match and every short word.
func (s *Store) countMatches(ctx context.Context, match string, short []string) (int, error) {
	conds := []string{"1"} // a query of blanks holds no word and selects every live model
	var args []any
	if match != "" {
		conds = append(conds, "models_search MATCH ?")
		args = append(args, match)
	}
	for _, w := range short {
		conds = append(conds, "instr(search_fold, ?) > 0")
		args = append(args, w)
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM models_search WHERE `+strings.Join(conds, " AND "), args...).Scan(&n)
	return n, err
}

// ModelCounts is how many live models each field has.
type ModelCounts struct {
	ByField map[Field]int
	Total   int
}

// CountModelsByField counts the live models f selects, per field.
func (s *Store) CountModelsByField(ctx context.Context, f ModelFilter) (ModelCounts, error) {
	f.Field = ""
	where, args := f.where(false)
	c := ModelCounts{ByField: map[Field]int{}}
	rows, err := s.db.QueryContext(ctx, `SELECT field, count(*) FROM models`+where+` GROUP BY field`, args...)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var fl Field
		var n int
		if err := rows.Scan(&fl, &n); err != nil {
			return c, err
		}
		c.ByField[fl] = n
		c.Total += n
	}
	return c, rows.Err()
}

// ModelYears lists the registration years in use, newest first, for the
// year filter.
func (s *Store) ModelYears(ctx context.Context) ([]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT year FROM models WHERE deleted_at = '' ORDER BY year DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// SimilarThreshold is how alike two folded names must be (Dice coefficient
// of their letter pairs) to warn "có thể trùng với …".
const SimilarThreshold = 0.75

// SimilarModels returns the active models of m's owner office and field
// whose names closely resemble m's, most alike first (at most 5). m itself
// is left out. It is a warning, not a rule: the officer may save anyway.
func (s *Store) SimilarModels(ctx context.Context, m Model) ([]Model, error) {
	name := vn.Fold(vn.Clean(m.Name))
	if name == "" || !m.Field.Valid() {
		return nil, nil
	}
	owner := m.OwnerOfficeID
	if owner == "" {
		o, err := s.SelfOffice(ctx)
		if err != nil {
			return nil, err
		}
		owner = o.ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name_fold FROM models
		WHERE deleted_at = '' AND status <> 'discontinued' AND owner_office_id = ? AND field = ? AND id <> ?`,
		owner, m.Field, m.ID)
	if err != nil {
		return nil, err
	}
	type hit struct {
		id    string
		score float64
	}
	var hits []hit
	want := bigrams(name)
	for rows.Next() {
		var id, other string
		if err := rows.Scan(&id, &other); err != nil {
			rows.Close()
			return nil, err
		}
		if sc := similarity(name, other, want); sc >= SimilarThreshold {
			hits = append(hits, hit{id, sc})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	if len(hits) > 5 {
		hits = hits[:5]
	}
	out := make([]Model, 0, len(hits))
	for _, h := range hits {
		sm, err := s.Model(ctx, h.id)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, nil
}

// similarity scores two folded names from 0 to 1: 1 when equal or when one
// holds the other whole (at least two words), else the Dice coefficient of
// their letter pairs, which shrugs off a changed word ending or word order.
func similarity(a, b string, aPairs map[string]int) float64 {
	if a == b {
		return 1
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if strings.Contains(short, " ") && strings.Contains(" "+long+" ", " "+short+" ") {
		return 1
	}
	bPairs := bigrams(b)
	total, common := 0, 0
	for _, n := range aPairs {
		total += n
	}
	for p, n := range bPairs {
		total += n
		common += min(n, aPairs[p])
	}
	if total == 0 {
		return 0
	}
	return 2 * float64(common) / float64(total)
}

func bigrams(s string) map[string]int {
	r := []rune(s)
	out := map[string]int{}
	for i := 0; i+1 < len(r); i++ {
		if r[i] == ' ' || r[i+1] == ' ' {
			continue
		}
		out[string(r[i:i+2])]++
	}
	return out
}
