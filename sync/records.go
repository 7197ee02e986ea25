package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"danvan/store"
)

// recordLine is a line of models.jsonl, periods.jsonl or tallies.jsonl
// before its fields are read in order.
type recordLine struct {
	ID        string          `json:"id"`
	Owner     string          `json:"owner_office_id"`
	Revision  int64           `json:"revision"`
	CreatedAt string          `json:"created_at"`
	UpdatedAt string          `json:"updated_at"`
	UpdatedBy string          `json:"updated_by"`
	Fields    json.RawMessage `json:"fields"`
}

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

// appendRecord writes r as one canonical line of its member.
func appendRecord(buf []byte, k store.SyncKind, r store.SyncRecord) ([]byte, error) {
	if r.DeletedAt != "" {
		b, err := json.Marshal(deletionLine{r.Kind, r.ID, r.Owner, r.Revision, r.UpdatedAt, r.UpdatedBy, r.DeletedAt})
		return append(append(buf, b...), '\n'), err
	}
	if len(r.Fields) != len(k.Fields) {
		return nil, fmt.Errorf("sync: record %s has %d fields, kind %s has %d", r.ID, len(r.Fields), k.Kind, len(k.Fields))
	}
	var f bytes.Buffer
	f.WriteByte('{')
	for i, name := range k.Fields {
		if i > 0 {
			f.WriteByte(',')
		}
		kb, _ := json.Marshal(name)
		f.Write(kb)
		f.WriteByte(':')
		switch v := r.Fields[i].(type) {
		case nil:
			f.WriteString("null")
		case string:
			vb, _ := json.Marshal(v)
			f.Write(vb)
		case int64:
			f.WriteString(strconv.FormatInt(v, 10))
		default:
			return nil, fmt.Errorf("sync: record %s field %s has type %T", r.ID, name, v)
		}
	}
	f.WriteByte('}')
	b, err := json.Marshal(recordLine{r.ID, r.Owner, r.Revision, r.CreatedAt, r.UpdatedAt, r.UpdatedBy, f.Bytes()})
	return append(append(buf, b...), '\n'), err
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

func parseRecord(name string, raw []byte, k store.SyncKind) (store.SyncRecord, error) {
	var l recordLine
	if err := decodeStrict(name, raw, &l); err != nil {
		return store.SyncRecord{}, err
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
	canon, err := appendRecord(nil, k, r)
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
	canon, _ := json.Marshal(l)
	if !bytes.Equal(canon, raw) {
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

// parseFields reads the "fields" object: exactly the kind's fields, in its
// order, each a string, an integer or null.
func parseFields(name string, raw json.RawMessage, k store.SyncKind) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fail(ProblemBadField, name, "fields is not an object", nil)
	}
	out := make([]any, 0, len(k.Fields))
	for i := 0; dec.More(); i++ {
		t, err := dec.Token()
		if err != nil {
			return nil, fail(ProblemBadField, name, "fields", err)
		}
		key, _ := t.(string)
		if i >= len(k.Fields) || key != k.Fields[i] {
			if !contains(k.Fields, key) {
				return nil, fail(ProblemUnknownField, name, fmt.Sprintf("json: unknown field %q", key), nil)
			}
			return nil, fail(ProblemNotCanonical, name, "fields out of order", nil)
		}
		v, err := dec.Token()
		if err != nil {
			return nil, fail(ProblemBadField, name, key, err)
		}
		switch v := v.(type) {
		case nil:
			out = append(out, nil)
		case string:
			out = append(out, v)
		case json.Number:
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return nil, fail(ProblemBadField, name, key+": not an integer", nil)
			}
			out = append(out, n)
		default:
			return nil, fail(ProblemBadField, name, key+": not a string, integer or null", nil)
		}
	}
	if len(out) != len(k.Fields) {
		return nil, fail(ProblemBadField, name, "fields missing", nil)
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
