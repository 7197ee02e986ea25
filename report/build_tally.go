package report

import (
	"context"
	"danvan/internal/domain"
	"strings"

	"danvan/store"
)

func init() {
	register(KindTally, buildTally)
}

// periodOf reads the request's period; reports over dossiers need one.
func periodOf(req Request, cutoff int) (domain.PeriodSpec, error) {
	if strings.TrimSpace(req.Period) == "" {
		return domain.PeriodSpec{}, &PeriodRequiredError{Kind: req.Kind}
	}
	return domain.ParsePeriod(req.Period, cutoff)
}

func printPeriod(spec domain.PeriodSpec) Period {
	return Period{Code: spec.Code(), From: spec.Start, To: spec.End}
}

// tallyRows reads Biểu 06 of the office for spec: the stored period's rows
// when the period is stored, else the stored periods combined over the
// range by the store's roll-up rules. When the stored periods cover only
// part of the range (a year with three months entered), the rows sum what
// exists and missing names the periods without figures.
func tallyRows(ctx context.Context, st *store.Store, office domain.Office, spec domain.PeriodSpec, cutoff int) (rows []TallyRow, missing string, err error) {
	pt, err := st.PeriodTallies(ctx, office.ID, spec)
	if err != nil {
		return nil, "", err
	}
	if pt.Stored && len(pt.Rows) > 0 {
		for _, f := range pt.Fields {
			t, ok := pt.Rows[f.ID]
			if !ok || t.Counts.Empty() {
				continue
			}
			rows = append(rows, TallyRow{Field: f.Name, Counts: t.Counts, PrevInProgress: pt.Prev[f.ID]})
		}
		return rows, "", nil
	}
	ru, err := st.Rollup(ctx, store.RollupQuery{Start: spec.Start, End: spec.End, OfficeIDs: []string{office.ID}, Partial: true})
	if err != nil {
		return nil, "", err
	}
	for _, r := range ru.ByField() {
		if r.Counts.Empty() {
			continue
		}
		rows = append(rows, TallyRow{Field: r.FieldName, Counts: r.Counts})
	}
	if len(rows) > 0 {
		missing = missingText(ru.Gaps[office.ID], cutoff)
	}
	return rows, missing, nil
}

// missingText names the periods of gaps: "tháng 4/2026, tháng 5/2026".
func missingText(gaps []store.Gap, cutoff int) string {
	var names []string
	for _, g := range gaps {
		for _, ps := range g.Periods(cutoff) {
			if l := printPeriod(ps).Label(); l != "" {
				names = append(names, strings.ToLower(l))
			}
		}
	}
	return strings.Join(names, ", ")
}

func buildTally(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	rows, missing, err := tallyRows(ctx, st, m.Office, spec, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	return TallyDocument(m, TallyInput{Period: printPeriod(spec), Rows: rows, Missing: missing})
}
