package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"danvan/store/vn"

	"github.com/google/uuid"
)

// RowProblem is one reason a row of an import file cannot be stored: the
// file row number (the header is row 1), the column header and the problem.
type RowProblem struct {
	Line   int
	Column string // header text; "" for a problem with the whole row
	Code   string // the message key without "err."
	Args   map[string]any
}

func (p RowProblem) Error() string {
	return "row " + strconv.Itoa(p.Line) + ", " + p.Column + ": " + p.Code
}

// MessageCode implements Coded: the reason, without the row and column.
func (p RowProblem) MessageCode() (string, map[string]any) { return p.Code, p.Args }

// ModelImportOptions say what ImportModels does with what it reads.
type ModelImportOptions struct {
	DryRun      bool // check and count only; store nothing
	SkipInvalid bool // store the valid rows even when others have problems
}

// ModelImportResult says what an import did, or would do on a dry run.
type ModelImportResult struct {
	Created, Updated, Unchanged int
	Problems                    []RowProblem
	// Rejected lists the indexes (into the rows given) of rows with
	// problems, for the rejects file.
	Rejected []int
	// Ignored lists header cells that name no known column.
	Ignored []string
	// Repaired lists what a spreadsheet predictably did to a cell and the
	// import undid: a phone number's leading zero dropped, a date's year
	// cut to two digits. Shown with the dry run.
	Repaired []RowRepair
	// Stored is true when the changes were written.
	Stored bool
}

// ErrImportInvalid is returned when some rows have problems and the import
// stored nothing; the problems are in the result.
var ErrImportInvalid = errors.New("store: the import file has problems; nothing was stored")

type importRow struct {
	idx      int
	line     int
	m        domain.Model
	existing *domain.Model
	problems []RowProblem
	repaired []RowRepair
}

// RowRepair is one cell read back from what a spreadsheet made of it.
type RowRepair struct {
	Line     int
	Column   string // header text
	From, To string
	Code     string // why, a message key without "err.": "models.repair_phone", "models.repair_year"
}

