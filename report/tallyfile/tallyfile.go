// Package tallyfile is the tallies interchange file (CLI.md "Tallies"): the
// 13-column form of Biểu 06 as a spreadsheet, one row a field of a period.
// It joins report/sheet (reading and writing CSV and XLSX) with the store's
// rules, for the command line and the window alike, as report/modelsfile
// does for the models list.
package tallyfile

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"strconv"
	"strings"

	"danvan/report/sheet"
	"danvan/store"
)

// The header cells of the file. They are part of the format, the same in
// every language, so they are not translated.
const (
	HeadPeriod = "Kỳ báo cáo"
	HeadField  = "Lĩnh vực"
)

// ColHead is the header of column c of the form: "Cột (3)". A bare "(3)"
// became the number -3 in Excel, LibreOffice and Gnumeric (accounting
// notation), so a file opened and saved there lost its headers; Read still
// takes "(3)", and the "-3" a spreadsheet made of it.
func ColHead(c int) string { return fmt.Sprintf("Cột (%d)", c) }

// colAliases are the other headers column c is recognised by.
func colAliases(c int) []string { return []string{fmt.Sprintf("(%d)", c), fmt.Sprintf("-%d", c)} }

// Header is the file's first row.
func Header() []string {
	out := []string{HeadPeriod, HeadField}
	for c := domain.FirstCol; c <= domain.LastCol; c++ {
		out = append(out, ColHead(c))
	}
	return out
}

