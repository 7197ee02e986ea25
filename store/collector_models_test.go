package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"testing"
)

// storeUnitModel stores a model of another office as if a batch had brought it.
func storeUnitModel(tb testing.TB, s *Store, office string, kind domain.ModelKind, field domain.Field, year int, status domain.ModelStatus, stopDate string) {
	tb.Helper()
	now := fmtTime(s.now())
	if _, err := s.db.Exec(`INSERT INTO models(id, owner_office_id, kind, name, name_fold, search_fold, field, year, body, person_name, status, stop_date, created_at, updated_at)
		VALUES (?, ?, ?, 'Mô hình', 'mo hinh', 'mo hinh', ?, ?, 'peoples_committee', 'Nguyễn Văn A', ?, ?, ?, ?)`,
		NewID(), office, kind, field, year, status, stopDate, now, now); err != nil {
		tb.Fatal(err)
	}
}

func TestRollupModels(t *testing.T) {
	s, _ := mustSetUpCollector(t)
	ctx := context.Background()
	a, b, e := seedOffice(t, s, "A"), seedOffice(t, s, "B"), seedOffice(t, s, "E")
	storeUnitModel(t, s, a, domain.KindModel, domain.FieldEconomy, 2019, domain.StatusMaintained, "")
	storeUnitModel(t, s, a, domain.KindModel, domain.FieldEconomy, 2023, domain.StatusImplementing, "")
	storeUnitModel(t, s, a, domain.KindExemplar, domain.FieldCulture, 2024, domain.StatusRegistered, "")
	// Stopped in 2022: active at the end of 2019 and 2021, not of 2024.
	storeUnitModel(t, s, b, domain.KindModel, domain.FieldDefence, 2018, domain.StatusDiscontinued, "2022-03-01")
	storeUnitModel(t, s, b, domain.KindModel, domain.FieldPolitical, 2024, domain.StatusRegistered, "")
	// Registered after the report's year: not counted.
	storeUnitModel(t, s, b, domain.KindModel, domain.FieldPolitical, 2025, domain.StatusRegistered, "")
	storeUnitModel(t, s, e, domain.KindModel, domain.FieldCulture, 2020, domain.StatusRecognised, "")
	if err := s.MergeOffice(ctx, System, e, a, at("2024-07-01T00:00:00Z")); err != nil {
		t.Fatal(err)
	}

	r, err := s.RollupModels(ctx, 2024, 2019)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 5 || r.BaseTot != 2 || r.Change() != 3 || r.Models != 4 || r.Exemplars != 1 {
		t.Errorf("total %d, base %d, change %d, models %d, exemplars %d", r.Total, r.BaseTot, r.Change(), r.Models, r.Exemplars)
	}
	want := map[domain.Field]int{domain.FieldEconomy: 2, domain.FieldCulture: 2, domain.FieldDefence: 0, domain.FieldPolitical: 1}
	for f, n := range want {
		if r.ByField[f] != n {
			t.Errorf("%s = %d, want %d", f, r.ByField[f], n)
		}
	}
	if len(r.Units) != 2 {
		t.Fatalf("%d units: %+v", len(r.Units), r.Units)
	}
	if u := r.Units[0]; u.Office.Code != "A" || u.Total != 4 || u.Now[domain.FieldCulture] != 2 || len(u.Members) != 1 {
		t.Errorf("unit A (with E merged in) = %+v", u)
	}
	if u := r.Units[1]; u.Total != 1 || u.BaseTot != 1 || u.Base[domain.FieldDefence] != 1 {
		t.Errorf("unit B = %+v", u)
	}

	// Before the merger E is its own unit.
	r, err = s.RollupModels(ctx, 2021, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Units) != 3 || r.Total != 3 {
		t.Errorf("2021: %d units, total %d", len(r.Units), r.Total)
	}
	r, err = s.RollupModels(ctx, 2010, 0)
	if err != nil || !r.NoData || r.Total != 0 {
		t.Errorf("a year with no models: %+v, %v", r, err)
	}
	var ce *CollectorError
	if _, err := s.RollupModels(ctx, 2019, 2024); !errors.As(err, &ce) || ce.Code != "collector.baseline_after" {
		t.Errorf("baseline after the year: %v", err)
	}
}
