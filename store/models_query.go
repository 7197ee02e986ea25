package store

import (
	"context"
	"danvan/internal/domain"
	"sort"
	"strings"
	"unicode/utf8"

	"danvan/store/vn"
)

// ModelFilter narrows the model list. Zero values mean "any".
type ModelFilter struct {
	Query  string // words to find, diacritics ignored: "suoi hoa" finds "Suối Hoa"
	Field  domain.Field
	Status domain.ModelStatus
	Kind   domain.ModelKind
	Body   domain.Body
	Year   int
	Owner  string // owner office id
	Limit  int    // 0 means no limit
	Offset int
}

// searchTerms is the folded query split by the way each word is found.
// Words of three letters or more are found anywhere in the search text,
// through the trigram index models_search; shorter words are found at the
// start of a word ("xom 3" finds "Xóm 3" and "Xóm 35", not "2023"), through
// the word index models_words, because a trigram index cannot look up fewer
// than three letters and reading every row is too slow (docs/performance.md
// P3).
type searchTerms struct {
	long      string   // FTS5 match on models_search: the long words as quoted phrases
	longWords []string // the same words, for instr where the rows are read anyway
	start     string   // FTS5 match on models_words: the short words as word prefixes
	starts    []string // the same prefixes, for GLOB where the rows are read anyway
	odd       []string // short words with no letter or digit ("%", "-"): tested with instr
}

func parseSearch(query string) searchTerms {
	var t searchTerms
	var phrases, starts []string
	for _, w := range strings.Fields(vn.Fold(query)) {
		if utf8.RuneCountInString(w) >= 3 {
			// Quoted, so that quotes and words like OR or NEAR stay plain text.
			phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
			t.longWords = append(t.longWords, w)
			continue
		}
		if p, ok := wordStart(w); ok {
			starts = append(starts, `"`+p+`"*`)
			t.starts = append(t.starts, p)
		} else {
			t.odd = append(t.odd, w)
		}
	}
	t.long = strings.Join(phrases, " ")
	t.start = strings.Join(starts, " ")
	return t
}

// wordStart is the start of a word a short query word asks for: its letters
// and digits, without the punctuation around them ("3," asks for "3"). Only
// ASCII ones: folded Vietnamese is ASCII, and on ASCII models_words'
// tokenizer and this function surely agree on what a letter is, so the
// match is always one token, never a phrase the index cannot answer. A
// short word with anything else is looked for anywhere in the text.
func wordStart(w string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= utf8.RuneSelf:
			return "", false
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		}
	}
	return b.String(), b.Len() > 0
}

// matches is a SELECT of the rowids of the live models whose indexed words
// all match, with its arguments, or "" when no word is indexed. A word of
// each kind intersects the two indexes' answers: as an IN list on one side,
// SQLite would run the other index's match once per row.
func (t searchTerms) matches() (string, []any) {
	trigram := `SELECT rowid FROM models_search WHERE models_search MATCH ?`
	words := `SELECT rowid FROM models_words WHERE models_words MATCH ?`
	switch {
	case t.long != "" && t.start != "":
		return trigram + ` INTERSECT ` + words, []any{t.long, t.start}
	case t.long != "":
		return trigram, []any{t.long}
	case t.start != "":
		return words, []any{t.start}
	}
	return "", nil
}

// searchScanFrom is how many matches make it cheaper to walk the list's
// index in order and stop at the page's end than to fetch and sort every
// match the indexes name.
var searchScanFrom = 1000

