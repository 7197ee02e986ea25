package cli

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"

	"danvan/internal/i18n"
	"danvan/report/sheet"
	"danvan/report/tallyfile"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	Register(Command{Group: "tallies", Sub: "export", HelpKey: "tally.cli.cmd.export", Store: true, Reads: true, Run: runTalliesExport})
	Register(Command{Group: "tallies", Sub: "import", HelpKey: "tally.cli.cmd.import", Store: true, Run: runTalliesImport})
	Register(Command{Group: "tallies", Sub: "close", HelpKey: "tally.cli.cmd.close", Store: true, Run: runTalliesClose})
	Register(Command{Group: "tallies", Sub: "reopen", HelpKey: "tally.cli.cmd.reopen", Store: true, Run: runTalliesReopen})
}

// parsePeriodFlag reads --period under the office's cut-off day. A period
// that cannot be read is wrong usage (exit 2).
func parsePeriodFlag(ctx context.Context, st *store.Store, p string) (domain.PeriodSpec, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return domain.PeriodSpec{}, err
	}
	spec, err := domain.ParsePeriod(p, set.CutoffDay)
	var pe *domain.PeriodError
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
		ce *domain.CellError
		ve *domain.ValidationError
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
	var only *domain.PeriodSpec
	if *period != "" {
		spec, err := parsePeriodFlag(ctx, st, *period)
		if err != nil {
			return err
		}
		only = &spec
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	n, err := tallyfile.Export(ctx, st, actor, pos[0], only)
	if err != nil {
		return err
	}
	e.Printf("tally.cli.exported", i18n.Args{"Rows": n, "File": pos[0]})
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
	var only *domain.PeriodSpec
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
	_, results, problems, err := tallyfile.Import(ctx, st, actor, t, only, *dry)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.Stderr, i18n.Err(p))
		}
		e.Warnf("tally.cli.nothing_stored", i18n.Args{"Count": len(problems)})
		return &RuleError{Count: len(problems)}
	}
	if err != nil {
		var re *store.TallyRulesError
		if errors.As(err, &re) {
			printRowProblems(e, re.Period, re.Rows)
		}
		e.Warnf("tally.cli.nothing_stored", i18n.Args{"Count": 1})
		return ruleFailure(e, err)
	}
	var rows, finals, drafts, nprob int
	for _, r := range results {
		rows += r.Rows
		finals += r.Finals
		drafts += r.Rows - r.Finals
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

func toArgs(c domain.Coded) i18n.Args {
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
