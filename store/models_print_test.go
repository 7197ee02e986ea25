package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// TestModelsForPrint holds ModelsForPrint to SearchModels: the same live
// models in the same order, with the same printed fields.
func TestModelsForPrint(t *testing.T) {
	s, self := mustSetUp(t)
	ctx := context.Background()
	now := time.Now().UTC()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 120; i++ {
			m := domain.Model{
				ID: NewID(), OwnerOfficeID: self.ID, Kind: []domain.ModelKind{domain.KindModel, domain.KindExemplar}[i%2],
				Name: fmt.Sprintf("Mô hình %d xóm %d", i%7, i), Field: domain.Fields[i%4], Year: 2015 + i%11,
				Body: domain.Bodies[i%len(domain.Bodies)], Location: fmt.Sprintf("xóm %d", i%9), PersonName: "Bùi Văn Thắng",
				PersonTitle: []string{"", "Trưởng xóm"}[i%2], Content: "Nội dung dài", Status: domain.ModelStatuses[i%5],
				Revision: 1, ChangeSeq: int64(i + 1), CreatedAt: now, UpdatedAt: now,
			}
			if m.Body == domain.BodyOther {
				m.BodyOther = "Chi hội"
			}
			if i%6 == 0 {
				m.Rating, m.Level, m.DecisionNo = domain.RatingGood, domain.Levels[i%len(domain.Levels)], fmt.Sprintf("%d/QĐ-UBND", i)
			}
			if i%8 == 0 {
				m.StopDate = time.Date(2020+i%4, 6, 1, 0, 0, 0, 0, time.UTC)
			}
			if i%10 == 0 {
				m.DeletedAt = now // a tombstone: never printed
			}
			if err := putModel(ctx, tx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.SearchModels(ctx, ModelFilter{Owner: self.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, owner := range []string{self.ID, ""} {
		got, err := s.ModelsForPrint(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) != 108 {
			t.Fatalf("owner %q: %d models, SearchModels %d, want 108", owner, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			printed := func(m domain.Model) string {
				return fmt.Sprint(m.ID, m.OwnerOfficeID, m.Kind, m.Name, m.Field, m.Year, m.Body, m.BodyOther, m.Location,
					m.PersonName, m.PersonTitle, m.Status, m.Rating, m.Level, m.DecisionNo, m.StopDate, m.Deleted())
			}
			if printed(g) != printed(w) {
				t.Fatalf("model %d:\n got %s\nwant %s", i, printed(g), printed(w))
			}
		}
	}
}
