package store

import (
	"danvan/internal/domain"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"danvan/store/vn"
)

// Every record a batch brings passes the rules the forms apply (issues 26
// and 25): a batch is signed by a real commune, but its build may be buggy
// or its key stolen, and what it carries is shown, printed and summed here.
// A record that breaks them refuses the whole batch (InvalidRecordError),
// naming the record and each field with the words the form and the
// spreadsheet import use for the same value: the batch is the commune's
// statement of its records, and half of it would be a statement it never
// made.

// MaxRevision bounds a record's revision: one edit a second for thirty
// years stays far below it, and a revision near the integer's limit would
// leave no room for the next edit.
const MaxRevision = 1_000_000_000

// InvalidRecordError is a batch's record that breaks the rules of its kind:
// the batch is refused whole, nothing is stored.
type InvalidRecordError struct {
	Kind, ID string
	Name     string              // the record's name when it has one (a model's), for the message
	Problems []domain.FieldError // each field and what is wrong with it, as the forms say it
}

func (e *InvalidRecordError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return fmt.Sprintf("store: import: %s %s breaks the rules: %s", e.Kind, e.ID, strings.Join(parts, "; "))
}

// MessageCode implements Coded: the sentence that introduces the problems.
// The name comes from the batch: escaped before it is printed.
func (e *InvalidRecordError) MessageCode() (string, map[string]any) {
	return "sync.invalid_record." + e.Kind, map[string]any{"ID": vn.Printable(e.ID), "Name": vn.Printable(e.Name)}
}

// checkRecord says why r must not be stored (nil when it may).
func checkRecord(k SyncKind, r SyncRecord, now time.Time) *InvalidRecordError {
	v := &domain.ValidationError{}
	name := ""
	if r.Revision < 1 || r.Revision > MaxRevision {
		v.Add("revision", "out_of_range", map[string]any{"Min": 1, "Max": vn.FormatInt(MaxRevision)})
	}
	domain.CheckText(v, "updated_by", r.UpdatedBy, domain.MaxSettingText, false)
	if r.DeletedAt == "" && len(r.Fields) == len(k.Fields) { // a deletion carries no fields; a wrong count fails the INSERT
		switch k.Kind {
		case "model":
			m, unread := modelFromFields(r.Fields)
			name = vn.Clean(m.Name)
			v.Fields = append(v.Fields, unread.Fields...)
			if err := m.Validate(now); err != nil {
				var ve *domain.ValidationError
				if errors.As(err, &ve) {
					for _, p := range ve.Fields {
						if _, dup := unread.For(p.Field); !dup {
							v.Fields = append(v.Fields, p)
						}
					}
				}
			}
		case "tally_field":
			domain.CheckText(v, "field_name", fieldText(r.Fields, 1), domain.MaxSettingText, true)
			domain.CheckText(v, "field_code", fieldText(r.Fields, 0), 50, false)
			name = fieldText(r.Fields, 1)
		case "period":
			domain.CheckText(v, "period_code", fieldText(r.Fields, 1), 40, true)
			domain.CheckText(v, "closed_by", fieldText(r.Fields, 6), domain.MaxSettingText, false)
			for _, i := range []int{2, 3} {
				if _, e := time.Parse("2006-01-02", fieldText(r.Fields, i)); e != nil {
					v.Add("period_dates", "models.not_date", nil)
				}
			}
			name = fieldText(r.Fields, 1)
		case "tally":
			// A row the commune marked final passed every identity there;
			// one that does not is not final figures, whoever signed it.
			var c domain.Counts
			for col := 3; col <= 13; col++ {
				if n, ok := r.Fields[col-1].(int64); ok {
					c[col] = domain.V(n)
				}
			}
			if final, _ := r.Fields[13].(int64); final == 1 {
				for _, p := range c.Problems(nil, true) {
					code, args := p.MessageCode()
					v.Add("tally_final", code, args)
				}
			}
		}
	}
	if len(v.Fields) == 0 {
		return nil
	}
	return &InvalidRecordError{Kind: k.Kind, ID: r.ID, Name: name, Problems: v.Fields}
}

// fieldText is a record field as the text a TEXT column stores: an
// integer as its decimal digits.
func fieldText(fields []any, i int) string {
	switch v := fields[i].(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return ""
}
