package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrBadLogin is a failed login: unknown name, wrong password or an account
// turned off. The message never says which of name or password was wrong.
var ErrBadLogin = errors.New("store: wrong login name or password")

type loginError struct{ code string }

func (e loginError) Error() string { return "store: login refused: " + e.code }
func (e loginError) Unwrap() error { return ErrBadLogin }
func (e loginError) MessageCode() (string, map[string]any) {
	return e.code, nil
}

// LoginSleep waits out the delay that repeated failures impose before the
// next password is checked. Tests replace it so that they do not sleep.
var LoginSleep = func(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Free attempts before the delay starts, and its ceiling.
const (
	freeLoginFailures = 2
	maxLoginDelay     = time.Minute
)

// LoginDelay is how long an account that has failed n times in a row makes
// the next attempt wait: nothing for the first two typing mistakes, then 1,
// 2, 4 … seconds up to a minute. It is kept per account in the database, so
// restarting the program does not reset it.
func LoginDelay(failures int) time.Duration {
	if failures <= freeLoginFailures {
		return 0
	}
	shift := failures - freeLoginFailures - 1
	if shift >= 6 {
		return maxLoginDelay
	}
	return min(time.Second<<shift, maxLoginDelay)
}

// Login checks a password and returns the actor to pass to later calls.
// Every attempt, good or bad, is written to the audit trail.
func (s *Store) Login(ctx context.Context, username, password string) (Actor, error) {
	name := normalizeUsername(username)
	if len([]rune(name)) > MaxUsername {
		name = string([]rune(name)[:MaxUsername])
	}
	var (
		u              User
		hash, lastFail string
		failures       int
	)
	var disabled int
	var created, updated string
	err := s.db.QueryRowContext(ctx, `SELECT id, username, full_name, role, disabled, created_at, updated_at,
		password_hash, failed_count, last_failed_at FROM users WHERE username = ?`, name).
		Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &disabled, &created, &updated, &hash, &failures, &lastFail)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real check, so that timing does not tell
		// which names exist.
		checkPassword(dummyHash(), password)
		return Actor{}, s.loginFailed(ctx, "", name, "unknown_user")
	}
	if err != nil {
		return Actor{}, classify(err)
	}
	u.Disabled = disabled == 1
	if wait := LoginDelay(failures) - s.now().Sub(parseTime(lastFail)); failures > 0 && wait > 0 {
		if err := LoginSleep(ctx, wait); err != nil {
			return Actor{}, err
		}
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return Actor{}, err
	}
	if !ok {
		return Actor{}, s.loginFailed(ctx, u.ID, u.Username, "wrong_password")
	}
	if u.Disabled {
		if err := s.loginFailed(ctx, u.ID, u.Username, "disabled"); !errors.Is(err, ErrBadLogin) {
			return Actor{}, err
		}
		return Actor{}, loginError{code: "login_disabled"}
	}
	if s.readOnly {
		return u.Actor(), nil // a write-protected folder: checked, not recorded
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_count = 0, last_failed_at = '' WHERE id = ?`, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u.Actor(), ActionLogin, "user", u.ID, nil, nil)
	})
	if err != nil {
		return Actor{}, err
	}
	return u.Actor(), nil
}

// loginFailed counts the failure against the account (when there is one)
// and records it. It returns ErrBadLogin, or the error that kept it from
// recording the failure.
func (s *Store) loginFailed(ctx context.Context, userID, name, reason string) error {
	if s.readOnly {
		return loginError{code: "login_bad"}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if userID != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_count = failed_count + 1, last_failed_at = ? WHERE id = ?`,
				fmtTime(s.now()), userID); err != nil {
				return err
			}
		}
		who := Actor{UserID: userID, Name: name, Role: ""}
		return s.audit(ctx, tx, who, ActionLoginFailed, "user", userID, nil, map[string]string{"reason": reason})
	})
	if err != nil {
		return err
	}
	return loginError{code: "login_bad"}
}

// FailedLogins returns how many times in a row the account has failed to
// log in, so that the login screen can say how long the next try waits.
func (s *Store) FailedLogins(ctx context.Context, username string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT failed_count FROM users WHERE username = ?`, normalizeUsername(username)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
