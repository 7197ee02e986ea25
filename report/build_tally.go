package report

import (
	"context"
	"strings"

	"danvan/store"
)

func init() {
	register(KindTally, buildTally)
}

// periodOf reads the request's period; reports over dossiers need one.
func periodOf(req Request, cutoff int) (store.PeriodSpec, error) {
	if strings.TrimSpace(req.Period) == "" {
		return store.PeriodSpec{}, &PeriodRequiredError{Kind: req.Kind}
	}
	return store.ParsePeriod(req.Period, cutoff)
}

func printPeriod(spec store.PeriodSpec) Period {
	return Period{Code: spec.Code(), From: spec.Start, To: spec.End}
}

// tallyRows reads Biểu 06 of the office for spec: the stored period's rows
// when the period is stored, else the stored periods combined over the
// range by the store's roll-up rules.
func tallyRows(ctx context.Context, st *store.Store, office store.Office, spec store.PeriodSpec) ([]TallyRow, error) {
	pt, err := st.PeriodTallies(ctx, office.ID, spec)
	if err != nil {
		return nil, err
	}
	var rows []TallyRow
	if pt.Stored && len(pt.Rows) > 0 {
		for _, f := range pt.Fields {
			t, ok := pt.Rows[f.ID]
			if !ok || t.Counts.Empty() {
				continue
			}
			rows = append(rows, TallyRow{Field: f.Name, Counts: t.Counts, PrevInProgress: pt.Prev[f.ID]})
		}
		return rows, nil
	}
	ru, err := st.Rollup(ctx, store.RollupQuery{Start: spec.Start, End: spec.End, OfficeIDs: []string{office.ID}})
	if err != nil {
		return nil, err
	}
	for _, r := range ru.ByField() {
		if r.Counts.Empty() {
			continue
		}
		rows = append(rows, TallyRow{Field: r.FieldName, Counts: r.Counts})
	}
	return rows, nil
}

func buildTally(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	rows, err := tallyRows(ctx, st, m.Office, spec)
	if err != nil {
		return nil, err
	}
	return TallyDocument(m, TallyInput{Period: printPeriod(spec), Rows: rows})
}
