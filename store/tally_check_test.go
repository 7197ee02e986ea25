package store

import (
	"context"
	"danvan/internal/domain"
	"testing"
)

func TestCheck(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	fs := mustFields(t, s)
	mar := full(0, 100, 20, 50, 40, 2, 1) // in progress 28
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M03"), []TallyInput{
		{FieldID: fs[0].ID, Counts: mar, Final: true},
		{FieldID: fs[1].ID, Counts: published()},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M04"), []TallyInput{
		{FieldID: fs[0].ID, Counts: full(28, 10, 10, 20, 20, 0, 0), Final: true},
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 3 || rep.Drafts != 1 || len(rep.Findings) != 1 || rep.FinalFailures() != 0 {
		t.Fatalf("report = %+v", rep)
	}
	f := rep.Findings[0]
	if f.OfficeCode != "SH" || f.Period != "2024-M03" || f.FieldName != "Chứng thực" || f.Final || f.Problem.Identity != domain.IdentityBalance || f.Problem.Diff() != 90 {
		t.Errorf("finding = %+v", f)
	}

	// Editing March after April was made final breaks April's continuity:
	// a final row now fails, which check must catch.
	if _, err := s.SaveTallies(ctx, System, mustSpec(t, "2024-M03"), []TallyInput{
		{FieldID: fs[0].ID, Counts: full(0, 100, 25, 50, 40, 2, 1), Final: true},
	}); err != nil {
		t.Fatal(err)
	}
	rep, _ = s.Check(ctx)
	if rep.FinalFailures() != 1 {
		t.Fatalf("findings = %+v, want one final failure", rep.Findings)
	}
	for _, f := range rep.Findings {
		if f.Final && (f.Period != "2024-M04" || f.Problem.Identity != domain.IdentityCarried || f.Problem.Left != 28 || f.Problem.Right != 33) {
			t.Errorf("final finding = %+v", f)
		}
	}
}
