package domain

import (
	"danvan/store/vn"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// FieldType is what a declared field holds.
type FieldType int

const (
	TypeText  FieldType = iota // one line of text
	TypeLong                   // text of several lines
	TypeEnum                   // one code of a fixed list
	TypeYear                   // a year
	TypeWhole                  // a count or an amount, 0 when not given
	TypeDate                   // a day, zero when not given
)

// Editor is the screen of the window that edits a field.
type Editor int

const (
	EditForm   Editor = iota // the registration form
	EditStatus               // the status dialog (the life cycle's details)
)

// ModelField declares one field of a model.
type ModelField struct {
	Column  string // the SQL column and the batch record's field name
	Key     string // the FieldError field; "field.<Key>" is its label
	Header  string // the interchange file's column; "" when ColBody carries it
	Type    FieldType
	Header1 bool   // the interchange file must have this column
	Need    bool   // a model must have it (Validate: "required")
	Max     int64  // text: characters; whole: the largest amount
	Editor  Editor // the screen that edits it
	// RequiredWhen is the status that needs this field filled (the
	// evaluation's rating, the recognition's decision, …); "" for none.
	RequiredWhen ModelStatus

	ptr    func(*Model) any // the Model's field: *string, *int, *int64, *time.Time or a *T of a string kind
	values enumValues       // TypeEnum: the codes and the names files use
	text   func(*Model) string
	set    func(*Model, string) *FieldError
}

// enumValues is an enumeration's codes and the texts the interchange file
// writes and reads for each (models_values.go).
type enumValues struct {
	codes []string // in the order forms list them
	label func(string) string
	match func(string) (string, bool)
	valid func(string) bool
}

func enumOf[T ~string](values map[T][]string, order []T, valid func(T) bool) enumValues {
	codes := make([]string, len(order))
	for i, c := range order {
		codes[i] = string(c)
	}
	return enumValues{
		codes: codes,
		label: func(s string) string { return label(T(s), values) },
		match: func(s string) (string, bool) { v, ok := match(s, values); return string(v), ok },
		valid: func(s string) bool { return valid(T(s)) },
	}
}

// ModelFields is the model kind's declaration, in the order of the store's
// columns and of a batch's model record (docs/batch-format.md §3.2: that
// order is part of the format). The interchange file orders its columns by
// modelSheetOrder.
var ModelFields = []ModelField{
	{Column: "kind", Key: "model_kind", Header: ColKind, Type: TypeEnum, Header1: true, Need: true,
		ptr: func(m *Model) any { return &m.Kind }, values: enumOf(kindValues, []ModelKind{KindModel, KindExemplar}, ModelKind.Valid)},
	{Column: "name", Key: "model_name", Header: ColName, Type: TypeText, Header1: true, Need: true, Max: MaxModelName,
		ptr: func(m *Model) any { return &m.Name }},
	{Column: "field", Key: "model_field", Header: ColField, Type: TypeEnum, Header1: true, Need: true,
		ptr: func(m *Model) any { return &m.Field }, values: enumOf(fieldValues, Fields, Field.Valid)},
	{Column: "year", Key: "model_year", Header: ColYear, Type: TypeYear, Header1: true, Need: true,
		ptr: func(m *Model) any { return &m.Year }},
	// One column of the interchange file carries both: a listed body by its
	// name, any other text as the "other" body's name.
	{Column: "body", Key: "model_body", Header: ColBody, Type: TypeEnum, Header1: true, Need: true,
		ptr: func(m *Model) any { return &m.Body }, values: enumOf(bodyValues, Bodies, Body.Valid),
		text: func(m *Model) string { return m.BodyName() },
		set: func(m *Model, s string) *FieldError {
			m.Body, m.BodyOther = "", ""
			if s == "" {
				return nil
			}
			if b, ok := matchBody(s); ok && b != BodyOther {
				m.Body = b
				return nil
			}
			m.Body, m.BodyOther = BodyOther, s
			return nil
		}},
	{Column: "body_other", Key: "model_body_other", Type: TypeText, Max: MaxModelShortText,
		ptr: func(m *Model) any { return &m.BodyOther }},
	{Column: "location", Key: "model_location", Header: ColLocation, Type: TypeText, Max: MaxModelShortText,
		ptr: func(m *Model) any { return &m.Location }},
	{Column: "person_name", Key: "model_person_name", Header: ColPerson, Type: TypeText, Header1: true, Need: true, Max: MaxModelShortText,
		ptr: func(m *Model) any { return &m.PersonName }},
	{Column: "person_title", Key: "model_person_title", Header: ColTitle, Type: TypeText, Max: MaxModelShortText,
		ptr: func(m *Model) any { return &m.PersonTitle }},
	{Column: "person_phone", Key: "model_person_phone", Header: ColPhone, Type: TypeText, Max: MaxModelShortText,
		ptr: func(m *Model) any { return &m.PersonPhone }},
	{Column: "reason", Key: "model_reason", Header: ColReason, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Reason }},
	{Column: "goals", Key: "model_goals", Header: ColGoals, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Goals }},
	{Column: "content", Key: "model_content", Header: ColContent, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Content }},
	{Column: "tasks", Key: "model_tasks", Header: ColTasks, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Tasks }},
	{Column: "target_group", Key: "model_target_group", Header: ColTarget, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.TargetGroup }},
	{Column: "force_lead", Key: "model_force_lead", Header: ColForceLead, Type: TypeLong, Max: MaxModelForce,
		ptr: func(m *Model) any { return &m.ForceLead }},
	{Column: "force_coordinate", Key: "model_force_coord", Header: ColForceCoord, Type: TypeLong, Max: MaxModelForce,
		ptr: func(m *Model) any { return &m.ForceCoord }},
	{Column: "force_participate", Key: "model_force_take_part", Header: ColForceTakePart, Type: TypeLong, Max: MaxModelForce,
		ptr: func(m *Model) any { return &m.ForceTakePart }},
	{Column: "budget", Key: "model_budget", Header: ColBudget, Type: TypeWhole, Max: MaxBudget,
		ptr: func(m *Model) any { return &m.Budget }},
	{Column: "workdays", Key: "model_workdays", Header: ColWorkdays, Type: TypeWhole, Max: MaxModelCount,
		ptr: func(m *Model) any { return &m.Workdays }},
	{Column: "contributions", Key: "model_contributions", Header: ColContributions, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Contributions }},
	{Column: "start_date", Key: "model_start_date", Header: ColStart, Type: TypeDate,
		ptr: func(m *Model) any { return &m.StartDate }},
	{Column: "eval_date", Key: "model_eval_date", Header: ColEvalDate, Type: TypeDate,
		ptr: func(m *Model) any { return &m.EvalDate }},
	{Column: "outputs", Key: "model_outputs", Header: ColOutputs, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Outputs }},
	{Column: "sustainability", Key: "model_sustainability", Header: ColSustainability, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Sustainability }},
	{Column: "households", Key: "model_households", Header: ColHouseholds, Type: TypeWhole, Max: MaxModelCount,
		ptr: func(m *Model) any { return &m.Households }},
	{Column: "people", Key: "model_people", Header: ColPeople, Type: TypeWhole, Max: MaxModelCount,
		ptr: func(m *Model) any { return &m.People }},
	{Column: "status", Key: "model_status", Header: ColStatus, Type: TypeEnum, Editor: EditStatus,
		ptr: func(m *Model) any { return &m.Status }, values: enumOf(statusValues, ModelStatuses, ModelStatus.Valid)},
	{Column: "rating", Key: "model_rating", Header: ColRating, Type: TypeEnum, Editor: EditStatus, RequiredWhen: StatusEvaluated,
		ptr: func(m *Model) any { return &m.Rating }, values: enumOf(ratingValues, Ratings, Rating.Valid)},
	{Column: "recognition_level", Key: "model_level", Header: ColLevel, Type: TypeEnum, Editor: EditStatus, RequiredWhen: StatusRecognised,
		ptr: func(m *Model) any { return &m.Level }, values: enumOf(levelValues, Levels, Level.Valid)},
	{Column: "decision_no", Key: "model_decision_no", Header: ColDecisionNo, Type: TypeText, Max: MaxDecisionNo, Editor: EditStatus, RequiredWhen: StatusRecognised,
		ptr: func(m *Model) any { return &m.DecisionNo }},
	{Column: "decision_date", Key: "model_decision_date", Header: ColDecisionDate, Type: TypeDate, Editor: EditStatus, RequiredWhen: StatusRecognised,
		ptr: func(m *Model) any { return &m.DecisionDate }},
	{Column: "stop_reason", Key: "model_stop_reason", Header: ColStopReason, Type: TypeLong, Max: MaxModelLongText, Editor: EditStatus, RequiredWhen: StatusDiscontinued,
		ptr: func(m *Model) any { return &m.StopReason }},
	{Column: "stop_date", Key: "model_stop_date", Header: ColStopDate, Type: TypeDate, Editor: EditStatus,
		ptr: func(m *Model) any { return &m.StopDate }},
	{Column: "note", Key: "model_note", Header: ColNote, Type: TypeLong, Max: MaxModelLongText,
		ptr: func(m *Model) any { return &m.Note }},
}

