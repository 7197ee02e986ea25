package sync

import (
	"bytes"
	"encoding/json"
	"io"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// checkText refuses bytes that are not UTF-8 or not NFC. Text in a batch is
// stored as NFC everywhere, so anything else was not written by danvan.
func checkText(name string, b []byte) error {
	if !utf8.Valid(b) {
		return &Error{Problem: ProblemEncoding, Member: name}
	}
	if !norm.NFC.IsNormal(b) {
		return &Error{Problem: ProblemNotNFC, Member: name}
	}
	return nil
}

// decodeStrict decodes exactly one JSON value from b into v, refusing
// fields v does not have and anything after the value.
func decodeStrict(name string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if isUnknownField(err) {
			return fail(ProblemUnknownField, name, err.Error(), nil)
		}
		return fail(ProblemBadField, name, err.Error(), nil)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(ProblemBadField, name, "data after the JSON value", nil)
	}
	return nil
}

func isUnknownField(err error) bool {
	return err != nil && bytes.HasPrefix([]byte(err.Error()), []byte("json: unknown field "))
}

// marshalCanonical is the one JSON encoding the formats allow for a
// document: two-space indent, Go's key order, a final new line.
func marshalCanonical(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// readDoc is the strict reading of a one-document member: text rules, known
// fields only, and the canonical bytes.
func readDoc(name string, b []byte, v any) error {
	if err := checkText(name, b); err != nil {
		return err
	}
	if err := decodeStrict(name, b, v); err != nil {
		return err
	}
	canon, err := marshalCanonical(v)
	if err != nil {
		return fail(ProblemBadField, name, "", err)
	}
	if !bytes.Equal(canon, b) {
		return fail(ProblemNotCanonical, name, "", nil)
	}
	return nil
}

// decodeLoose reads only the fields v names; used to find a format version
// before the strict reading.
func decodeLoose(b []byte, v any) error { return json.Unmarshal(b, v) }
