package cli

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"danvan/internal/i18n"
	reports "danvan/report"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	Register(Command{Group: "completeness", HelpKey: "collector.cli.cmd.completeness", Store: true, Reads: true, Run: runCompleteness})
}

// completeness --period P [--format csv|xlsx|pdf --out FILE]: who has
// reported for the periods of P's kind in P's year (2024-M04: the months of
// 2024). Without --out it prints the matrix as a table.
func runCompleteness(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("completeness")
	period := fs.String("period", "", "")
	format := fs.String("format", "", "")
	out := fs.String("out", "", "")
	missing := fs.Bool("missing", false, "")
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
	if *missing {
		return runUnreported(ctx, e, st, *period, *format, *out)
	}
	if *out != "" {
		fm := *format
		if fm == "" {
			fm = "pdf"
		}
		f, err := reports.ParseFormat(fm)
		if err != nil {
			return usage("report.cli.bad_format", i18n.Args{"Given": fm})
		}
		doc, err := reports.Build(ctx, st, reports.Request{Kind: reports.KindCompleteness, Period: *period, Date: time.Now()})
		if err != nil {
			return err
		}
		if err := doc.WriteFile(*out, f); err != nil {
			return err
		}
		e.Printf("report.cli.done", i18n.Args{"File": *out})
		return nil
	}
	if *format != "" {
		return usage("collector.cli.format_needs_out", nil)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	spec, err := domain.ParsePeriod(*period, set.CutoffDay)
	if err != nil {
		return err
	}
	c, err := st.Completeness(ctx, spec.Kind, spec.Year)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 1, ' ', 0)
	head := []string{i18n.T("collector.col.code"), i18n.T("collector.col.unit")}
	for _, p := range c.Periods {
		head = append(head, i18n.T("collector.period."+string(p.Kind), i18n.Args{"N": p.N}))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range c.Rows {
		code := r.Office.Code
		if r.Via != "" {
			code = r.Via + "/" + code // the province it reports through
		}
		cells := []string{code, r.Office.Name}
		for _, cell := range r.Cells {
			cells = append(cells, CellMark(cell))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	e.Printf("collector.cli.completeness_summary", i18n.Args{"Expected": vn.FormatInt(int64(c.Expected)), "Received": vn.FormatInt(int64(c.Received)),
		"Closed": vn.FormatInt(int64(c.Closed)), "Rate": vn.FormatPercent(c.Rate()), "OnTime": vn.FormatInt(int64(c.OnTime))})
	// At an office that units reach through others (the centre): each
	// province's share.
	if by := c.ByVia(); len(by) > 1 || len(by) == 1 && by[0].Via != "" {
		for _, v := range by {
			via := v.Via
			if via == "" {
				via = i18n.T("collector.via_direct")
			}
			e.Printf("collector.cli.via_summary", i18n.Args{"Via": via, "Units": v.Units, "Expected": vn.FormatInt(int64(v.Expected)),
				"Closed": vn.FormatInt(int64(v.Closed)), "Missing": vn.FormatInt(int64(v.Missing))})
		}
	}
	e.Printf("collector.cli.legend")
	return nil
}

// CellMark is a matrix cell in the user's language: the Vietnamese marks
// of the printed report (Đ, M, N, —, S) or their English counterparts.
func CellMark(c store.CompletenessCell) string {
	code, overdue := c.Mark()
	mark := i18n.T("collector.mark." + code)
	if overdue {
		mark += "*"
	}
	return mark
}

// runUnreported is completeness --missing: the units that have not
// reported the period, as a message to paste into e-mail or Zalo, or with
// --out as a document (PDF by default).
func runUnreported(ctx context.Context, e *Env, st *store.Store, period, format, out string) error {
	if out != "" {
		fm := format
		if fm == "" {
			fm = "pdf"
		}
		f, err := reports.ParseFormat(fm)
		if err != nil {
			return usage("report.cli.bad_format", i18n.Args{"Given": fm})
		}
		doc, err := reports.Build(ctx, st, reports.Request{Kind: reports.KindUnreported, Period: period, Date: time.Now()})
		if err != nil {
			return err
		}
		if err := doc.WriteFile(out, f); err != nil {
			return err
		}
		e.Printf("report.cli.done", i18n.Args{"File": out})
		return nil
	}
	if format != "" {
		return usage("collector.cli.format_needs_out", nil)
	}
	m, err := reports.NewMeta(ctx, st, reports.Request{Kind: reports.KindUnreported, Period: period, Date: time.Now()})
	if err != nil {
		return err
	}
	spec, list, err := reports.Unreported(ctx, st, period, m.Settings.CutoffDay)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, reports.UnreportedText(m, spec, list))
	return nil
}
