package store

import (
	"danvan/internal/domain"
)

// The models interchange file (CLI.md "Models"): one row per model, header
// cells in Vietnamese, in any order. The first 21 columns are the contract;
// the ones after carry the rest of the registration so that export followed
// by import loses nothing.

// modelSheetOrder is the interchange file's column order: the first 21
// are the contract (CLI.md "Models"). A declared field whose header is not
// listed comes after them, in ModelFields order.
var modelSheetOrder = []string{domain.ColID, domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColLocation, domain.ColPerson, domain.ColTitle,
	domain.ColPhone, domain.ColContent, domain.ColGoals, domain.ColForceTakePart, domain.ColBudget, domain.ColStart, domain.ColStatus, domain.ColRating, domain.ColLevel,
	domain.ColDecisionNo, domain.ColDecisionDate, domain.ColNote, domain.ColTasks, domain.ColReason, domain.ColTarget, domain.ColForceLead, domain.ColForceCoord,
	domain.ColWorkdays, domain.ColContributions, domain.ColEvalDate, domain.ColOutputs, domain.ColSustainability, domain.ColHouseholds, domain.ColPeople,
	domain.ColStopReason, domain.ColStopDate}

// modelColumn is one column of the interchange file: the record's id, or a
// declared field.
type modelColumn struct {
	header   string
	required bool // the header must be in the file
	typ      domain.FieldType
	field    string // the FieldError field this column's problems come under
	get      func(*domain.Model) string
	// set stores the cell; it returns a problem when the text cannot be
	// read at all (an unknown value, not a number). Range and length rules
	// are the model's Validate.
	set func(*domain.Model, string) *domain.FieldError
}

var modelColumns = func() []modelColumn {
	byHeader := map[string]domain.ModelField{}
	for _, f := range domain.ModelFields {
		if f.Header != "" {
			byHeader[f.Header] = f
		}
	}
	out := []modelColumn{{header: domain.ColID, field: "model_id",
		get: func(m *domain.Model) string { return m.ID },
		set: func(m *domain.Model, s string) *domain.FieldError { m.ID = s; return nil }}}
	add := func(f domain.ModelField) {
		out = append(out, modelColumn{header: f.Header, required: f.Header1, typ: f.Type, field: f.Key, get: f.Text, set: f.SetText})
		delete(byHeader, f.Header)
	}
	for _, h := range modelSheetOrder[1:] {
		if f, ok := byHeader[h]; ok {
			add(f)
		}
	}
	for _, f := range domain.ModelFields {
		if _, ok := byHeader[f.Header]; ok {
			add(f)
		}
	}
	return out
}()

// ModelHeader is the header row export writes.
func ModelHeader() []string {
	out := make([]string, len(modelColumns))
	for i, c := range modelColumns {
		out[i] = c.header
	}
	return out
}

// ModelColumnType is what a column of the interchange file holds, for the
// XLSX writer: numbers and dates are stored as such, not as text.
type ModelColumnType int

const (
	ModelText  ModelColumnType = iota
	ModelWhole                 // a count or an amount
	ModelYear                  // a year: a number shown without grouping
	ModelDate                  // dd/mm/yyyy
)

// ModelColumnTypes gives, per ModelHeader column, what it holds.
func ModelColumnTypes() []ModelColumnType {
	out := make([]ModelColumnType, len(modelColumns))
	for i, c := range modelColumns {
		switch c.typ {
		case domain.TypeYear:
			out[i] = ModelYear
		case domain.TypeWhole:
			out[i] = ModelWhole
		case domain.TypeDate:
			out[i] = ModelDate
		}
	}
	return out
}

// PersonalColumns are the interchange file's columns that p leaves out of
// a list: the phone number, and with PersonalNone the person's name and
// title too. Re-importing such a file keeps what the office holds in them.
func PersonalColumns(p domain.Personal) []string {
	switch p {
	case domain.PersonalNames:
		return []string{domain.ColPhone}
	case domain.PersonalNone:
		return []string{domain.ColPerson, domain.ColTitle, domain.ColPhone}
	}
	return nil
}

// ModelRecord is m as one row of the interchange file, in ModelHeader order.
func ModelRecord(m *domain.Model) []string {
	out := make([]string, len(modelColumns))
	for i, c := range modelColumns {
		out[i] = c.get(m)
	}
	return out
}
