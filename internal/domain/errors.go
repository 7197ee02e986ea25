package domain

import (
	"fmt"
	"strings"
)

// Coded is implemented by errors that carry a message key and its arguments,
// so that internal/i18n can say what is wrong in the user's language. Keys are
// written without the "err." prefix that the translation files add.
type Coded interface {
	error
	MessageCode() (code string, args map[string]any)
}

// FieldError says what is wrong with one field of one record.
type FieldError struct {
	Field string         // the field's key, e.g. "name", "phone"; see the translation files' "field.*" keys
	Code  string         // the problem, e.g. "required", "too_long"; see "err.*" keys
	Args  map[string]any // values for the message template, e.g. {"Max": 200}
}

func (f FieldError) Error() string {
	if len(f.Args) == 0 {
		return fmt.Sprintf("%s: %s", f.Field, f.Code)
	}
	return fmt.Sprintf("%s: %s %v", f.Field, f.Code, f.Args)
}

// MessageCode implements Coded.
func (f FieldError) MessageCode() (string, map[string]any) { return f.Code, f.Args }

// ValidationError lists every field that failed, so that a form can show a
// message under each one at once.
type ValidationError struct {
	Fields []FieldError
}

func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Error()
	}
	return "store: invalid: " + strings.Join(parts, "; ")
}

// Add records a problem with a field.
func (v *ValidationError) Add(field, code string, args map[string]any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Code: code, Args: args})
}

// For returns the first problem with field, if any.
func (v *ValidationError) For(field string) (FieldError, bool) {
	for _, f := range v.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return FieldError{}, false
}

// OrNil returns v when it holds problems and nil otherwise, so that a
// validator can end with `return v.OrNil()`.
func (v *ValidationError) OrNil() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}
