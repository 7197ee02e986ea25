package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"danvan/store"
)

// deletionLine is a line of deletions.jsonl: a tombstone.
type deletionLine struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Owner     string `json:"owner_office_id"`
	Revision  int64  `json:"revision"`
	UpdatedAt string `json:"updated_at"`
	UpdatedBy string `json:"updated_by"`
	DeletedAt string `json:"deleted_at"`
}

// appendRecord writes r as one canonical line of its member. It writes the
// JSON by hand because it runs for every record of every batch; the result
// is what encoding/json would write for the same values.
func appendRecord(buf []byte, k store.SyncKind, r store.SyncRecord) ([]byte, error) {
	if r.DeletedAt != "" {
		b, err := json.Marshal(deletionLine{r.Kind, r.ID, r.Owner, r.Revision, r.UpdatedAt, r.UpdatedBy, r.DeletedAt})
		return append(append(buf, b...), '\n'), err
	}
	if len(r.Fields) != len(k.Fields) {
		return nil, fmt.Errorf("sync: record %s has %d fields, kind %s has %d", r.ID, len(r.Fields), k.Kind, len(k.Fields))
	}
	buf = append(buf, `{"id":`...)
	buf = appendString(buf, r.ID)
	buf = append(buf, `,"owner_office_id":`...)
	buf = appendString(buf, r.Owner)
	buf = append(buf, `,"revision":`...)
	buf = strconv.AppendInt(buf, r.Revision, 10)
	buf = append(buf, `,"created_at":`...)
	buf = appendString(buf, r.CreatedAt)
	buf = append(buf, `,"updated_at":`...)
	buf = appendString(buf, r.UpdatedAt)
	buf = append(buf, `,"updated_by":`...)
	buf = appendString(buf, r.UpdatedBy)
	buf = append(buf, `,"fields":{`...)
	for i, name := range k.Fields {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, name)
		buf = append(buf, ':')
		switch v := r.Fields[i].(type) {
		case nil:
			buf = append(buf, "null"...)
		case string:
			buf = appendString(buf, v)
		case int64:
			buf = strconv.AppendInt(buf, v, 10)
		default:
			return nil, fmt.Errorf("sync: record %s field %s has type %T", r.ID, name, v)
		}
	}
	return append(buf, "}}\n"...), nil
}

// appendString writes s as encoding/json does: quoted, with <, >, & and
// U+2028, U+2029 escaped, control characters as \uXXXX or their short
// forms, and invalid UTF-8 as U+FFFD.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// parseRecords reads a record member strictly: one canonical JSON object
// per line, every record owned by owner.
func parseRecords(name string, data []byte, owner string, kinds map[string]store.SyncKind, kindByMember map[string]store.SyncKind) ([]store.SyncRecord, error) {
	if err := checkText(name, data); err != nil {
		return nil, err
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return nil, fail(ProblemMalformed, name, "last line does not end with a new line", nil)
	}
	var out []store.SyncRecord
	line := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		raw := data[:i]
		data = data[i+1:]
		line++
		at := func(err error) error {
			if e, ok := err.(*Error); ok {
				e.Args = map[string]any{"Line": line}
				e.Detail = fmt.Sprintf("line %d: %s", line, e.Detail)
				return e
			}
			return err
		}
		var r store.SyncRecord
		var err error
		if name == DeletionsName {
			r, err = parseDeletion(raw, kinds)
		} else {
			r, err = parseRecord(name, raw, kindByMember[name])
		}
		if err != nil {
			return nil, at(err)
		}
		if r.Owner != owner {
			return nil, at(&Error{Problem: ProblemForeign, Member: name, Detail: "record " + r.ID})
		}
		out = append(out, r)
	}
	return out, nil
}

// fieldsLine is a line of a record member (models.jsonl, …). The fields
// are read in one pass; their order, and everything else about the bytes,
// is checked by encoding the record again and comparing.
type fieldsLine struct {
	ID        string         `json:"id"`
	Owner     string         `json:"owner_office_id"`
	Revision  int64          `json:"revision"`
	CreatedAt string         `json:"created_at"`
	UpdatedAt string         `json:"updated_at"`
	UpdatedBy string         `json:"updated_by"`
	Fields    map[string]any `json:"fields"`
}

