package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestOfficerIsRefused calls the store directly, as any caller could, and
// proves that the role is checked there and not only in the window: every
// call an officer may not make is refused with ErrForbidden and changes
// nothing (the audit trail does not grow).
func TestOfficerIsRefused(t *testing.T) {
	s, head := mustSetUpHead(t)
	ctx := context.Background()
	useFakeSleeper(t)
	u, err := s.AddUser(ctx, head, NewUser{Username: "canbo", FullName: "Cán bộ", Password: "mat-khau-cb"}, RoleOfficer)
	if err != nil {
		t.Fatal(err)
	}
	officer, err := s.Login(ctx, "canbo", "mat-khau-cb")
	if err != nil {
		t.Fatal(err)
	}
	// An officer takes the daily snapshots, inside the data folder; a copy
	// carried out of the office is the head's (it holds every phone number).
	if _, err := s.BackupNow(ctx, officer); err != nil {
		t.Fatalf("an officer may take a snapshot: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := s.BackupTo(ctx, head, backup); err != nil {
		t.Fatal(err)
	}
	set, _ := s.Settings(ctx)
	calls := []struct {
		name string
		perm Permission
		call func(a Actor) error
	}{
		{"add officer", PermUsers, func(a Actor) error {
			_, err := s.AddUser(ctx, a, NewUser{Username: "canbo2", FullName: "Hai", Password: "12345678"}, RoleOfficer)
			return err
		}},
		{"add head", PermUsers, func(a Actor) error {
			_, err := s.AddUser(ctx, a, NewUser{Username: "pho", FullName: "Phó", Password: "12345678"}, RoleHead)
			return err
		}},
		{"reset own password", PermUsers, func(a Actor) error { return s.ResetPassword(ctx, a, u.ID, "mat-khau-moi") }},
		{"reset head password", PermUsers, func(a Actor) error { return s.ResetPassword(ctx, a, head.UserID, "mat-khau-moi") }},
		{"disable head", PermUsers, func(a Actor) error { return s.SetUserDisabled(ctx, a, head.UserID, true) }},
		{"restore", PermRestore, func(a Actor) error { _, err := s.Restore(ctx, a, backup); return err }},
		{"settings", PermSettings, func(a Actor) error { return s.SaveSettings(ctx, a, set) }},
		{"backup out of the office", PermRestore, func(a Actor) error { return s.BackupTo(ctx, a, filepath.Join(t.TempDir(), "x.db")) }},
		{"export the decryption key", PermSign, func(a Actor) error { return s.RecordExport(ctx, a, ExportIdentity, "id.txt", 1) }},
		{"export the enrollment file", PermSign, func(a Actor) error { return s.RecordExport(ctx, a, ExportEnrollment, "e.zip", 1) }},
	}
	calls = append(calls, roleCallsFromOtherAreas(t, s)...)
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			var before int
			s.db.QueryRow(`SELECT count(*) FROM audit`).Scan(&before)
			err := c.call(officer)
			if !errors.Is(err, ErrForbidden) {
				t.Fatalf("officer: error = %v, want ErrForbidden", err)
			}
			var coded domain.Coded
			if !errors.As(err, &coded) {
				t.Fatal("the refusal carries no message code")
			}
			if code, _ := coded.MessageCode(); code != "forbidden."+string(c.perm) {
				t.Errorf("code = %q, want forbidden.%s", code, c.perm)
			}
			var after int
			s.db.QueryRow(`SELECT count(*) FROM audit`).Scan(&after)
			if after != before {
				t.Errorf("the refused call wrote %d audit rows", after-before)
			}
		})
	}
	// The head may do all of it (restore last: it rewinds the data).
	if _, err := s.AddUser(ctx, head, NewUser{Username: "canbo2", FullName: "Hai", Password: "12345678"}, RoleOfficer); err != nil {
		t.Errorf("head AddUser: %v", err)
	}
	if err := s.ResetPassword(ctx, head, u.ID, "mat-khau-moi"); err != nil {
		t.Errorf("head ResetPassword: %v", err)
	}
	if _, err := s.Restore(ctx, head, backup); err != nil {
		t.Errorf("head Restore: %v", err)
	}
}

// roleCallsFromOtherAreas lists the head-only calls of the other areas
// (periods, batches, keys, offices). The role check comes before anything
// else in each, so a real period or batch is not needed to prove the
// refusal; ClosePeriod uses a real month so the test also shows the month
// stays open.
func roleCallsFromOtherAreas(t *testing.T, s *Store) []struct {
	name string
	perm Permission
	call func(a Actor) error
} {
	ctx := context.Background()
	month, err := domain.ParsePeriod("2026-M03", 15)
	if err != nil {
		t.Fatal(err)
	}
	type call = struct {
		name string
		perm Permission
		call func(a Actor) error
	}
	return []call{
		{"close period", PermClosePeriod, func(a Actor) error { return s.ClosePeriod(ctx, a, month) }},
		{"reopen period", PermClosePeriod, func(a Actor) error { return s.ReopenPeriod(ctx, a, month, "sửa số liệu") }},
		{"sign: prepare export", PermSign, func(a Actor) error { _, err := s.PrepareExport(ctx, a, "", true); return err }},
		{"sign: record batch sent", PermSign, func(a Actor) error { return s.RecordBatchSent(ctx, a, SentBatch{}) }},
		{"sign: create key", PermSign, func(a Actor) error { return s.CreateSelfKey(ctx, a, KeyMaterial{}) }},
		{"sign: rotate key", PermSign, func(a Actor) error { return s.RotateSelfKey(ctx, a, KeyMaterial{}, "") }},
		{"enroll office", PermEnroll, func(a Actor) error { _, err := s.EnrollOffice(ctx, a, Enrollment{}); return err }},
		{"import batch", PermEnroll, func(a Actor) error { _, err := s.importOne(ctx, a, IncomingBatch{}, false); return err }},
		{"import receipt", PermEnroll, func(a Actor) error { _, err := s.AcknowledgeBatches(ctx, a, "", nil); return err }},
		{"quarantine", PermEnroll, func(a Actor) error { return s.Quarantine(ctx, a, QuarantinedBatch{}) }},
		{"release quarantined", PermEnroll, func(a Actor) error { return s.ReleaseQuarantined(ctx, a, "") }},
		{"merge offices", PermEnroll, func(a Actor) error { return s.MergeOffice(ctx, a, "", "", time.Time{}) }},
		{"unmerge office", PermEnroll, func(a Actor) error { return s.UnmergeOffice(ctx, a, "") }},
		{"add tally field", PermSettings, func(a Actor) error { _, err := s.AddTallyField(ctx, a, "Hộ tịch mới"); return err }},
	}
}
