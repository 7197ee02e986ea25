package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"danvan/report/sheet"
	"danvan/store"
	"danvan/store/vn"
	"danvan/ui/i18n"
)

func init() {
	Register(Command{Group: "tallies", Sub: "export", HelpKey: "tally.cli.cmd.export", Store: true, Reads: true, Run: runTalliesExport})
	Register(Command{Group: "tallies", Sub: "import", HelpKey: "tally.cli.cmd.import", Store: true, Run: runTalliesImport})
	Register(Command{Group: "tallies", Sub: "close", HelpKey: "tally.cli.cmd.close", Store: true, Run: runTalliesClose})
	Register(Command{Group: "tallies", Sub: "reopen", HelpKey: "tally.cli.cmd.reopen", Store: true, Run: runTalliesReopen})
}

// The header cells of the tallies interchange file (CLI.md). They are part
// of the file format, the same in every language, so they are not
// translated.
const (
	headPeriod = "Kỳ báo cáo"
	headField  = "Lĩnh vực"
)

// colHead is the header of column c of the form: "Cột (3)". A bare "(3)"
// became the number -3 in Excel, LibreOffice and Gnumeric (accounting
// notation), so a file opened and saved there lost its headers; the import
// still takes "(3)", and the "-3" a spreadsheet made of it.
func colHead(c int) string { return fmt.Sprintf("Cột (%d)", c) }

// colAliases are the other headers column c is recognised by.
func colAliases(c int) []string { return []string{fmt.Sprintf("(%d)", c), fmt.Sprintf("-%d", c)} }

// parsePeriodFlag reads --period under the office's cut-off day. A period
// that cannot be read is wrong usage (exit 2).
func parsePeriodFlag(ctx context.Context, st *store.Store, p string) (store.PeriodSpec, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return store.PeriodSpec{}, err
	}
	spec, err := store.ParsePeriod(p, set.CutoffDay)
	var pe *store.PeriodError
	if errors.As(err, &pe) {
		code, args := pe.MessageCode()
		return spec, usage("err."+code, args)
	}
	return spec, err
}

// ruleFailure prints a store error that is a broken rule (a closed period,
// an overlapping one, a value out of range) and turns it into exit 1;
// anything else passes through.
func ruleFailure(e *Env, err error) error {
	var (
		se *store.PeriodStateError
		oe *store.PeriodOverlapError
		ce *store.CellError
		ve *store.ValidationError
	)
	if errors.As(err, &se) || errors.As(err, &oe) || errors.As(err, &ce) || errors.As(err, &ve) {
		fmt.Fprintln(e.Stderr, i18n.Err(err))
		return &RuleError{Count: 1}
	}
	return err
}