func parseRecord(name string, raw []byte, k store.SyncKind) (store.SyncRecord, error) {
	var l fieldsLine
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&l); err != nil {
		if isUnknownField(err) {
			return store.SyncRecord{}, fail(ProblemUnknownField, name, err.Error(), nil)
		}
		return store.SyncRecord{}, fail(ProblemBadField, name, err.Error(), nil)
	}
	if k.Kind == "" {
		return store.SyncRecord{}, fail(ProblemBadField, name, "this program does not know these records", nil)
	}
	r := store.SyncRecord{Kind: k.Kind, ID: l.ID, Owner: l.Owner, Revision: l.Revision, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt, UpdatedBy: l.UpdatedBy}
	if err := checkCommon(name, r); err != nil {
		return r, err
	}
	if r.CreatedAt == "" || !validTime(r.CreatedAt) {
		return r, fail(ProblemBadField, name, "created_at", nil)
	}
	fields, err := parseFields(name, l.Fields, k)
	if err != nil {
		return r, err
	}
	r.Fields = fields
	canon, err := appendRecord(make([]byte, 0, len(raw)+1), k, r)
	if err != nil || !bytes.Equal(canon[:len(canon)-1], raw) {
		return r, fail(ProblemNotCanonical, name, "", err)
	}
	return r, nil
}

func parseDeletion(raw []byte, kinds map[string]store.SyncKind) (store.SyncRecord, error) {
	var l deletionLine
	if err := decodeStrict(DeletionsName, raw, &l); err != nil {
		return store.SyncRecord{}, err
	}
	if _, ok := kinds[l.Kind]; !ok {
		return store.SyncRecord{}, fail(ProblemBadField, DeletionsName, fmt.Sprintf("kind %q", l.Kind), nil)
	}
	r := store.SyncRecord{Kind: l.Kind, ID: l.ID, Owner: l.Owner, Revision: l.Revision, UpdatedAt: l.UpdatedAt, UpdatedBy: l.UpdatedBy, DeletedAt: l.DeletedAt}
	if err := checkCommon(DeletionsName, r); err != nil {
		return r, err
	}
	if !validTime(r.DeletedAt) {
		return r, fail(ProblemBadField, DeletionsName, "deleted_at", nil)
	}
	canon, err := json.Marshal(l)
	if err != nil || !bytes.Equal(canon, raw) {
		return r, fail(ProblemNotCanonical, DeletionsName, "", nil)
	}
	return r, nil
}

func checkCommon(name string, r store.SyncRecord) error {
	if _, err := uuid.Parse(r.ID); err != nil || len(r.ID) != 36 {
		return fail(ProblemBadField, name, "id", nil)
	}
	if _, err := uuid.Parse(r.Owner); err != nil || len(r.Owner) != 36 {
		return fail(ProblemBadField, name, "owner_office_id", nil)
	}
	if r.Revision < 1 {
		return fail(ProblemBadField, name, "revision", nil)
	}
	if !validTime(r.UpdatedAt) {
		return fail(ProblemBadField, name, "updated_at", nil)
	}
	if len(r.UpdatedBy) > 200 {
		return fail(ProblemBadField, name, "updated_by", nil)
	}
	return nil
}

func validTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// parseFields puts the "fields" object in the kind's order: exactly the
// kind's fields, each a string, an integer or null.
func parseFields(name string, m map[string]any, k store.SyncKind) ([]any, error) {
	if m == nil {
		return nil, fail(ProblemBadField, name, "fields is not an object", nil)
	}
	for key := range m {
		if !contains(k.Fields, key) {
			return nil, fail(ProblemUnknownField, name, fmt.Sprintf("json: unknown field %q", key), nil)
		}
	}
	out := make([]any, len(k.Fields))
	for i, key := range k.Fields {
		v, ok := m[key]
		if !ok {
			return nil, fail(ProblemBadField, name, key+": missing", nil)
		}
		switch v := v.(type) {
		case nil, string:
			out[i] = v
		case json.Number:
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return nil, fail(ProblemBadField, name, key+": not an integer", nil)
			}
			out[i] = n
		default:
			return nil, fail(ProblemBadField, name, key+": not a string, integer or null", nil)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