// ModelFieldByKey finds a field by its key.
func ModelFieldByKey(key string) (ModelField, bool) {
	for _, f := range ModelFields {
		if f.Key == key {
			return f, true
		}
	}
	return ModelField{}, false
}

// Codes lists a listed field's codes, in the order forms show them.
func (f ModelField) Codes() []string { return f.values.codes }

// CopyStatusFields sets dst's life-cycle fields (those the status dialog
// edits) to src's: zero for a new model, the stored ones for an edit of
// the registration.
func CopyStatusFields(dst, src *Model) {
	for _, f := range ModelFields {
		if f.Editor == EditStatus {
			reflect.ValueOf(f.ptr(dst)).Elem().Set(reflect.ValueOf(f.ptr(src)).Elem())
		}
	}
}

// RequiredFor lists the fields a model in status st must have filled.
func RequiredFor(st ModelStatus) []ModelField {
	var out []ModelField
	for _, f := range ModelFields {
		if st != "" && f.RequiredWhen == st {
			out = append(out, f)
		}
	}
	return out
}

// Empty reports whether m has nothing in f.
func (f ModelField) Empty(m *Model) bool {
	return reflect.ValueOf(f.ptr(m)).Elem().IsZero()
}

// Raw is a text or listed field's value as stored: the text, or the code.
func (f ModelField) Raw(m *Model) string {
	return reflect.ValueOf(f.ptr(m)).Elem().String()
}

