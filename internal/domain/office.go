package domain

import (
	"danvan/store/vn"
	"regexp"
	"time"
	"unicode/utf8"
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
	CheckText(v, "office_name", o.Name, MaxOfficeName, true)
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

// CheckText adds the usual problems of a free-text field: required, too long,
// control characters.
func CheckText(v *ValidationError, field, s string, maxLen int, required bool) {
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
