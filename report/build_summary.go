package report

import (
	"context"
	"danvan/internal/domain"

	"danvan/store"
)

func init() {
	register(KindSummary, buildSummary)
}

// buildSummary writes "Báo cáo kết quả" for a period: its dossiers, and the
// models of the period's year against the baseline year.
func buildSummary(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	rows, missing, err := tallyRows(ctx, st, m.Office, spec, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	all, err := officeModels(ctx, st, m)
	if err != nil {
		return nil, err
	}
	in := SummaryInput{Period: printPeriod(spec), Tally: rows, Missing: missing, Year: spec.Year, Baseline: req.Baseline}
	now := ModelsInYear(all, spec.Year)
	var base []domain.Model
	if req.Baseline > 0 {
		base = ModelsInYear(all, req.Baseline)
	}
	if len(now) > 0 || len(base) > 0 {
		for _, f := range domain.Fields {
			fc := FieldCount{Field: string(f)}
			for _, md := range now {
				if md.Field == f {
					fc.Now++
				}
			}
			for _, md := range base {
				if md.Field == f {
					fc.Base++
				}
			}
			in.Fields = append(in.Fields, fc)
		}
		for _, md := range now {
			if md.Kind == domain.KindExemplar {
				in.Exemplars++
			} else {
				in.Models++
			}
		}
	}
	return SummaryDocument(m, in)
}
