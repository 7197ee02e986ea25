package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"danvan/store/vn"
)

// User is an account that logs in. The password hash never leaves the store.
type User struct {
	ID        string
	Username  string
	FullName  string
	Role      Role // RoleHead or RoleOfficer
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Actor returns the actor a logged-in u acts as.
func (u User) Actor() Actor { return Actor{UserID: u.ID, Name: u.Username, Role: u.Role} }

// Limits on account fields.
const (
	MinUsername    = 2
	MaxUsername    = 40
	MaxFullName    = 100
	MinPassword    = 8
	MaxPassword    = 200
	usernameFormat = `^[a-z0-9][a-z0-9._-]*$`
)

var usernameRE = regexp.MustCompile(usernameFormat)

// normalizeUsername makes login names case-insensitive: "NguyenVanA" and
// "nguyenvana" are the same account.
func normalizeUsername(s string) string { return strings.ToLower(vn.Clean(s)) }

// Validate lists every problem with a new account.
func (n *NewUser) Validate() error {
	v := &domain.ValidationError{}
	n.Username = normalizeUsername(n.Username)
	n.FullName = vn.Clean(n.FullName)
	switch {
	case n.Username == "":
		v.Add("username", "required", nil)
	case utf8.RuneCountInString(n.Username) > MaxUsername:
		v.Add("username", "too_long", map[string]any{"Max": MaxUsername})
	case len(n.Username) < MinUsername || !usernameRE.MatchString(n.Username):
		v.Add("username", "username_chars", map[string]any{"Min": MinUsername})
	}
	domain.CheckText(v, "full_name", n.FullName, MaxFullName, true)
	checkPasswordRules(v, "password", n.Password)
	return v.OrNil()
}

func checkPasswordRules(v *domain.ValidationError, field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case pw == "":
		v.Add(field, "required", nil)
	case n < MinPassword:
		v.Add(field, "password_short", map[string]any{"Min": MinPassword})
	case n > MaxPassword:
		v.Add(field, "too_long", map[string]any{"Max": MaxPassword})
	case !utf8.ValidString(pw) || vn.HasControl(pw):
		v.Add(field, "control_chars", nil)
	}
}

// userView is what the audit trail records of an account: never the hash.
type userView struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Role     Role   `json:"role"`
	Disabled bool   `json:"disabled"`
}

func (u User) view() userView {
	return userView{Username: u.Username, FullName: u.FullName, Role: u.Role, Disabled: u.Disabled}
}

const userCols = `id, username, full_name, role, disabled, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var disabled int
	var created, updated string
	err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &disabled, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	u.Disabled = disabled == 1
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	return u, err
}

// HasUsers reports whether any account exists. A data folder set up before
// accounts existed, or without a head account, has none; the program then
// acts as the system actor and asks nobody to log in.
func (s *Store) HasUsers(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n > 0, err
}

// Users lists every account, heads first, then by login name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY role = 'head' DESC, username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// User returns the account with the given id.
func (s *Store) User(ctx context.Context, id string) (User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

func init() {
	setupSteps = append(setupSteps, setupHead)
}

// setupHead creates the first head account inside set-up's transaction,
// so that a bad password leaves no office behind either.
func setupHead(ctx context.Context, tx *sql.Tx, s *Store, in *SetupInput, _ domain.Office) error {
	if in.Head == nil {
		return nil
	}
	_, err := s.insertUser(ctx, tx, System, *in.Head, RoleHead)
	return err
}

// AddUser creates an account. Only a head may; role is RoleHead or
// RoleOfficer.
func (s *Store) AddUser(ctx context.Context, actor Actor, nu NewUser, role Role) (User, error) {
	if err := actor.require(PermUsers); err != nil {
		return User{}, err
	}
	var u User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.insertUser(ctx, tx, actor, nu, role)
		return err
	})
	return u, err
}

func (s *Store) insertUser(ctx context.Context, tx *sql.Tx, actor Actor, nu NewUser, role Role) (User, error) {
	err := nu.Validate()
	if role != RoleHead && role != RoleOfficer {
		v, _ := err.(*domain.ValidationError)
		if v == nil {
			v = &domain.ValidationError{}
		}
		v.Add("user_role", "invalid_choice", nil)
		err = v
	}
	if err != nil {
		return User{}, err
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = ?`, nu.Username).Scan(&taken); err != nil {
		return User{}, err
	}
	if taken > 0 {
		v := &domain.ValidationError{}
		v.Add("username", "username_taken", map[string]any{"Name": nu.Username})
		return User{}, v
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{ID: NewID(), Username: nu.Username, FullName: nu.FullName, Role: role, CreatedAt: now, UpdatedAt: now}
	_, err = tx.ExecContext(ctx, `INSERT INTO users(id, username, full_name, full_name_fold, role, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Username, u.FullName, vn.Fold(u.FullName), u.Role, hash, fmtTime(now), fmtTime(now))
	if err != nil {
		return User{}, err
	}
	return u, s.audit(ctx, tx, actor, ActionInsert, "user", u.ID, nil, u.view())
}

// ResetPassword gives an account a new password and clears its failed
// logins. Only a head may.
func (s *Store) ResetPassword(ctx context.Context, actor Actor, userID, password string) error {
	if err := actor.require(PermUsers); err != nil {
		return err
	}
	v := &domain.ValidationError{}
	checkPasswordRules(v, "password", password)
	if err := v.OrNil(); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_count = 0, last_failed_at = '', updated_at = ? WHERE id = ?`,
			hash, fmtTime(s.now()), userID); err != nil {
			return err
		}
		// The audit says that the password changed, never what it is.
		return s.audit(ctx, tx, actor, ActionUpdate, "user", u.ID, nil, map[string]any{"username": u.Username, "password": "reset"})
	})
}

// SetUserDisabled turns an account off or back on. Only a head may, and
// the last active head can never be turned off, so that someone can always
// manage the office.
func (s *Store) SetUserDisabled(ctx context.Context, actor Actor, userID string, disabled bool) error {
	if err := actor.require(PermUsers); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if disabled && u.Role == RoleHead {
			var heads int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'head' AND disabled = 0`).Scan(&heads); err != nil {
				return err
			}
			if heads <= 1 {
				return lastHeadError{}
			}
		}
		flag := 0
		if disabled {
			flag = 1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?`, flag, fmtTime(s.now()), userID); err != nil {
			return err
		}
		old := u.view()
		u.Disabled = disabled
		return s.audit(ctx, tx, actor, ActionUpdate, "user", u.ID, old, u.view())
	})
}

type lastHeadError struct{}

func (lastHeadError) Error() string { return "store: the last active head cannot be disabled" }
func (lastHeadError) Unwrap() error { return ErrConflict }
func (lastHeadError) MessageCode() (string, map[string]any) {
	return "last_head", nil
}
