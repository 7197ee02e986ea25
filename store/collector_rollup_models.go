package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"sort"
	"time"
)

// UnitModels is one unit's count of active models by field, in the
// report's year and in the baseline year.
type UnitModels struct {
	Office  domain.Office
	Members []string             // codes of the merged units counted here
	Now     map[domain.Field]int // active at the end of the year
	Base    map[domain.Field]int // active at the end of the baseline year; empty without one
	Total   int
	BaseTot int
}

// ModelsRollup is the collecting office's count of Dân vận khéo models by
// field × unit.
type ModelsRollup struct {
	Year, Baseline int // Baseline 0: no comparison
	Units          []UnitModels
	ByField        map[domain.Field]int
	BaseByField    map[domain.Field]int
	Total, BaseTot int
	Models         int // mô hình among Total
	Exemplars      int // điển hình among Total
	NoData         bool
}

// Change is the total's change since the baseline year.
func (r ModelsRollup) Change() int { return r.Total - r.BaseTot }

// activeAt reports whether a model counts in the roll-up of year y:
// registered by y and not discontinued by the end of y. A model stopped
// without a stop date counts as stopped when it was last changed.
func activeAt(year int, status string, stopDate, updated string, y int) bool {
	if year > y {
		return false
	}
	if domain.ModelStatus(status) != domain.StatusDiscontinued {
		return true
	}
	stop := 0
	if t, err := time.Parse(domain.DateLayout, stopDate); err == nil {
		stop = t.Year()
	} else if t := parseTime(updated); !t.IsZero() {
		stop = t.Year()
	}
	return stop > y
}

// RollupModels counts, per unit and field, the models active at the end
// of year and (when baseline is not 0) at the end of baseline. A unit
// merged into another by the end of year counts under that unit in both
// columns, so that each row compares like with like.
func (s *Store) RollupModels(ctx context.Context, year, baseline int) (ModelsRollup, error) {
	out := ModelsRollup{Year: year, Baseline: baseline, ByField: map[domain.Field]int{}, BaseByField: map[domain.Field]int{}}
	if baseline > year {
		return out, &CollectorError{Code: "collector.baseline_after", Args: map[string]any{"Baseline": baseline, "Year": year}}
	}
	if year < domain.MinPeriodYear || year > domain.MaxPeriodYear || (baseline != 0 && baseline < domain.MinPeriodYear) {
		return out, &CollectorError{Code: "collector.bad_year", Args: map[string]any{"Year": year, "Baseline": baseline}}
	}
	offices, err := s.Offices(ctx)
	if err != nil {
		return out, err
	}
	mergers, err := s.Mergers(ctx)
	if err != nil {
		return out, err
	}
	end := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	byID := map[string]domain.Office{}
	units := map[string]*UnitModels{}
	unit := func(id string) *UnitModels {
		u := units[id]
		if u == nil {
			u = &UnitModels{Office: byID[id], Now: map[domain.Field]int{}, Base: map[domain.Field]int{}}
			units[id] = u
		}
		return u
	}
	for _, o := range offices {
		byID[o.ID] = o
	}
	for _, o := range offices {
		if !o.Self && o.Role != domain.RoleCollector && countedUnder(mergers, o.ID, end) == o.ID {
			unit(o.ID)
		}
	}
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT owner_office_id, kind, field, year, status, stop_date, updated_at
			FROM models WHERE deleted_at = '' AND year <= ?`, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var office, kind, field, status, stop, updated string
			var y int
			if err := rows.Scan(&office, &kind, &field, &y, &status, &stop, &updated); err != nil {
				return err
			}
			now := activeAt(y, status, stop, updated, year)
			base := baseline != 0 && activeAt(y, status, stop, updated, baseline)
			if !now && !base {
				continue
			}
			target := countedUnder(mergers, office, end)
			u := unit(target)
			if target != office {
				u.Members = appendOnce(u.Members, byID[office].Code)
			}
			f := domain.Field(field)
			if now {
				u.Now[f]++
				u.Total++
				out.ByField[f]++
				out.Total++
				if domain.ModelKind(kind) == domain.KindExemplar {
					out.Exemplars++
				} else {
					out.Models++
				}
			}
			if base {
				u.Base[f]++
				u.BaseTot++
				out.BaseByField[f]++
				out.BaseTot++
			}
		}
		return rows.Err()
	})
	if err != nil {
		return out, err
	}
	for _, u := range units {
		// This office's own row only when it registered models itself.
		if u.Office.Self && u.Total == 0 && u.BaseTot == 0 {
			continue
		}
		out.Units = append(out.Units, *u)
	}
	sort.Slice(out.Units, func(i, j int) bool { return out.Units[i].Office.Code < out.Units[j].Office.Code })
	out.NoData = out.Total == 0 && out.BaseTot == 0
	return out, nil
}