// Text is f of m as the interchange file and the form write it: a listed
// value by its name, a day as dd/mm/yyyy, nothing for an amount of 0.
func (f ModelField) Text(m *Model) string {
	if f.text != nil {
		return f.text(m)
	}
	switch p := f.ptr(m).(type) {
	case *string:
		return *p
	case *int:
		if *p == 0 {
			return ""
		}
		return strconv.Itoa(*p)
	case *int64:
		if *p == 0 {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	case *time.Time:
		return vn.FormatDate(*p)
	}
	s := reflect.ValueOf(f.ptr(m)).Elem().String()
	if s == "" {
		return ""
	}
	return f.values.label(s)
}

// SetText reads s into f of m as the form and the interchange file both do:
// "2.024" is the year 2024, "1.500.000" an amount, dd/mm/yyyy a day, a
// listed value by any of its names. It says when s cannot be read at all;
// ranges and lengths are Validate's.
func (f ModelField) SetText(m *Model, s string) *FieldError {
	s = strings.TrimSpace(s)
	if f.set != nil {
		return f.set(m, s)
	}
	problem := func(code string, args map[string]any) *FieldError {
		return &FieldError{Field: f.Key, Code: code, Args: args}
	}
	switch p := f.ptr(m).(type) {
	case *string:
		*p = s
	case *int: // the year
		*p = 0
		if s == "" {
			return nil
		}
		n, code, args := ParseYear(s, time.Now())
		if code != "" {
			return problem(code, args)
		}
		*p = n
	case *int64:
		*p = 0
		if s == "" {
			return nil
		}
		n, err := vn.ParseInt(s, MaxBudget*100)
		if err != nil {
			if s[0] == '-' {
				return problem("models.amount", map[string]any{"Max": vn.FormatInt(f.Max)})
			}
			return problem("models.not_number", nil)
		}
		*p = n
	case *time.Time:
		*p = time.Time{}
		if s == "" {
			return nil
		}
		t, err := vn.ParseDate(s)
		if err != nil {
			if yearFirst.MatchString(s) {
				// What a spreadsheet set to month/day writes after
				// reading 10/06/2024 as 6 October: the day and the
				// month can no longer be told apart, so no guess.
				return problem("models.date_year_first", map[string]any{"Value": s})
			}
			return problem("models.not_date", nil)
		}
		*p = t
	default:
		v := reflect.ValueOf(p).Elem()
		v.SetString("")
		if s == "" {
			return nil
		}
		code, ok := f.values.match(s)
		if !ok {
			return problem("models.unknown_value", map[string]any{"Value": s})
		}
		v.SetString(code)
	}
	return nil
}

// Value is f of m as its SQL column and batch record hold it.
func (f ModelField) Value(m *Model) any {
	switch p := f.ptr(m).(type) {
	case *string:
		return *p
	case *int:
		return int64(*p)
	case *int64:
		return *p
	case *time.Time:
		return FmtModelDay(*p)
	}
	return reflect.ValueOf(f.ptr(m)).Elem().String()
}

// SetValue stores v, a value of f's SQL column or batch record, in m. A
// record from a batch holds text or whole numbers; anything else, or a
// day that is not one, is a problem of f.
func (f ModelField) SetValue(m *Model, v any) *FieldError {
	// Said only when v is wrong: this runs for every field of every
	// record a batch brings.
	bad := func() *FieldError {
		return &FieldError{Field: f.Key, Code: "invalid", Args: map[string]any{"Value": vn.Printable(fmt.Sprint(v))}}
	}
	switch p := f.ptr(m).(type) {
	case *int, *int64:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case string:
			var err error
			if n, err = strconv.ParseInt(x, 10, 64); err != nil {
				return bad()
			}
		default:
			return bad()
		}
		if q, ok := p.(*int); ok {
			if int64(int(n)) != n {
				return bad()
			}
			*q = int(n)
		} else {
			*p.(*int64) = n
		}
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return bad()
	}
	switch p := f.ptr(m).(type) {
	case *string:
		*p = s
	case *time.Time:
		*p = time.Time{}
		if s == "" {
			return nil
		}
		t, err := time.Parse(dayFormat, s)
		if err != nil {
			return &FieldError{Field: f.Key, Code: "models.not_date"}
		}
		*p = t
	default:
		reflect.ValueOf(p).Elem().SetString(s)
	}
	return nil
}

