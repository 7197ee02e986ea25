package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"strings"
	"testing"
)

func TestDrafts(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	officer := Actor{UserID: "u-2", Name: "canbo", Role: RoleOfficer}
	if err := s.SaveDraft(ctx, head, "model", "", `{"name":"Nuôi cá"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, head, "model", "", `{"name":"Nuôi cá lồng"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, officer, "model", "", `{"name":"Của cán bộ"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, head, "tally", "t-1", `{"n3":"12"}`); err != nil {
		t.Fatal(err)
	}
	got, err := s.Drafts(ctx, head, "model")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Body != `{"name":"Nuôi cá lồng"}` {
		t.Fatalf("head's model drafts = %+v, want the last one only", got)
	}
	all, _ := s.Drafts(ctx, head, "")
	if len(all) != 2 {
		t.Errorf("head's drafts = %d, want 2", len(all))
	}
	if err := s.DeleteDraft(ctx, head, "model", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Drafts(ctx, head, "model"); len(got) != 0 {
		t.Errorf("drafts after delete = %+v", got)
	}
	if got, _ := s.Drafts(ctx, officer, "model"); len(got) != 1 {
		t.Errorf("the officer's draft went with the head's: %+v", got)
	}

	for _, tt := range []struct {
		name, form, body, field, code string
	}{
		{"not JSON", "model", `{"name":`, "draft_body", "invalid_json"},
		{"no form", "", `{}`, "draft_form", "required"},
		{"too big", "model", `"` + strings.Repeat("x", MaxDraftBody) + `"`, "draft_body", "too_long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SaveDraft(ctx, head, tt.form, "k", tt.body)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want domain.ValidationError", err)
			}
			if fe, ok := ve.For(tt.field); !ok || fe.Code != tt.code {
				t.Errorf("problems = %v", ve.Fields)
			}
		})
	}
	if got, _ := s.Drafts(ctx, head, ""); len(got) != 1 {
		t.Errorf("refused drafts were stored: %+v", got)
	}
	viewer := Actor{Name: "x", Role: ""}
	if err := s.SaveDraft(ctx, viewer, "model", "", `{}`); !errors.Is(err, ErrForbidden) {
		t.Errorf("draft by an actor without a role: %v, want ErrForbidden", err)
	}
}
