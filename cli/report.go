package cli

import (
	"context"
	"errors"
	"time"

	reports "danvan/report"
	"danvan/store"
	"danvan/store/vn"
	"danvan/ui/i18n"
)

func init() {
	Register(Command{Group: "report", HelpKey: "report.cli.cmd", Store: true, Run: runReport})
}

// report models|tally|summary|completeness|enrollment [--period P]
// [--baseline Y] [--number N] [--date dd/mm/yyyy] --format pdf|xlsx|csv
// --out FILE: builds the report from the stored data and writes FILE
// atomically. Prints the path written.
func runReport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("report")
	period := fs.String("period", "", "")
	baseline := fs.Int("baseline", 0, "")
	number := fs.Int("number", 0, "")
	date := fs.String("date", "", "")
	format := fs.String("format", "pdf", "")
	out := fs.String("out", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("report.cli.usage", nil)
	}
	kind, err := reports.ParseKind(pos[0])
	if err != nil {
		return usage("report.cli.usage", nil)
	}
	if err := Require(map[string]string{"out": *out}); err != nil {
		return err
	}
	f, err := reports.ParseFormat(*format)
	if err != nil {
		return usage("report.cli.bad_format", i18n.Args{"Given": *format})
	}
	if *baseline < 0 || *number < 0 {
		return usage("report.cli.bad_number", nil)
	}
	req := reports.Request{Kind: kind, Period: *period, Baseline: *baseline, Number: *number}
	if *date != "" {
		d, err := vn.ParseDate(*date)
		if err != nil {
			return usage("report.cli.bad_date", i18n.Args{"Given": *date})
		}
		req.Date = d
	} else {
		req.Date = time.Now()
	}
	doc, err := reports.Build(ctx, st, req)
	var noPeriod *reports.PeriodRequiredError
	if errors.As(err, &noPeriod) {
		return usage("report.cli.period_required", nil)
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