// tallies export FILE [--period P]: with a period, the whole form of that
// period (blank rows for fields not reported yet, ready to fill in);
// without, every stored row of every period.
func runTalliesExport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("tallies export")
	period := fs.String("period", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("tally.cli.export_usage", nil)
	}
	if sheet.FormatOf(pos[0]) == "" {
		return usage("tally.cli.file_type", i18n.Args{"File": pos[0]})
	}
	var forms []store.PeriodTallies
	if *period != "" {
		spec, err := parsePeriodFlag(ctx, st, *period)
		if err != nil {
			return err
		}
		pt, err := st.PeriodTallies(ctx, "", spec)
		if err != nil {
			return err
		}
		forms = append(forms, pt)
	} else {
		periods, err := st.Periods(ctx, "")
		if err != nil {
			return err
		}
		for i := len(periods) - 1; i >= 0; i-- {
			pt, err := st.PeriodTallies(ctx, "", periods[i].PeriodSpec)
			if err != nil {
				return err
			}
			forms = append(forms, pt)
		}
	}
	t := &sheet.Table{Header: []string{headPeriod, headField}, Kinds: []sheet.Kind{sheet.Text, sheet.Text}}
	for c := store.FirstCol; c <= store.LastCol; c++ {
		t.Header = append(t.Header, colHead(c))
		t.Kinds = append(t.Kinds, sheet.Integer)
	}
	for _, pt := range forms {
		for _, f := range pt.Fields {
			r, ok := pt.Rows[f.ID]
			if !ok && *period == "" {
				continue
			}
			row := []string{pt.Spec.Code(), f.Name}
			eff := r.Counts.Effective()
			for c := store.FirstCol; c <= store.LastCol; c++ {
				cell := ""
				if v, ok := eff.Get(c); ok {
					cell = strconv.FormatInt(v, 10)
				}
				row = append(row, cell)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	if err := actor.MayExport(store.ExportTallies); err != nil {
		return err
	}
	if err := sheet.WriteFile(pos[0], t); err != nil {
		return err
	}
	if err := st.RecordExport(ctx, actor, store.ExportTallies, pos[0], len(t.Rows)); err != nil {
		return err
	}
	e.Printf("tally.cli.exported", i18n.Args{"Rows": len(t.Rows), "File": pos[0]})
	return nil
}

// tallies import FILE [--period P] [--dry-run]: every row is read and
// checked first; any unreadable cell, unknown field or period, or a closed
// period, and nothing is stored. Rows that pass every rule are stored
// final, the others as drafts with their problems printed (exit 1).
func runTalliesImport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("tallies import")
	period := fs.String("period", "", "")
	dry := fs.Bool("dry-run", false, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("tally.cli.import_usage", nil)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	var only *store.PeriodSpec
	if *period != "" {
		p, err := parsePeriodFlag(ctx, st, *period)
		if err != nil {
			return err
		}
		only = &p
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	t, err := sheet.ReadFile(pos[0])
	if err != nil {
		var fe *sheet.FileError
		if errors.As(err, &fe) {
			return err
		}
		return usage("cli.read_file", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	fields, err := st.TallyFields(ctx, "")
	if err != nil {
		return err
	}
	batches, problems := readTallyTable(t, fields, set.CutoffDay, only)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.Stderr, p)
		}
		e.Warnf("tally.cli.nothing_stored", i18n.Args{"Count": len(problems)})
		return &RuleError{Count: len(problems)}
	}
	results, err := st.ImportTallies(ctx, actor, batches, *dry)
	if err != nil {
		var re *store.TallyRulesError
		if errors.As(err, &re) {
			printRowProblems(e, re.Period, re.Rows)
		}
		e.Warnf("tally.cli.nothing_stored", i18n.Args{"Count": 1})
		return ruleFailure(e, err)
	}
	var rows, finals, drafts, nprob int
	for i, r := range results {
		rows += len(batches[i].Rows)
		finals += r.Finals
		drafts += len(batches[i].Rows) - r.Finals
		for _, d := range r.Drafts {
			nprob += len(d.Problems)
		}
		printRowProblems(e, r.Period.Code(), r.Drafts)
	}
	key := "tally.cli.imported"
	if *dry {
		key = "tally.cli.dry_run"
	}
	e.Printf(key, i18n.Args{"Rows": rows, "Finals": finals, "Drafts": drafts, "File": pos[0]})
	if nprob > 0 {
		return &RuleError{Count: nprob}
	}
	return nil
}

func printRowProblems(e *Env, period string, rows []store.RowProblems) {
	for _, r := range rows {
		for _, p := range r.Problems {
			e.Warnf("tally.cli.problem", i18n.Args{"Period": period, "Field": r.FieldName, "Problem": i18n.Err(p)})
		}
	}
}

// readTallyTable turns the file's rows into periods of rows, or lists, in
// the user's language, every problem found, one per line.
func readTallyTable(t *sheet.Table, fields []store.TallyField, cutoffDay int, only *store.PeriodSpec) ([]store.PeriodRows, []string) {
	var problems []string
	cols := map[string]int{}
	var missing []string
	for _, h := range append([]string{headPeriod, headField}, heads()...) {
		cols[h] = t.Column(h)
		for c := store.FirstCol; c <= store.LastCol && cols[h] < 0; c++ {
			if h == colHead(c) {
				for _, a := range colAliases(c) {
					if cols[h] = t.Column(a); cols[h] >= 0 {
						break
					}
				}
			}
		}
		if cols[h] < 0 && (h != headPeriod || only == nil) {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, []string{i18n.T("tally.cli.header_missing", i18n.Args{"Columns": strings.Join(missing, ", ")})}
	}
	var out []store.PeriodRows
	index := map[string]int{}     // period code → out index
	firstLine := map[string]int{} // period code + field ID → line
	for r := range t.Rows {
		line := t.Line(r)
		text := ""
		if cols[headPeriod] >= 0 {
			text = strings.TrimSpace(t.Cell(r, cols[headPeriod]))
		}
		var spec store.PeriodSpec
		switch {
		case text == "" && only != nil:
			spec = *only
		case text == "":
			problems = append(problems, i18n.T("tally.cli.row_period_missing", i18n.Args{"Line": line}))
			continue
		default:
			p, err := store.ParsePeriod(text, cutoffDay)
			if err != nil {
				problems = append(problems, i18n.T("tally.cli.row_problem", i18n.Args{"Line": line, "Column": headPeriod, "Problem": i18n.Err(err)}))
				continue
			}
			if only != nil && p.Code() != only.Code() {
				problems = append(problems, i18n.T("tally.cli.row_period_other", i18n.Args{"Line": line, "Got": p.Code(), "Want": only.Code()}))
				continue
			}
			spec = p
		}
		name := t.Cell(r, cols[headField])
		f, ok := store.FindTallyField(fields, name)
		if !ok {
			problems = append(problems, i18n.T("tally.cli.row_field_unknown", i18n.Args{"Line": line, "Name": strings.TrimSpace(name), "Known": fieldNames(fields)}))
			continue
		}
		var c store.Counts
		bad := false
		for col := store.FirstCol; col <= store.LastCol; col++ {
			v, err := store.ParseCount(t.Cell(r, cols[colHead(col)]))
			if err != nil {
				problems = append(problems, i18n.T("tally.cli.row_problem", i18n.Args{"Line": line, "Column": fmt.Sprintf("(%d)", col), "Problem": i18n.Err(err)}))
				bad = true
				continue
			}
			c[col] = v
		}
		if bad {
			continue
		}
		key := spec.Code() + "\x00" + f.ID
		if first, dup := firstLine[key]; dup {
			problems = append(problems, i18n.T("tally.cli.row_twice", i18n.Args{"Line": line, "First": first, "Field": f.Name, "Period": spec.Code()}))
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

func heads() []string {
	var out []string
	for c := store.FirstCol; c <= store.LastCol; c++ {
		out = append(out, colHead(c))
	}
	return out
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

// tallies close --period P
func runTalliesClose(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("tallies close")
	period := fs.String("period", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"period": *period}); err != nil {
		return err
	}
	spec, err := parsePeriodFlag(ctx, st, *period)
	if err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	if err := st.ClosePeriod(ctx, actor, spec); err != nil {
		var re *store.TallyRulesError
		if errors.As(err, &re) {
			printRowProblems(e, re.Period, re.Rows)
			e.Warnf("err.tally.rules_failed", toArgs(re))
			return &RuleError{Count: len(re.Rows)}
		}
		return ruleFailure(e, err)
	}
	e.Printf("tally.cli.closed", i18n.Args{"Period": spec.Code(), "Start": vn.FormatDate(spec.Start), "End": vn.FormatDate(spec.End)})
	return nil
}

func toArgs(c store.Coded) i18n.Args {
	_, args := c.MessageCode()
	return args
}

// tallies reopen --period P --reason TEXT
func runTalliesReopen(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("tallies reopen")
	period := fs.String("period", "", "")
	reason := fs.String("reason", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"period": *period, "reason": *reason}); err != nil {
		return err
	}
	spec, err := parsePeriodFlag(ctx, st, *period)
	if err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	if err := st.ReopenPeriod(ctx, actor, spec, *reason); err != nil {
		return ruleFailure(e, err)
	}
	e.Printf("tally.cli.reopened", i18n.Args{"Period": spec.Code()})
	return nil
}
