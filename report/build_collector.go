package report

import (
	"context"

	"danvan/store"
)

func init() {
	register(KindCompleteness, buildCompleteness)
}

// buildCompleteness prints the matrix of the period's kind and year:
// 2024-M04 gives the months of 2024.
func buildCompleteness(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	c, err := st.Completeness(ctx, spec.Kind, spec.Year)
	if err != nil {
		return nil, err
	}
	return CompletenessDocument(m, c)
}

// BuildRollupModels prints the models roll-up of the year of req.Period
// (2024-Y, or any period of 2024), compared with req.Baseline.
func BuildRollupModels(ctx context.Context, st *store.Store, req Request, by By) (*Document, error) {
	m, err := NewMeta(ctx, st, req)
	if err != nil {
		return nil, err
	}
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	r, err := st.RollupModels(ctx, spec.Year, req.Baseline)
	if err != nil {
		return nil, err
	}
	return RollupModelsDocument(m, r, by)
}

// BuildRollupTally prints Biểu 06 summed over the units for req.Period.
func BuildRollupTally(ctx context.Context, st *store.Store, req Request, by By) (*Document, error) {
	m, err := NewMeta(ctx, st, req)
	if err != nil {
		return nil, err
	}
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	r, err := st.RollupTallies(ctx, spec)
	if err != nil {
		return nil, err
	}
	return RollupTallyDocument(m, r, by)
}
