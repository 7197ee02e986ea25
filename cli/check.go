package cli

import (
	"context"
	"fmt"

	"danvan/internal/i18n"
	"danvan/store"
)

func init() {
	Register(Command{Group: "check", HelpKey: "tally.cli.cmd.check", Store: true, Reads: true, Run: runCheck})
}

// check: every tally rule over all stored data, one line per failing rule
// (office, period, field, which identity and by how much). Exit 1 when a
// final row fails; drafts are reported but do not fail the check.
func runCheck(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("check")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	rep, err := st.Check(ctx)
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		state := i18n.T("tally.state.draft")
		if f.Final {
			state = i18n.T("tally.state.final")
		}
		fmt.Fprintln(e.Stdout, i18n.T("tally.cli.check_line", i18n.Args{
			"State": state, "Office": f.OfficeCode, "Period": f.Period, "Field": f.FieldName, "Problem": i18n.Err(f.Problem),
		}))
	}
	final := rep.FinalFailures()
	e.Printf("tally.cli.check_summary", i18n.Args{
		"Rows": rep.Rows, "Drafts": rep.Drafts, "Final": final, "DraftProblems": len(rep.Findings) - final,
	})
	if final > 0 {
		return &RuleError{Count: final}
	}
	return nil
}
