package report

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"strconv"

	"danvan/store"
)

// Printed is a report this data folder prints whose figures match a
// printout's QR code.
type Printed struct {
	Kind    Kind
	Request Request
}

// baselineYears is how far back MatchFigures tries a comparison year: a
// summary compares with an earlier year chosen when it was printed.
const baselineYears = 10

// MatchFigures rebuilds the reports of period (a QR code's period: "2024-Q1",
// "2024") from what the data folder holds now, and lists those whose
// figures' hash (DataHash, as printed under a "D" code) is sha. An option
// that changes the figures, the comparison year, is tried over the ten
// years before. None when the figures changed since the printout.
func MatchFigures(ctx context.Context, st *store.Store, period, sha string) ([]Printed, error) {
	year := 0
	if y, err := strconv.Atoi(period); err == nil {
		year = y
	} else if set, err := st.Settings(ctx); err == nil {
		if spec, err := domain.ParsePeriod(period, set.CutoffDay); err == nil {
			year = spec.Year
		}
	}
	var out []Printed
	for _, k := range Kinds {
		if k == KindEnrollment {
			continue
		}
		reqs := []Request{{Kind: k, Period: period}}
		if (k == KindSummary || k == KindRollupModels) && year > 0 {
			for b := year - 1; b >= year-baselineYears; b-- {
				reqs = append(reqs, Request{Kind: k, Period: period, Baseline: b})
			}
		}
		for _, req := range reqs {
			doc, err := buildFigures(ctx, st, req)
			if err != nil {
				if isNotThisReport(err) {
					break // this kind does not print this period here
				}
				return nil, err
			}
			if doc.Stamp != nil && doc.Stamp.SHA256 == sha {
				out = append(out, Printed{Kind: k, Request: req})
			}
		}
	}
	return out, nil
}

// buildFigures builds req with its stamp the figures' hash, whether or not
// a batch covers them.
func buildFigures(ctx context.Context, st *store.Store, req Request) (*Document, error) {
	return buildWith(ctx, st, req, func(m *Meta) { m.dataStamp = true })
}

// isNotThisReport is a build that fails because the report does not apply
// (another role's, a period it does not take, no data), not because the
// folder cannot be read.
func isNotThisReport(err error) bool {
	var coded domain.Coded
	return errors.As(err, &coded)
}
