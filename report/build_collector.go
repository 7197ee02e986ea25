package report

import (
	"context"
	"danvan/internal/domain"

	"danvan/store"
)

func init() {
	register(KindCompleteness, buildCompleteness)
	register(KindUnreported, buildUnreported)
	register(KindRollupTally, func(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
		return rollupTally(ctx, st, m, req, req.By)
	})
	register(KindRollupModels, func(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
		return rollupModels(ctx, st, m, req, req.By)
	})
}

// layout is by, with the unit rows when none is asked for.
func layout(by By) By {
	if by == ByField {
		return ByField
	}
	return ByUnit
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
	return rollupModels(ctx, st, m, req, by)
}

func rollupModels(ctx context.Context, st *store.Store, m Meta, req Request, by By) (*Document, error) {
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	r, err := st.RollupModels(ctx, spec.Year, req.Baseline)
	if err != nil {
		return nil, err
	}
	return RollupModelsDocument(m, r, layout(by))
}

// BuildRollupTally prints Biểu 06 summed over the units for req.Period.
func BuildRollupTally(ctx context.Context, st *store.Store, req Request, by By) (*Document, error) {
	m, err := NewMeta(ctx, st, req)
	if err != nil {
		return nil, err
	}
	return rollupTally(ctx, st, m, req, by)
}

func rollupTally(ctx context.Context, st *store.Store, m Meta, req Request, by By) (*Document, error) {
	spec, err := periodOf(req, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	r, err := st.RollupTallies(ctx, spec)
	if err != nil {
		return nil, err
	}
	return RollupTallyDocument(m, r, layout(by))
}

// buildUnreported prints the units that have not reported req.Period.
func buildUnreported(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	spec, list, err := Unreported(ctx, st, req.Period, m.Settings.CutoffDay)
	if err != nil {
		return nil, err
	}
	return UnreportedDocument(m, spec, list), nil
}

// Unreported reads the units that owe the report of period (CLI syntax,
// a month, quarter, half, 9 months or year).
func Unreported(ctx context.Context, st *store.Store, period string, cutoff int) (domain.PeriodSpec, []store.Unreported, error) {
	spec, err := domain.ParsePeriod(period, cutoff)
	if err != nil {
		return spec, nil, err
	}
	c, err := st.Completeness(ctx, spec.Kind, spec.Year)
	if err != nil {
		return spec, nil, err
	}
	list, ok := c.Unreported(spec)
	if !ok {
		return spec, nil, &NoDataError{Report: string(KindUnreported)}
	}
	return spec, list, nil
}