// where builds the WHERE clause of f over live models. With fetch set, the
// rows are the ones the indexes name; else the list's index is walked and
// each row tested: the long words with instr, which needs no escaping of %
// and _, the word starts with GLOB. On ASCII text (all folded Vietnamese)
// a word starts after anything but an ASCII letter or digit, as in
// models_words' tokenizer; a row with other characters asks the word index,
// whose answer SQLite gathers only once such a row comes up, so that page
// and count always agree.
func (f ModelFilter) where(t searchTerms, fetch bool) (string, []any) {
	conds := []string{"deleted_at = ''"}
	var args []any
	if set, setArgs := t.matches(); fetch && set != "" {
		conds = append(conds, "rowid IN ("+set+")")
		args = append(args, setArgs...)
	} else {
		for _, w := range t.longWords {
			conds = append(conds, "instr(search_fold, ?) > 0")
			args = append(args, w)
		}
		for _, p := range t.starts {
			conds = append(conds, "(' ' || search_fold) GLOB ?")
			args = append(args, "*[^0-9a-z]"+p+"*")
		}
		if t.start != "" {
			conds = append(conds, "(search_fold NOT GLOB '*[^ -~]*' OR rowid IN (SELECT rowid FROM models_words WHERE models_words MATCH ?))")
			args = append(args, t.start)
		}
	}
	for _, w := range t.odd {
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

// plan picks how to read the models f selects: fetch the few rows the
// indexes name (fetch true), or walk the list's index in order. found is
// false when the indexes name no row at all.
func (s *Store) plan(ctx context.Context, t searchTerms) (fetch, found bool, err error) {
	set, args := t.matches()
	if set == "" {
		return false, true, nil
	}
	// Counting stops at the threshold: past it the matches' number does not
	// change the plan, and counting them all would cost as much again.
	n, err := s.countRows(ctx, set+` LIMIT ?`, append(args, max(searchScanFrom, 1)))
	if err != nil || n == 0 {
		return false, false, err
	}
	return n < searchScanFrom, true, nil
}

func (s *Store) countRows(ctx context.Context, set string, args []any) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+set+`)`, args...).Scan(&n)
	return n, err
}

// SearchModels returns the live models f selects, newest year first, then
// by name.
func (s *Store) SearchModels(ctx context.Context, f ModelFilter) ([]domain.Model, error) {
	t := parseSearch(f.Query)
	fetch, found, err := s.plan(ctx, t)
	if err != nil || !found {
		return nil, err
	}
	from := ` FROM models INDEXED BY models_list`
	if fetch {
		from = ` FROM models NOT INDEXED` // few matches: fetch them by rowid and sort them
	}
	where, args := f.where(t, fetch)
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
	var out []domain.Model
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
	t := parseSearch(f.Query)
	if f.Query != "" && len(t.odd) == 0 && f == (ModelFilter{Query: f.Query, Limit: f.Limit, Offset: f.Offset}) {
		// The indexes hold the search text of just the live models.
		set, args := t.matches()
		if set == "" {
			set = `SELECT rowid FROM models_search` // a query of blanks selects every live model
		}
		return s.countRows(ctx, set, args)
	}
	fetch, found, err := s.plan(ctx, t)
	if err != nil || !found {
		return 0, err
	}
	from := ` FROM models`
	switch {
	case fetch:
		from = ` FROM models NOT INDEXED`
	case f.Query != "" || f.Body != "" || f.Year != 0 || f.Owner != "":
		from = ` FROM models INDEXED BY models_list` // the only index that holds these columns
	}
	where, args := f.where(t, fetch)
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*)`+from+where, args...).Scan(&n)
	return n, err
}

// ModelCounts is how many live models each field has.
type ModelCounts struct {
	ByField map[domain.Field]int
	Total   int
}

// CountModelsByField counts the live models f selects, per field.
func (s *Store) CountModelsByField(ctx context.Context, f ModelFilter) (ModelCounts, error) {
	f.Field = ""
	where, args := f.where(parseSearch(f.Query), false)
	c := ModelCounts{ByField: map[domain.Field]int{}}
	rows, err := s.db.QueryContext(ctx, `SELECT field, count(*) FROM models`+where+` GROUP BY field`, args...)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var fl domain.Field
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
func (s *Store) SimilarModels(ctx context.Context, m domain.Model) ([]domain.Model, error) {
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
	out := make([]domain.Model, 0, len(hits))
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