// ScanTarget is where a row's column of f is read into m; done finishes it
// (a day is read as its text, then parsed).
func (f ModelField) ScanTarget(m *Model) (dest any, done func()) {
	if p, ok := f.ptr(m).(*time.Time); ok {
		var s string
		return &s, func() { *p = ParseModelDay(s) }
	}
	return f.ptr(m), nil
}

// ModelColumnNames are the declared fields' columns, for statements.
func ModelColumnNames() []string {
	out := make([]string, len(ModelFields))
	for i, f := range ModelFields {
		out[i] = f.Column
	}
	return out
}

// validateFields applies each declared field's own rule: needed, one of its
// list, within its length or amount, a day in a sensible range.
func (m *Model) validateFields(v *ValidationError, now time.Time) {
	for _, f := range ModelFields {
		switch f.Type {
		case TypeText, TypeLong:
			if f.Key == "model_body_other" {
				continue // needed only for the "other" body: Validate
			}
			CheckText(v, f.Key, *f.ptr(m).(*string), int(f.Max), f.Need)
		case TypeEnum:
			s := reflect.ValueOf(f.ptr(m)).Elem().String()
			switch {
			case s == "" && f.Need:
				v.Add(f.Key, "required", nil)
			case s != "" && !f.values.valid(s):
				v.Add(f.Key, "invalid_choice", nil)
			}
		case TypeYear:
			y := *f.ptr(m).(*int)
			maxYear := now.Year() + 1
			switch {
			case y == 0 && f.Need:
				v.Add(f.Key, "required", nil)
			case y != 0 && (y < MinModelYear || y > maxYear):
				v.Add(f.Key, "out_of_range", map[string]any{"Min": MinModelYear, "Max": maxYear})
			}
		case TypeWhole:
			if n := *f.ptr(m).(*int64); n < 0 || n > f.Max {
				v.Add(f.Key, "models.amount", map[string]any{"Max": vn.FormatInt(f.Max)})
			}
		case TypeDate:
			checkDay(v, f.Key, *f.ptr(m).(*time.Time), now)
		}
	}
}

// checkDay is a model's day's rule, in the registration form, the status
// dialog and a batch alike: none before MinModelYear-10 or more than ten
// years ahead.
func checkDay(v *ValidationError, key string, d, now time.Time) {
	if !d.IsZero() && (d.Year() < MinModelYear-10 || d.Year() > now.Year()+10) {
		v.Add(key, "models.date_range", map[string]any{"Min": MinModelYear - 10, "Max": now.Year() + 10})
	}
}
