package store

// Role is what a user may do. The store checks it on every mutating call.
type Role string

const (
	// RoleHead is the lãnh đạo: everything, including signing batches,
	// closing periods, enrolling offices, managing users and restoring.
	RoleHead Role = "head"
	// RoleOfficer is the cán bộ: enters and edits models and tallies.
	RoleOfficer Role = "officer"
	// RoleSystem is the program itself acting at set-up, in migrations and in
	// tests that build fixtures; it is never a person's login.
	RoleSystem Role = "system"
)

// Actor is the user on whose behalf a store call runs. Every mutating method
// takes one, records it in the audit trail and checks its role.
type Actor struct {
	UserID string // users.id, or "" for RoleSystem
	Name   string // login name, written into audit rows and "updated by"
	Role   Role
}

// System is the actor for set-up and maintenance done by the program itself.
var System = Actor{Name: "system", Role: RoleSystem}

// Permission names an action that not every role may take.
type Permission string

const (
	PermEdit        Permission = "edit"         // models, tallies, own data
	PermClosePeriod Permission = "close_period" // chốt and reopen
	PermSign        Permission = "sign"         // sign and export batches, receipts
	PermEnroll      Permission = "enroll"       // enroll offices, import batches and receipts
	PermUsers       Permission = "users"        // add users, reset passwords
	PermRestore     Permission = "restore"      // restore a backup
	PermSettings    Permission = "settings"     // change office settings
)

// Can reports whether the actor's role allows p.
func (a Actor) Can(p Permission) bool {
	switch a.Role {
	case RoleHead, RoleSystem:
		return true
	case RoleOfficer:
		return p == PermEdit
	}
	return false
}

// Require is ErrForbidden, naming p, when the actor's role does not allow
// p: for a caller that must refuse before it starts (danvan serve).
func (a Actor) Require(p Permission) error { return a.require(p) }

func (a Actor) require(p Permission) error {
	if !a.Can(p) {
		return &forbiddenError{perm: p}
	}
	return nil
}

type forbiddenError struct{ perm Permission }

func (e *forbiddenError) Error() string {
	return "store: not allowed for this role: " + string(e.perm)
}
func (e *forbiddenError) Unwrap() error { return ErrForbidden }
func (e *forbiddenError) MessageCode() (string, map[string]any) {
	return "forbidden." + string(e.perm), nil
}
