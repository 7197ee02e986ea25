package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestAuditRowsAreAppendOnly(t *testing.T) {
	s, _ := mustSetUpHead(t)
	ctx := context.Background()
	var before int
	s.db.QueryRow(`SELECT count(*) FROM audit`).Scan(&before)
	for _, q := range []string{
		`UPDATE audit SET user_name = 'ke-gian'`,
		`DELETE FROM audit`,
		`DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: succeeded, want the trigger to refuse it", q)
		}
	}
	var after int
	var names string
	s.db.QueryRow(`SELECT count(*), group_concat(user_name) FROM audit`).Scan(&after, &names)
	if after != before {
		t.Errorf("%d audit rows, want %d", after, before)
	}
	if names == "" || strings.Contains(names, "ke-gian") {
		t.Errorf("audit user names = %q, changed", names)
	}
}

func TestAuditFiltersAndHistory(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	useFakeSleeper(t)
	day1 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return day1 }
	u, err := s.AddUser(ctx, head, NewUser{Username: "canbo", FullName: "Cán bộ", Password: "12345678"}, RoleOfficer)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return day1.Add(24 * time.Hour) }
	if err := s.ResetPassword(ctx, head, u.ID, "87654321"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, head, u.ID, true); err != nil {
		t.Fatal(err)
	}
	s.Login(ctx, "canbo", "sai-mat-khau")

	tests := []struct {
		name string
		f    AuditFilter
		want []string // action of each entry, newest first
	}{
		{"by user", AuditFilter{UserName: "chutich", Entity: "user"}, []string{"update", "update", "insert", "login"}},
		{"by action", AuditFilter{Action: ActionLoginFailed}, []string{"login_failed"}},
		{"by entity id", AuditFilter{EntityID: u.ID}, []string{"login_failed", "update", "update", "insert"}},
		{"from day 2", AuditFilter{EntityID: u.ID, From: day1.Add(12 * time.Hour)}, []string{"login_failed", "update", "update"}},
		{"until day 2", AuditFilter{EntityID: u.ID, To: day1.Add(12 * time.Hour)}, []string{"insert"}},
		{"limit", AuditFilter{EntityID: u.ID, Limit: 2}, []string{"login_failed", "update"}},
		{"offset", AuditFilter{EntityID: u.ID, Limit: 2, Offset: 3}, []string{"insert"}},
		{"nothing", AuditFilter{UserName: "khong-ai"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.AuditLog(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range got {
				actions = append(actions, e.Action)
			}
			if len(actions) != len(tt.want) {
				t.Fatalf("actions = %v, want %v", actions, tt.want)
			}
			for i := range actions {
				if actions[i] != tt.want[i] {
					t.Fatalf("actions = %v, want %v", actions, tt.want)
				}
			}
		})
	}

	hist, err := s.History(ctx, "user", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 4 || hist[0].Action != ActionInsert || hist[3].Action != ActionLoginFailed {
		t.Fatalf("history = %+v", hist)
	}
	if got, want := hist[2].Old, `{"username":"canbo","full_name":"Cán bộ","role":"officer","disabled":false}`; got != want {
		t.Errorf("old of the disable = %s, want %s", got, want)
	}
	if got, want := hist[2].New, `{"username":"canbo","full_name":"Cán bộ","role":"officer","disabled":true}`; got != want {
		t.Errorf("new of the disable = %s, want %s", got, want)
	}
	if !hist[1].At.Equal(day1.Add(24 * time.Hour)) {
		t.Errorf("reset at %v, want %v", hist[1].At, day1.Add(24*time.Hour))
	}

	users, actions, entities, err := s.AuditNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || len(actions) < 4 || len(entities) < 2 {
		t.Errorf("AuditNames = %v %v %v", users, actions, entities)
	}
}