// spreadsheetRepair undoes what Excel and LibreOffice do to a Vietnamese
// list opened and saved: a phone number stored as a number loses its
// leading zero (0989001103 → 989001103), and an en-US date format writes
// two-digit years (10/06/2024 → 10/06/24). Only when the meaning is not in
// doubt: nine digits starting 1–9 is a mobile number without its 0, ten
// digits starting 2 a landline (02x…) without it; a two-digit year is 20yy
// up to next year, 19yy before.
func spreadsheetRepair(c *modelColumn, cell string, now time.Time) (string, string, bool) {
	switch {
	case c.field == "model_person_phone" && domain.AllDigits(cell) &&
		(len(cell) == 9 && cell[0] >= '1' && cell[0] <= '9' || len(cell) == 10 && cell[0] == '2'):
		return "0" + cell, "models.repair_phone", true
	case c.typ == domain.TypeDate:
		parts := strings.FieldsFunc(cell, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
		if len(parts) != 3 || len(parts[2]) != 2 || !domain.AllDigits(parts[0]) || !domain.AllDigits(parts[1]) || !domain.AllDigits(parts[2]) || len(parts[0]) > 2 || len(parts[1]) > 2 {
			return "", "", false
		}
		yy, _ := strconv.Atoi(parts[2])
		century := 2000
		if yy > now.Year()%100+1 {
			century = 1900
		}
		d, _ := strconv.Atoi(parts[0])
		m, _ := strconv.Atoi(parts[1])
		return fmt.Sprintf("%02d/%02d/%d", d, m, century+yy), "models.repair_year", true
	}
	return "", "", false
}

// ImportModels reads an interchange table (CLI.md "Models") and stores it in
// one transaction. Every row is checked first; unless opts.SkipInvalid, one
// bad row means nothing is stored and ErrImportInvalid is returned with each
// problem listed. A row matches an existing model by Mã, or when Mã is empty
// by folded name + field + year among this office's live models, so that
// importing the same file again changes nothing.
func (s *Store) ImportModels(ctx context.Context, actor Actor, header []string, rows [][]string, lines []int, opts ModelImportOptions) (ModelImportResult, error) {
	var res ModelImportResult
	if err := actor.require(PermEdit); err != nil {
		return res, err
	}
	cols, headProblems, ignored := mapHeader(header)
	res.Ignored = ignored
	if len(headProblems) > 0 {
		res.Problems = headProblems
		for i := range rows {
			res.Rejected = append(res.Rejected, i)
		}
		return res, ErrImportInvalid
	}
	now := s.now()
	parsed := make([]*importRow, len(rows))
	for i, rec := range rows {
		line := i + 2
		if i < len(lines) {
			line = lines[i]
		}
		parsed[i] = parseModelRow(i, line, rec, cols, now)
		res.Repaired = append(res.Repaired, parsed[i].repaired...)
	}
	errApplied := errors.New("dry run")
	err := s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeID(ctx, tx)
		if err != nil {
			return err
		}
		if err := matchRows(ctx, tx, self, parsed, cols, now); err != nil {
			return err
		}
		for _, r := range parsed {
			if len(r.problems) > 0 {
				res.Problems = append(res.Problems, r.problems...)
				res.Rejected = append(res.Rejected, r.idx)
			}
		}
		if len(res.Problems) > 0 && !opts.SkipInvalid {
			return ErrImportInvalid
		}
		for _, r := range parsed {
			if len(r.problems) > 0 {
				continue
			}
			changed, err := s.applyImportRow(ctx, tx, actor, self, r)
			if err != nil {
				return err
			}
			switch {
			case r.existing == nil:
				res.Created++
			case changed:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		if err := s.audit(ctx, tx, actor, ActionImport, "model", "", nil, map[string]int{
			"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "rejected": len(res.Rejected)}); err != nil {
			return err
		}
		if opts.DryRun {
			return errApplied
		}
		return nil
	})
	switch {
	case errors.Is(err, errApplied):
		return res, nil
	case err != nil:
		return res, err
	}
	res.Stored = true
	return res, nil
}

// mapHeader finds each known column in the header. Header cells are matched
// like enumerated values (case, diacritics and dash spacing ignored), so
// "ten mo hinh" is accepted too.
func mapHeader(header []string) (map[int]*modelColumn, []RowProblem, []string) {
	cols := map[int]*modelColumn{}
	seen := map[string]bool{}
	var problems []RowProblem
	var ignored []string
	for i, h := range header {
		if h == "" {
			continue
		}
		var found *modelColumn
		for j := range modelColumns {
			if domain.MatchKey(modelColumns[j].header) == domain.MatchKey(h) {
				found = &modelColumns[j]
				break
			}
		}
		if found == nil {
			ignored = append(ignored, h)
			continue
		}
		if seen[found.header] {
			problems = append(problems, RowProblem{Line: 1, Column: h, Code: "models.dup_column"})
			continue
		}
		seen[found.header] = true
		cols[i] = found
	}
	for _, c := range modelColumns {
		if c.required && !seen[c.header] {
			problems = append(problems, RowProblem{Line: 1, Column: c.header, Code: "models.missing_column"})
		}
	}
	return cols, problems, ignored
}

func parseModelRow(idx, line int, rec []string, cols map[int]*modelColumn, now time.Time) *importRow {
	r := &importRow{idx: idx, line: line}
	byField := map[string]string{}
	unreadable := map[string]bool{} // fields whose cell could not be read: Validate would only repeat it
	bad := func(c *modelColumn, code string, args map[string]any) {
		r.problems = append(r.problems, RowProblem{Line: line, Column: c.header, Code: code, Args: args})
		unreadable[c.field] = true
	}
	order := make([]int, 0, len(cols))
	for i := range cols {
		order = append(order, i)
	}
	sort.Ints(order) // problems and repairs in the file's column order
	for _, i := range order {
		c := cols[i]
		byField[c.field] = c.header
		cell := ""
		if i < len(rec) {
			cell = rec[i]
		}
		if c.typ == domain.TypeLong {
			cell = domain.CleanLong(cell)
		} else {
			cell = vn.Clean(cell)
		}
		if vn.HasControl(cell) {
			bad(c, "control_chars", nil)
			continue
		}
		if fixed, why, ok := spreadsheetRepair(c, cell, now); ok {
			r.repaired = append(r.repaired, RowRepair{Line: line, Column: c.header, From: cell, To: fixed, Code: why})
			cell = fixed
		}
		if p := c.set(&r.m, cell); p != nil {
			bad(c, p.Code, p.Args)
		}
	}
	if r.m.ID != "" {
		u, err := uuid.Parse(r.m.ID)
		if err != nil {
			r.problems = append(r.problems, RowProblem{Line: line, Column: domain.ColID, Code: "models.bad_id"})
		} else {
			r.m.ID = u.String()
		}
	}
	statusGiven := r.m.Status != "" || unreadable["model_status"]
	if !statusGiven {
		r.m.Status = domain.StatusRegistered
	}
	r.m.Normalize()
	var ve *domain.ValidationError
	if errors.As(r.m.Validate(now), &ve) {
		for _, f := range ve.Fields {
			if unreadable[f.Field] || (f.Field == "model_status" && unreadable["model_status"]) {
				continue
			}
			col := byField[f.Field]
			if col == "" {
				col = columnFor(f.Field)
			}
			r.problems = append(r.problems, RowProblem{Line: line, Column: col, Code: f.Code, Args: f.Args})
		}
	}
	if !statusGiven {
		r.m.Status = ""
	}
	// Report in the file's column order, as the officer reads the row.
	pos := map[string]int{}
	for i, c := range cols {
		pos[c.header] = i
	}
	sort.SliceStable(r.problems, func(a, b int) bool { return pos[r.problems[a].Column] < pos[r.problems[b].Column] })
	return r
}

func columnFor(field string) string {
	for _, c := range modelColumns {
		if c.field == field {
			return c.header
		}
	}
	return ""
}

// matchRows finds the existing model of each row, and the rows that repeat
// another row of the same file.
func matchRows(ctx context.Context, tx *sql.Tx, self string, rows []*importRow, cols map[int]*modelColumn, now time.Time) error {
	byID := map[string]int{}
	byKey := map[string]int{}
	for _, r := range rows {
		if len(r.problems) > 0 {
			continue
		}
		key := vn.Fold(r.m.Name) + "\x00" + string(r.m.Field) + "\x00" + strconv.Itoa(r.m.Year)
		if r.m.ID != "" {
			if first, dup := byID[r.m.ID]; dup {
				r.problems = append(r.problems, RowProblem{Line: r.line, Column: domain.ColID, Code: "models.dup_id", Args: map[string]any{"Other": first}})
				continue
			}
			byID[r.m.ID] = r.line
			old, err := getModel(ctx, tx, r.m.ID)
			switch {
			case errors.Is(err, ErrNotFound):
			case err != nil:
				return err
			case old.OwnerOfficeID != self:
				r.problems = append(r.problems, RowProblem{Line: r.line, Column: domain.ColID, Code: "models.not_own"})
				continue
			case old.Deleted():
				r.problems = append(r.problems, RowProblem{Line: r.line, Column: domain.ColID, Code: "models.deleted"})
				continue
			default:
				r.existing = &old
			}
		} else {
			if first, dup := byKey[key]; dup {
				r.problems = append(r.problems, RowProblem{Line: r.line, Column: domain.ColName, Code: "models.dup_row", Args: map[string]any{"Other": first}})
				continue
			}
			old, err := scanModel(tx.QueryRowContext(ctx, `SELECT `+modelCols+` FROM models
				WHERE owner_office_id = ? AND name_fold = ? AND field = ? AND year = ? AND deleted_at = '' ORDER BY created_at LIMIT 1`,
				self, vn.Fold(r.m.Name), r.m.Field, r.m.Year))
			switch {
			case errors.Is(err, ErrNotFound):
			case err != nil:
				return err
			default:
				r.existing = &old
			}
		}
		byKey[key] = r.line
		if r.existing != nil {
			mergeUnlisted(&r.m, r.existing, cols)
			if r.m.Status == "" {
				r.m.Status = r.existing.Status
			}
			if !domain.Reachable(r.existing.Status, r.m.Status) {
				r.problems = append(r.problems, RowProblem{Line: r.line, Column: domain.ColStatus, Code: "models.transition",
					Args: map[string]any{"From": string(r.existing.Status), "To": string(r.m.Status)}})
			}
			// The merged record can need details the row alone did not.
			var ve *domain.ValidationError
			if errors.As(r.m.Validate(now), &ve) {
				for _, f := range ve.Fields {
					r.problems = append(r.problems, RowProblem{Line: r.line, Column: columnFor(f.Field), Code: f.Code, Args: f.Args})
				}
			}
		} else if r.m.Status == "" {
			r.m.Status = domain.StatusRegistered
		}
	}
	return nil
}

// mergeUnlisted keeps, for a matched model, the values of columns the file
// does not have: a file with only the contract's 21 columns must not wipe
// the tasks or the target group typed on the screen.
func mergeUnlisted(m, old *domain.Model, cols map[int]*modelColumn) {
	present := map[string]bool{}
	for _, c := range cols {
		present[c.header] = true
	}
	for _, c := range modelColumns {
		if present[c.header] || c.header == domain.ColID {
			continue
		}
		c.set(m, c.get(old))
	}
}

// applyImportRow stores one checked row and reports whether it changed
// anything.
func (s *Store) applyImportRow(ctx context.Context, tx *sql.Tx, actor Actor, self string, r *importRow) (bool, error) {
	m := r.m
	now := s.now()
	if r.existing == nil {
		if m.ID == "" {
			m.ID = NewID()
		}
		m.OwnerOfficeID = self
		m.Revision = 1
		if err := s.stamp(ctx, tx, actor, &m); err != nil {
			return false, err
		}
		if err := putModel(ctx, tx, &m); err != nil {
			return false, err
		}
		if err := addHistory(ctx, tx, domain.StatusEvent{ModelID: m.ID, On: domain.ModelDay(now), To: m.Status,
			Rating: m.Rating, Level: m.Level, DecisionNo: m.DecisionNo, DecisionDate: m.DecisionDate, Reason: m.StopReason,
			RecordedAt: now, RecordedBy: actor.Name}); err != nil {
			return false, err
		}
		return true, s.audit(ctx, tx, actor, ActionInsert, "model", m.ID, nil, m)
	}
	old := *r.existing
	m.ID, m.OwnerOfficeID, m.CreatedAt = old.ID, old.OwnerOfficeID, old.CreatedAt
	if slices.Equal(ModelRecord(&old), ModelRecord(&m)) {
		return false, nil
	}
	m.Revision = old.Revision + 1
	if err := s.stamp(ctx, tx, actor, &m); err != nil {
		return false, err
	}
	if err := putModel(ctx, tx, &m); err != nil {
		return false, err
	}
	if m.Status != old.Status {
		if err := addHistory(ctx, tx, domain.StatusEvent{ModelID: m.ID, On: domain.ModelDay(now), From: old.Status, To: m.Status,
			Rating: m.Rating, Level: m.Level, DecisionNo: m.DecisionNo, DecisionDate: m.DecisionDate, Reason: m.StopReason,
			RecordedAt: now, RecordedBy: actor.Name}); err != nil {
			return false, err
		}
	}
	return true, s.audit(ctx, tx, actor, ActionUpdate, "model", m.ID, old, m)
}
