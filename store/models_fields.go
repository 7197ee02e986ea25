package store

import (
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"strings"

	"danvan/store/vn"
)

// The model kind, declared once (issue 25). Each entry of ModelFields says
// everything the program knows about one field of a registration: its
// column (in SQL and in a batch's records), its key (FieldError field and
// "field.<key>" label of the forms), its column of the interchange file,
// what it holds and its limits, which status needs it, and which screen
// edits it. The store's statements (modelCols, scanModel, modelArgs), a
// batch's model record (modelSyncFields, modelFromFields), the interchange
// file's columns (modelColumns), the rules (Validate's per-field checks,
// RequiredFor) and the window's registration form are derived from this
// list; TestModelFieldsReachEveryPath fails when one of them misses a field.
// Adding a field is one entry here, a migration adding its column, and its
// label in the translation files.

// modelCols is the models table's columns as the store reads and writes
// them: the record's id and owner, the declared fields, the record's
// bookkeeping.
var modelCols = "id, owner_office_id, " + strings.Join(domain.ModelColumnNames(), ", ") +
	", revision, change_seq, created_at, updated_at, updated_by, deleted_at"

func scanModel(row interface{ Scan(...any) error }) (domain.Model, error) {
	var m domain.Model
	var created, updated, deleted string
	dest := make([]any, 0, len(domain.ModelFields)+8)
	var done []func()
	dest = append(dest, &m.ID, &m.OwnerOfficeID)
	for _, f := range domain.ModelFields {
		d, fin := f.ScanTarget(&m)
		dest = append(dest, d)
		if fin != nil {
			done = append(done, fin)
		}
	}
	dest = append(dest, &m.Revision, &m.ChangeSeq, &created, &updated, &m.UpdatedBy, &deleted)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return m, ErrNotFound
		}
		return m, err
	}
	for _, fin := range done {
		fin()
	}
	m.CreatedAt, m.UpdatedAt, m.DeletedAt = parseTime(created), parseTime(updated), parseTime(deleted)
	return m, nil
}

// modelArgs is m's row in modelCols order, then its search keys.
func modelArgs(m *domain.Model) []any {
	out := make([]any, 0, len(domain.ModelFields)+10)
	out = append(out, m.ID, m.OwnerOfficeID)
	out = append(out, modelRecordFields(m)...)
	return append(out, m.Revision, m.ChangeSeq, fmtTime(m.CreatedAt), fmtTime(m.UpdatedAt), m.UpdatedBy, fmtTime(m.DeletedAt),
		vn.Fold(m.Name), searchKey(m))
}

// modelRecordFields is m's declared fields as its batch record holds them.
func modelRecordFields(m *domain.Model) []any {
	out := make([]any, len(domain.ModelFields))
	for i, f := range domain.ModelFields {
		out[i] = f.Value(m)
	}
	return out
}

// modelFromFields is a model record's fields as the form's Model, for its
// rules; a value of the wrong type, or a day that is not one, is a problem
// of its field.
func modelFromFields(fields []any) (domain.Model, *domain.ValidationError) {
	var m domain.Model
	v := &domain.ValidationError{}
	for i, f := range domain.ModelFields {
		if i >= len(fields) {
			break
		}
		if p := f.SetValue(&m, fields[i]); p != nil {
			v.Fields = append(v.Fields, *p)
		}
	}
	return m, v
}
