package report

import (
	"context"
	"danvan/internal/domain"
	"strconv"
	"strings"

	"danvan/store"
)

func init() {
	register(KindModels, buildModels)
}

// buildModels is the list of the office's models and exemplars that count
// in a year. The year comes from --period as "2024" or "2024-Y", and is
// the document's year when none is given.
func buildModels(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error) {
	year := m.Date.Year()
	if req.Period != "" {
		y, err := yearOf(req.Period, m.Settings.CutoffDay)
		if err != nil {
			return nil, err
		}
		year = y
	}
	all, err := officeModels(ctx, st, m)
	if err != nil {
		return nil, err
	}
	var items []ModelItem
	for _, md := range ModelsInYear(all, year) {
		items = append(items, modelItem(md))
	}
	return ModelsDocument(m, ModelList{Year: year, Items: items, NoNames: req.Personal == domain.PersonalNone})
}

// yearOf reads "2024" or any period code, and gives the period's year.
func yearOf(s string, cutoff int) (int, error) {
	s = strings.TrimSpace(s)
	if y, err := strconv.Atoi(s); err == nil && y >= domain.MinPeriodYear && y <= domain.MaxPeriodYear {
		return y, nil
	}
	spec, err := domain.ParsePeriod(s, cutoff)
	if err != nil {
		return 0, err
	}
	return spec.Year, nil
}

// ModelsInYear keeps the models that count in year: registered that year
// or before, and not discontinued by then. Models that stay effective count
// again in later years (domain.md §1); discontinued ones drop out at the
// yearly review.
func ModelsInYear(models []domain.Model, year int) []domain.Model {
	var out []domain.Model
	for _, md := range models {
		if md.Deleted() || md.Year > year {
			continue
		}
		if md.Status == domain.StatusDiscontinued && (md.StopDate.IsZero() || md.StopDate.Year() <= year) {
			continue
		}
		out = append(out, md)
	}
	return out
}

func modelItem(md domain.Model) ModelItem {
	person := md.PersonName
	if md.PersonTitle != "" {
		person += " (" + md.PersonTitle + ")"
	}
	var result []string
	if md.Rating != "" {
		result = append(result, md.Rating.Label())
	}
	if md.Level != "" {
		rec := p("models.recognised", args{"Level": strings.ToLower(md.Level.Label())})
		if md.DecisionNo != "" {
			rec += ", " + md.DecisionNo
		}
		result = append(result, rec)
	}
	return ModelItem{
		Name:     md.Name,
		Exemplar: md.Kind == domain.KindExemplar,
		Field:    string(md.Field),
		Unit:     md.BodyName(),
		Place:    md.Location,
		Person:   person,
		Year:     md.Year,
		Status:   md.Status.Label(),
		Result:   strings.Join(result, "; "),
	}
}
