package cli

import (
	"context"
	"danvan/internal/domain"
	"strings"
	"time"

	"danvan/internal/i18n"
	reports "danvan/report"
	"danvan/store"
)

func init() {
	Register(Command{Group: "rollup", Sub: "models", HelpKey: "collector.cli.cmd.rollup_models", Store: true, Reads: true,
		Run: func(ctx context.Context, e *Env, st *store.Store, args []string) error {
			return runRollup(ctx, e, st, "models", args)
		}})
	Register(Command{Group: "rollup", Sub: "tallies", HelpKey: "collector.cli.cmd.rollup_tallies", Store: true, Reads: true,
		Run: func(ctx context.Context, e *Env, st *store.Store, args []string) error {
			return runRollup(ctx, e, st, "tallies", args)
		}})
}

// rollup models|tallies --period P [--by unit|field] [--baseline Y]
// --format csv|xlsx|pdf --out FILE: the collecting office's roll-up over
// its units, written atomically through report/. Each identity that fails
// in a unit's tallies is also printed, one per line, on stderr.
func runRollup(ctx context.Context, e *Env, st *store.Store, what string, args []string) error {
	fs := Flags("rollup " + what)
	period := fs.String("period", "", "")
	by := fs.String("by", "unit", "")
	baseline := fs.Int("baseline", 0, "")
	format := fs.String("format", "pdf", "")
	out := fs.String("out", "", "")
	number := fs.Int("number", 0, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"period": *period, "out": *out}); err != nil {
		return err
	}
	layout := reports.By(strings.ToLower(strings.TrimSpace(*by)))
	if layout != reports.ByUnit && layout != reports.ByField {
		return usage("collector.cli.bad_by", i18n.Args{"Given": *by})
	}
	f, err := reports.ParseFormat(*format)
	if err != nil {
		return usage("report.cli.bad_format", i18n.Args{"Given": *format})
	}
	if *baseline < 0 || *number < 0 {
		return usage("report.cli.bad_number", nil)
	}
	p := strings.TrimSpace(*period)
	if what == "models" && len(p) == 4 {
		p += "-Y" // a models roll-up is by year: "2024" is enough
	}
	req := reports.Request{Period: p, Baseline: *baseline, Number: *number, Date: time.Now()}
	var doc *reports.Document
	if what == "models" {
		doc, err = reports.BuildRollupModels(ctx, st, req, layout)
	} else {
		var spec domain.PeriodSpec
		var set domain.Settings
		if set, err = st.Settings(ctx); err != nil {
			return err
		}
		if spec, err = domain.ParsePeriod(p, set.CutoffDay); err != nil {
			return err
		}
		var r store.TallyRollup
		if r, err = st.RollupTallies(ctx, spec); err != nil {
			return err
		}
		for _, line := range reports.TallyFailures(r) {
			e.Warnf("collector.cli.failure", i18n.Args{"Line": line})
		}
		if r.NoData {
			e.Warnf("collector.cli.no_data", i18n.Args{"Period": spec.Code()})
		}
		doc, err = reports.BuildRollupTally(ctx, st, req, layout)
	}
	if err != nil {
		return err
	}
	if err := doc.WriteFile(*out, f); err != nil {
		return err
	}
	e.Printf("report.cli.done", i18n.Args{"File": *out})
	return nil
}
