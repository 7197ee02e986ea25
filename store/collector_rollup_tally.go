package store

import (
	"context"
	"danvan/internal/domain"
	"sort"
)

// UnitTally is one unit's Biểu 06 over a period or range, with the units
// merged into it counted in.
type UnitTally struct {
	Office  domain.Office
	Members []string    // codes of the merged units counted here
	Fields  []RollupRow // by field, form order
	Total   domain.Counts
	Drafts  int  // draft rows among those rolled up
	NoData  bool // no stored periods cover the range: printed as zeros marked "chưa có số liệu"
	Partial bool // some periods exist but do not tile the range: summed as they are
	Missing []Gap
}

// TallyRollup is the collecting office's Biểu 06: every unit, the sum by
// field over the units, and each identity that fails in any unit's rows
// of the range.
type TallyRollup struct {
	Spec     domain.PeriodSpec
	Units    []UnitTally // by code
	ByField  []RollupRow // summed over units, form order
	Total    domain.Counts
	Rates    domain.Rates
	Failures []CheckFinding // rows of periods within the range failing a rule
	NoData   bool           // no unit has data for the range
}

// RollupTallies combines every unit's tallies over spec by the carry-over
// rule of domain.md §2 (Store.Rollup), counts a merged unit under the unit
// it joined when the merger took effect by the range's first day, and
// lists every failing identity. A range with no data gives NoData, not an
// error, so the report can print zeros marked as such.
func (s *Store) RollupTallies(ctx context.Context, spec domain.PeriodSpec) (TallyRollup, error) {
	out := TallyRollup{Spec: spec}
	offices, err := s.Offices(ctx)
	if err != nil {
		return out, err
	}
	mergers, err := s.Mergers(ctx)
	if err != nil {
		return out, err
	}
	r, err := s.Rollup(ctx, RollupQuery{Start: spec.Start, End: spec.End, Partial: true})
	if err != nil {
		return out, err
	}
	byID := map[string]domain.Office{}
	for _, o := range offices {
		byID[o.ID] = o
	}
	units := map[string]*UnitTally{}
	unit := func(id string) *UnitTally {
		u := units[id]
		if u == nil {
			u = &UnitTally{Office: byID[id], NoData: true}
			units[id] = u
		}
		return u
	}
	// Every enrolled unit not merged away by then has a row, with data or
	// not; this office only when it holds tallies of its own.
	for _, o := range offices {
		if !o.Self && o.Role != domain.RoleCollector && countedUnder(mergers, o.ID, spec.Start) == o.ID {
			unit(o.ID)
		}
	}
	fieldIdx := map[string]map[string]int{}
	for _, row := range r.Rows {
		target := countedUnder(mergers, row.OfficeID, spec.Start)
		u := unit(target)
		u.NoData = false
		if target != row.OfficeID {
			u.Members = appendOnce(u.Members, byID[row.OfficeID].Code)
		}
		u.Drafts += row.Drafts
		fi := fieldIdx[target]
		if fi == nil {
			fi = map[string]int{}
			fieldIdx[target] = fi
		}
		if i, ok := fi[row.FieldKey]; ok {
			acc := &u.Fields[i]
			acc.Counts = acc.Counts.Plus(row.Counts)
			acc.Rows += row.Rows
			acc.Drafts += row.Drafts
			continue
		}
		fi[row.FieldKey] = len(u.Fields)
		row.OfficeID = target
		u.Fields = append(u.Fields, row)
	}
	for _, id := range r.Uncovered {
		u := unit(countedUnder(mergers, id, spec.Start))
		u.Partial = true
		u.Missing = append(u.Missing, r.Gaps[id]...)
	}
	for _, u := range units {
		sort.SliceStable(u.Fields, func(i, j int) bool { return u.Fields[i].Position < u.Fields[j].Position })
		u.Total = Total(u.Fields)
		out.Units = append(out.Units, *u)
	}
	sort.Slice(out.Units, func(i, j int) bool { return out.Units[i].Office.Code < out.Units[j].Office.Code })
	out.ByField = r.ByField()
	out.Total = Total(out.ByField)
	out.Rates = out.Total.Rates()
	out.NoData = len(r.Rows) == 0
	findings, err := s.CheckRange(ctx, spec.Start, spec.End)
	if err != nil {
		return out, err
	}
	for _, f := range findings {
		if spec.Contains(f.PeriodEnd) && f.OfficeID != "" {
			if o, ok := byID[f.OfficeID]; ok && !o.Self {
				out.Failures = append(out.Failures, f)
			}
		}
	}
	return out, nil
}

func appendOnce(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}