// Table is forms as the file: each field's row of each period, (3) to (13)
// as the form shows them (carry-over (6) filled in). With blanks, a field
// not reported yet gets an empty row, ready to fill in.
func Table(forms []store.PeriodTallies, blanks bool) *sheet.Table {
	t := &sheet.Table{Header: Header(), Kinds: []sheet.Kind{sheet.Text, sheet.Text}}
	for c := domain.FirstCol; c <= domain.LastCol; c++ {
		t.Kinds = append(t.Kinds, sheet.Integer)
	}
	for _, pt := range forms {
		for _, f := range pt.Fields {
			r, ok := pt.Rows[f.ID]
			if !ok && !blanks {
				continue
			}
			row := []string{pt.Spec.Code(), f.Name}
			eff := r.Counts.Effective()
			for c := domain.FirstCol; c <= domain.LastCol; c++ {
				cell := ""
				if v, ok := eff.Get(c); ok {
					cell = strconv.FormatInt(v, 10)
				}
				row = append(row, cell)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// Export writes the office's forms to path (CSV or XLSX by its extension):
// one period's whole form when period is given, blank rows included;
// otherwise every stored row of every period, newest period first. The
// export is checked against the actor's rights and recorded in the audit
// trail. It returns the rows written.
func Export(ctx context.Context, st *store.Store, actor store.Actor, path string, period *domain.PeriodSpec) (int, error) {
	if err := actor.MayExport(store.ExportTallies); err != nil {
		return 0, err
	}
	var forms []store.PeriodTallies
	if period != nil {
		pt, err := st.PeriodTallies(ctx, "", *period)
		if err != nil {
			return 0, err
		}
		forms = append(forms, pt)
	} else {
		periods, err := st.Periods(ctx, "")
		if err != nil {
			return 0, err
		}
		for i := len(periods) - 1; i >= 0; i-- {
			pt, err := st.PeriodTallies(ctx, "", periods[i].PeriodSpec)
			if err != nil {
				return 0, err
			}
			forms = append(forms, pt)
		}
	}
	t := Table(forms, period != nil)
	if err := sheet.WriteFile(path, t); err != nil {
		return 0, err
	}
	return len(t.Rows), st.RecordExport(ctx, actor, store.ExportTallies, path, len(t.Rows))
}

// Problem is one thing wrong with the file, said by i18n.Err from
// "err.tallyfile.<Code>"; an error among the arguments (a cell that is not
// a count, a period that is not one) is said in its own words there.
type Problem struct {
	Code string
	Args map[string]any
}

func (p Problem) Error() string { return fmt.Sprintf("tallyfile: %s %v", p.Code, p.Args) }

// MessageCode implements domain.Coded.
func (p Problem) MessageCode() (string, map[string]any) { return "tallyfile." + p.Code, p.Args }

// Read turns the file's rows into periods of rows, or lists every problem
// found. only, when given, is the period every row is for: a row may leave
// the period blank, and one naming another period is a problem. Each row
// is stored final if it passes every rule, as a draft otherwise
// (FinalIfPasses). A row with none of (3)…(13) filled in clears what the
// field holds for the period, as emptying its row on the page does; for a
// field with nothing stored (the blank form's row left as it was) it
// stores nothing.
func Read(t *sheet.Table, fields []store.TallyField, cutoffDay int, only *domain.PeriodSpec) ([]store.PeriodRows, []Problem) {
	var problems []Problem
	cols := map[string]int{}
	var missing []string
	for _, h := range Header() {
		cols[h] = t.Column(h)
		for c := domain.FirstCol; c <= domain.LastCol && cols[h] < 0; c++ {
			if h == ColHead(c) {
				for _, a := range colAliases(c) {
					if cols[h] = t.Column(a); cols[h] >= 0 {
						break
					}
				}
			}
		}
		if cols[h] < 0 && (h != HeadPeriod || only == nil) {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, []Problem{{"header_missing", map[string]any{"Columns": strings.Join(missing, ", ")}}}
	}
	var out []store.PeriodRows
	index := map[string]int{}     // period code → out index
	firstLine := map[string]int{} // period code + field ID → line
	for r := range t.Rows {
		line := t.Line(r)
		text := ""
		if cols[HeadPeriod] >= 0 {
			text = strings.TrimSpace(t.Cell(r, cols[HeadPeriod]))
		}
		var spec domain.PeriodSpec
		switch {
		case text == "" && only != nil:
			spec = *only
		case text == "":
			problems = append(problems, Problem{"row_period_missing", map[string]any{"Line": line}})
			continue
		default:
			p, err := domain.ParsePeriod(text, cutoffDay)
			if err != nil {
				problems = append(problems, Problem{"row_problem", map[string]any{"Line": line, "Column": HeadPeriod, "Problem": err}})
				continue
			}
			if only != nil && p.Code() != only.Code() {
				problems = append(problems, Problem{"row_period_other", map[string]any{"Line": line, "Got": p.Code(), "Want": only.Code()}})
				continue
			}
			spec = p
		}
		var c domain.Counts
		bad := false
		for col := domain.FirstCol; col <= domain.LastCol; col++ {
			v, err := domain.ParseCount(t.Cell(r, cols[ColHead(col)]))
			if err != nil {
				problems = append(problems, Problem{"row_problem", map[string]any{"Line": line, "Column": fmt.Sprintf("(%d)", col), "Problem": err}})
				bad = true
				continue
			}
			c[col] = v
		}
		if bad {
			continue
		}
		name := t.Cell(r, cols[HeadField])
		f, ok := store.FindTallyField(fields, name)
		if !ok {
			if c.Empty() {
				continue // a blank row of a field not kept here: nothing to store
			}
			problems = append(problems, Problem{"row_field_unknown", map[string]any{"Line": line, "Name": strings.TrimSpace(name), "Known": fieldNames(fields)}})
			continue
		}
		key := spec.Code() + "\x00" + f.ID
		if first, dup := firstLine[key]; dup {
			problems = append(problems, Problem{"row_twice", map[string]any{"Line": line, "First": first, "Field": f.Name, "Period": spec.Code()}})
			continue
		}
		firstLine[key] = line
		i, ok := index[spec.Code()]
		if !ok {
			i = len(out)
			index[spec.Code()] = i
			out = append(out, store.PeriodRows{Spec: spec})
		}
		out[i].Rows = append(out[i].Rows, store.TallyInput{FieldID: f.ID, Counts: c, FinalIfPasses: true})
	}
	return out, problems
}

func fieldNames(fields []store.TallyField) string {
	var names []string
	for _, f := range fields {
		if !f.Disabled {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, "; ")
}

// Import checks the rows of t, a file read with sheet.ReadFile, and saves
// them (Read, then store.ImportTallies): every row or none. Problems in the
// file store nothing and are returned instead; a period closed or a rule
// broken comes back as the store's error. With dryRun nothing is kept:
// the window's preview and `tallies import --dry-run`.
func Import(ctx context.Context, st *store.Store, actor store.Actor, t *sheet.Table, only *domain.PeriodSpec, dryRun bool) ([]store.PeriodRows, []store.SaveResult, []Problem, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	fields, err := st.TallyFields(ctx, "")
	if err != nil {
		return nil, nil, nil, err
	}
	batches, problems := Read(t, fields, set.CutoffDay, only)
	if len(problems) > 0 {
		return nil, nil, problems, nil
	}
	res, err := st.ImportTallies(ctx, actor, batches, dryRun)
	return batches, res, nil, err
}
