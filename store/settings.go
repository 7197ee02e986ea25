package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"strconv"
)

// Settings returns the stored settings over the defaults.
func (s *Store) Settings(ctx context.Context) (domain.Settings, error) {
	st := domain.DefaultSettings()
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	strs, ints := st.Texts(), st.Ints()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, err
		}
		if p, ok := strs[k]; ok {
			*p = v
		} else if p, ok := ints[k]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				*p = n
			}
		}
	}
	return st, rows.Err()
}

func settingsTx(ctx context.Context, tx *sql.Tx) (domain.Settings, error) {
	st := domain.DefaultSettings()
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	strs, ints := st.Texts(), st.Ints()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, err
		}
		if p, ok := strs[k]; ok {
			*p = v
		} else if p, ok := ints[k]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				*p = n
			}
		}
	}
	return st, rows.Err()
}

// SaveSettings validates and stores st, recording the change in the audit.
func (s *Store) SaveSettings(ctx context.Context, actor Actor, st domain.Settings) error {
	if err := actor.require(PermSettings); err != nil {
		return err
	}
	st.Normalize()
	if err := st.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := settingsTx(ctx, tx)
		if err != nil {
			return err
		}
		if err := writeSettings(ctx, tx, st); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "settings", "", old, st)
	})
}

func writeSettings(ctx context.Context, tx *sql.Tx, st domain.Settings) error {
	for k, p := range st.Texts() {
		if err := putSetting(ctx, tx, k, *p); err != nil {
			return err
		}
	}
	for k, p := range st.Ints() {
		if err := putSetting(ctx, tx, k, strconv.Itoa(*p)); err != nil {
			return err
		}
	}
	return nil
}

func putSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Preference returns an interface preference (theme, window size…), or def.
// Preferences are not office data: they are not audited or exported.
func (s *Store) Preference(ctx context.Context, key, def string) string {
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, "pref."+key).Scan(&v); err != nil {
		return def
	}
	return v
}

// SetPreference stores an interface preference.
func (s *Store) SetPreference(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return putSetting(ctx, tx, "pref."+key, value) })
}
