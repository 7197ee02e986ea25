package cli

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"

	"danvan/internal/i18n"
	"danvan/report/modelsfile"
	"danvan/report/sheet"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	Register(Command{Group: "models", Sub: "export", HelpKey: "models.cli.cmd_export", Store: true, Reads: true, Run: runModelsExport})
	Register(Command{Group: "models", Sub: "import", HelpKey: "models.cli.cmd_import", Store: true, Run: runModelsImport})
}

// oneFile checks that a command got exactly one .csv or .xlsx file.
func oneFile(pos []string) (string, error) {
	if len(pos) != 1 {
		return "", usage("models.cli.need_file", nil)
	}
	if sheet.FormatOf(pos[0]) == "" {
		return "", usage("models.cli.bad_ext", i18n.Args{"File": pos[0]})
	}
	return pos[0], nil
}

func runModelsExport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("models export")
	personalFlag := fs.String("personal", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	personal, err := listPersonal(ctx, st, *personalFlag)
	if err != nil {
		return err
	}
	path, err := oneFile(pos)
	if err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	n, err := modelsfile.Export(ctx, st, actor, store.ModelFilter{}, path, personal)
	if err != nil {
		return err
	}
	e.Printf("models.cli.exported", i18n.Args{"Count": vn.FormatInt(int64(n)), "File": path})
	e.Printf("cli.personal." + string(personal))
	return printModelCounts(ctx, e, st)
}

// printModelCounts writes the four counts by field and the total, the
// figures a roll-up starts from.
func printModelCounts(ctx context.Context, e *Env, st *store.Store) error {
	c, err := st.CountModelsByField(ctx, store.ModelFilter{})
	if err != nil {
		return err
	}
	for _, f := range domain.Fields {
		e.Printf("models.cli.count_line", i18n.Args{"Field": i18n.T("models.field." + string(f)), "Count": vn.FormatInt(int64(c.ByField[f]))})
	}
	e.Printf("models.cli.count_total", i18n.Args{"Count": vn.FormatInt(int64(c.Total))})
	return nil
}

func runModelsImport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("models import")
	dry := fs.Bool("dry-run", false, "")
	rejects := fs.String("skip-invalid", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	path, err := oneFile(pos)
	if err != nil {
		return err
	}
	if *rejects != "" && sheet.FormatOf(*rejects) == "" {
		return usage("models.cli.bad_ext", i18n.Args{"File": *rejects})
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	opts := store.ModelImportOptions{DryRun: *dry, SkipInvalid: *rejects != ""}
	res, t, err := modelsfile.Import(ctx, st, actor, path, opts)
	if err != nil && !errors.Is(err, store.ErrImportInvalid) {
		return err
	}
	for _, r := range res.Repaired {
		fmt.Fprintln(e.Stderr, vn.Printable(i18n.RepairLine(r)))
	}
	for _, p := range res.Problems {
		fmt.Fprintln(e.Stderr, ProblemLine(p))
	}
	if len(res.Ignored) > 0 {
		e.Warnf("models.cli.ignored_columns", i18n.Args{"Columns": fmt.Sprintf("%q", res.Ignored)})
	}
	if errors.Is(err, store.ErrImportInvalid) {
		e.Warnf("models.cli.nothing_imported", i18n.Args{"Rows": vn.FormatInt(int64(len(res.Rejected)))})
		return &RuleError{Count: len(res.Problems)}
	}
	if *rejects != "" && len(res.Rejected) > 0 && !*dry {
		if err := modelsfile.WriteRejects(*rejects, t, res, i18n.T("models.import.problem_column"), ProblemReason); err != nil {
			return err
		}
		e.Warnf("models.cli.rejects_written", i18n.Args{"Rows": vn.FormatInt(int64(len(res.Rejected))), "File": *rejects})
	}
	key := "models.cli.imported"
	if *dry {
		key = "models.cli.dry_run"
	}
	e.Printf(key, i18n.Args{
		"Created":   vn.FormatInt(int64(res.Created)),
		"Updated":   vn.FormatInt(int64(res.Updated)),
		"Unchanged": vn.FormatInt(int64(res.Unchanged)),
		"Rejected":  vn.FormatInt(int64(len(res.Rejected))),
	})
	if *dry {
		return nil
	}
	return printModelCounts(ctx, e, st)
}

// ProblemReason is one import problem's reason in the user's language.
func ProblemReason(p store.RowProblem) string {
	return i18n.T("err."+p.Code, p.Args)
}

// ProblemLine is one import problem as "Dòng 5, cột “Năm đăng ký”: …".
func ProblemLine(p store.RowProblem) string {
	return i18n.T("models.import.problem", i18n.Args{"Line": p.Line, "Column": p.Column, "Reason": ProblemReason(p)})
}

// listPersonal is the personal data a list leaves the office with: the
// --personal flag's choice, or the office's setting (store.ListPersonal).
func listPersonal(ctx context.Context, st *store.Store, flag string) (domain.Personal, error) {
	if flag != "" {
		p := domain.Personal(flag)
		if !p.Valid() {
			return "", usage("cli.bad_personal", i18n.Args{"Given": flag})
		}
		return p, nil
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return "", err
	}
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return "", err
	}
	return set.ListPersonal(self.Role), nil
}
