package store

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Settings are the office's choices. Defaults come from DefaultSettings.
type Settings struct {
	CollectorName   string // the collecting office: a district, a provincial body, the MTTQ…
	Language        string // "vi" or "en"
	CutoffDay       int    // period cut-off day (chốt số liệu); 15 means 15th → 14th
	ParentBody      string // cơ quan chủ quản, first line of the printed header
	PlaceName       string // địa danh of the date line: "<PlaceName>, ngày … "
	SignerAuthority string // e.g. "TM. ỦY BAN NHÂN DÂN"
	SignerTitle     string // e.g. "CHỦ TỊCH"
	SignerName      string
	DueWorkingDays  int    // reports are due this many working days after the cut-off
	CollectorURL    string // where the collecting office serves batches (danvan serve); "" when sent by hand
	// PersonalInLists is how much of the responsible persons' personal
	// data the lists that leave the office unencrypted (XLSX, CSV, PDF)
	// carry; "" is the default of the office's role (ListPersonal).
	PersonalInLists Personal
}

// Personal is how much personal data (domain.md §6: the responsible
// person's name and phone number) a list carries.
type Personal string

const (
	PersonalAll   Personal = "all"   // names and phone numbers
	PersonalNames Personal = "names" // names; phone numbers left out
	PersonalNone  Personal = "none"  // neither
)

// Personals lists the choices, most to least.
var Personals = []Personal{PersonalAll, PersonalNames, PersonalNone}

// Valid says whether p is one of the choices.
func (p Personal) Valid() bool {
	for _, v := range Personals {
		if p == v {
			return true
		}
	}
	return false
}

// ListPersonal is what a list made here carries by default: the setting,
// or for an office that did not choose, everything at a commune (its own
// people, whom it calls) and no phone numbers at a collecting office, whose
// lists roll up many communes' people (Luật 91/2025/QH15: no more than the
// purpose needs).
func (st Settings) ListPersonal(role OfficeRole) Personal {
	if st.PersonalInLists.Valid() {
		return st.PersonalInLists
	}
	if role == RoleCollector {
		return PersonalNames
	}
	return PersonalAll
}

// DefaultSettings are what a fresh installation starts with (domain.md §2).
func DefaultSettings() Settings {
	return Settings{Language: "vi", CutoffDay: 15, DueWorkingDays: 2}
}

// Languages the interface ships in, Vietnamese first.
var Languages = []string{"vi", "en"}

// MaxSettingText bounds every text setting.
const MaxSettingText = 200

// Normalize cleans the text settings in place.
func (st *Settings) Normalize() {
	for _, p := range []*string{&st.CollectorName, &st.ParentBody, &st.PlaceName, &st.SignerAuthority, &st.SignerTitle, &st.SignerName} {
		*p = cleanText(*p)
	}
	st.CollectorURL = strings.TrimSpace(st.CollectorURL)
}

// ValidCollectorURL says whether u can be the collecting office's address:
// http or https, a host, and nothing after the path.
func ValidCollectorURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && p.RawQuery == "" && p.Fragment == "" &&
		p.User == nil && len(u) <= MaxSettingText
}

// Validate lists every problem with st.
func (st *Settings) Validate() error {
	v := &ValidationError{}
	checkText(v, "collector_name", st.CollectorName, MaxSettingText, true)
	checkText(v, "parent_body", st.ParentBody, MaxSettingText, false)
	checkText(v, "place_name", st.PlaceName, MaxSettingText, false)
	checkText(v, "signer_authority", st.SignerAuthority, MaxSettingText, false)
	checkText(v, "signer_title", st.SignerTitle, MaxSettingText, false)
	checkText(v, "signer_name", st.SignerName, MaxSettingText, false)
	if st.CollectorURL != "" && !ValidCollectorURL(st.CollectorURL) {
		v.Add("collector_url", "invalid_url", nil)
	}
	if st.PersonalInLists != "" && !st.PersonalInLists.Valid() {
		v.Add("personal_in_lists", "invalid_choice", nil)
	}
	if !slices.Contains(Languages, st.Language) {
		v.Add("language", "invalid_choice", nil)
	}
	if st.CutoffDay < 1 || st.CutoffDay > 28 {
		v.Add("cutoff_day", "out_of_range", map[string]any{"Min": 1, "Max": 28})
	}
	if st.DueWorkingDays < 0 || st.DueWorkingDays > 30 {
		v.Add("due_working_days", "out_of_range", map[string]any{"Min": 0, "Max": 30})
	}
	return v.OrNil()
}

func (st *Settings) fields() map[string]*string {
	return map[string]*string{
		"collector_name":    &st.CollectorName,
		"language":          &st.Language,
		"parent_body":       &st.ParentBody,
		"place_name":        &st.PlaceName,
		"signer_authority":  &st.SignerAuthority,
		"signer_title":      &st.SignerTitle,
		"signer_name":       &st.SignerName,
		"collector_url":     &st.CollectorURL,
		"personal_in_lists": (*string)(&st.PersonalInLists),
	}
}

func (st *Settings) ints() map[string]*int {
	return map[string]*int{"cutoff_day": &st.CutoffDay, "due_working_days": &st.DueWorkingDays}
}

// Settings returns the stored settings over the defaults.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	st := DefaultSettings()
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	strs, ints := st.fields(), st.ints()
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

func settingsTx(ctx context.Context, tx *sql.Tx) (Settings, error) {
	st := DefaultSettings()
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	strs, ints := st.fields(), st.ints()
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
func (s *Store) SaveSettings(ctx context.Context, actor Actor, st Settings) error {
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

func writeSettings(ctx context.Context, tx *sql.Tx, st Settings) error {
	for k, p := range st.fields() {
		if err := putSetting(ctx, tx, k, *p); err != nil {
			return err
		}
	}
	for k, p := range st.ints() {
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
