package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"time"
	"unicode/utf8"

	"danvan/store/vn"
	"github.com/google/uuid"
)

// OfficeKind is the administrative kind of a unit.
type OfficeKind string

const (
	KindXa      OfficeKind = "xa"
	KindPhuong  OfficeKind = "phuong"
	KindThiTran OfficeKind = "thitran"
	KindHuyen   OfficeKind = "huyen"
	KindTinh    OfficeKind = "tinh"
	KindKhac    OfficeKind = "khac"
)

// OfficeKinds lists every kind in display order.
var OfficeKinds = []OfficeKind{KindXa, KindPhuong, KindThiTran, KindHuyen, KindTinh, KindKhac}

// Valid reports whether k is one of OfficeKinds.
func (k OfficeKind) Valid() bool {
	for _, v := range OfficeKinds {
		if k == v {
			return true
		}
	}
	return false
}

// OfficeRole says whether an installation reports upward (commune) or
// collects reports (collector). A collector can still report upward.
type OfficeRole string

const (
	RoleCommune   OfficeRole = "commune"
	RoleCollector OfficeRole = "collector"
)

// Valid reports whether r is a known role.
func (r OfficeRole) Valid() bool { return r == RoleCommune || r == RoleCollector }

// Office is a unit: this installation's own office, or one it exchanges
// batches with.
type Office struct {
	ID        string // UUID
	Code      string // short code, e.g. "SH"; used in batch file names
	Name      string
	Kind      OfficeKind
	Role      OfficeRole
	ParentID  string // "" when none is known
	Self      bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Limits on office fields.
const (
	MaxOfficeName = 200
	MaxCodeLen    = 20
)

var codeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]*$`)

// Normalize cleans the office's text in place: NFC, trimmed, code upper case.
func (o *Office) Normalize() {
	o.Name = vn.Clean(o.Name)
	o.Code = vn.Clean(o.Code)
	if isASCII(o.Code) {
		o.Code = toUpperASCII(o.Code)
	}
}

// Validate lists every problem with o.
func (o *Office) Validate() error {
	v := &ValidationError{}
	checkText(v, "office_name", o.Name, MaxOfficeName, true)
	switch {
	case o.Code == "":
		v.Add("office_code", "required", nil)
	case utf8.RuneCountInString(o.Code) > MaxCodeLen:
		v.Add("office_code", "too_long", map[string]any{"Max": MaxCodeLen})
	case !codeRE.MatchString(o.Code):
		v.Add("office_code", "code_chars", nil)
	}
	if !o.Kind.Valid() {
		v.Add("office_kind", "invalid_choice", nil)
	}
	if !o.Role.Valid() {
		v.Add("office_role", "invalid_choice", nil)
	}
	return v.OrNil()
}

// checkText adds the usual problems of a free-text field: required, too long,
// control characters.
func checkText(v *ValidationError, field, s string, maxLen int, required bool) {
	switch {
	case s == "" && required:
		v.Add(field, "required", nil)
	case utf8.RuneCountInString(s) > maxLen:
		v.Add(field, "too_long", map[string]any{"Max": maxLen})
	case vn.HasControl(s):
		v.Add(field, "control_chars", nil)
	case !utf8.ValidString(s):
		v.Add(field, "control_chars", nil)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func toUpperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// NewID returns a new random UUID (version 4) as text.
func NewID() string { return uuid.NewString() }

const officeCols = `id, code, name, kind, role, COALESCE(parent_id, ''), is_self, created_at, updated_at`

func scanOffice(row interface{ Scan(...any) error }) (Office, error) {
	var o Office
	var created, updated string
	var self int
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.Role, &o.ParentID, &self, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	}
	o.Self = self == 1
	o.CreatedAt, o.UpdatedAt = parseTime(created), parseTime(updated)
	return o, err
}

// SelfOffice returns this installation's own office, or ErrNotSetUp.
func (s *Store) SelfOffice(ctx context.Context) (Office, error) {
	o, err := scanOffice(s.db.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 1`))
	if errors.Is(err, ErrNotFound) {
		return o, ErrNotSetUp
	}
	return o, err
}

func selfOfficeTx(ctx context.Context, tx *sql.Tx) (Office, error) {
	o, err := scanOffice(tx.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 1`))
	if errors.Is(err, ErrNotFound) {
		return o, ErrNotSetUp
	}
	return o, err
}

// Office returns the office with the given id.
func (s *Store) Office(ctx context.Context, id string) (Office, error) {
	return scanOffice(s.db.QueryRowContext(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, id))
}

// Offices lists every office known here, this one first, then by code.
func (s *Store) Offices(ctx context.Context) ([]Office, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+officeCols+` FROM offices ORDER BY is_self DESC, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Office
	for rows.Next() {
		o, err := scanOffice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func insertOffice(ctx context.Context, tx *sql.Tx, o Office) error {
	var parent any
	if o.ParentID != "" {
		parent = o.ParentID
	}
	self := 0
	if o.Self {
		self = 1
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO offices(id, code, name, kind, role, parent_id, is_self, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Code, o.Name, o.Kind, o.Role, parent, self, fmtTime(o.CreatedAt), fmtTime(o.UpdatedAt))
	return err
}
