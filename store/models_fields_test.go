package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fullModel is a model with every declared field filled with a value of its
// own, valid together: each path that misses a field loses that value.
func fullModel(tb testing.TB) domain.Model {
	tb.Helper()
	var m domain.Model
	for i, f := range domain.ModelFields {
		var text string
		switch f.Type {
		case domain.TypeText:
			text = "Giá trị " + f.Key
		case domain.TypeLong:
			text = "Dòng một của " + f.Key + "\nDòng hai"
		case domain.TypeYear:
			text = "2025"
		case domain.TypeWhole:
			text = fmt.Sprint(1000 + i)
		case domain.TypeDate:
			text = fmt.Sprintf("%02d/03/2025", 1+i%28)
		case domain.TypeEnum:
			codes := f.Codes()
			text = codes[len(codes)-1] // the last: never the zero of a form
		}
		if p := f.SetText(&m, text); p != nil {
			tb.Fatalf("%s: %q: %v", f.Key, text, p)
		}
	}
	// What the rules tie together: the body "other" with its name, a
	// recognised model with its decision, a phone number that is one.
	m.Body, m.BodyOther = domain.BodyOther, "Giá trị model_body_other"
	m.Status = domain.StatusRecognised
	m.PersonPhone = "0912345678"
	if err := m.Validate(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)); err != nil {
		tb.Fatalf("the full model is not valid: %v", err)
	}
	return m
}

// sameFields names each declared field whose value differs.
func sameFields(t *testing.T, path string, got, want domain.Model, only func(domain.ModelField) bool) {
	t.Helper()
	for _, f := range domain.ModelFields {
		if only != nil && !only(f) {
			continue
		}
		g, w := f.Value(&got), f.Value(&want)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s loses %s (%s): got %v, want %v", path, f.Key, f.Column, g, w)
		}
	}
}

// Every field declared in ModelFields reaches the store, a batch and the
// interchange file (that every field of Model is declared is the domain's
// test; the window's form is held to the same list in ui). A field added to the declaration without
// its column fails here; a field added to Model without a declaration too.
func TestModelFieldsReachEveryPath(t *testing.T) {
	ctx := context.Background()

	keys, cols := map[string]bool{}, map[string]bool{}
	for _, f := range domain.ModelFields {
		if keys[f.Key] || cols[f.Column] {
			t.Errorf("%s / %s declared twice", f.Key, f.Column)
		}
		keys[f.Key], cols[f.Column] = true, true
		if f.Header == "" && f.Key != "model_body_other" {
			t.Errorf("%s has no column in the interchange file", f.Key)
		}
	}

	// The store.
	s, _ := mustSetUp(t)
	s.Now = func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	want := fullModel(t)
	saved, err := s.SaveModel(ctx, System, want)
	if err != nil {
		t.Fatal(err)
	}
	// The life cycle's fields come by the status dialog; here straight in.
	full := want
	full.ID, full.OwnerOfficeID, full.Revision, full.CreatedAt = saved.ID, saved.OwnerOfficeID, saved.Revision+1, saved.CreatedAt
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.stamp(ctx, tx, System, &full); err != nil {
			return err
		}
		return putModel(ctx, tx, &full)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Model(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameFields(t, "the store", got, want, nil)

	// A batch: the commune's export, imported by a collecting office.
	var plan []SyncRecord
	k, _ := SyncKindOf("model")
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		plan, err = ownedByID(ctx, tx, k, full.OwnerOfficeID, full.ID)
		return err
	}); err != nil || len(plan) != 1 {
		t.Fatalf("the export's record: %v %v", plan, err)
	}
	c, _ := mustSetUpCollector(t)
	c.Now = s.Now
	owner := mustSender(t, c, "SH")
	var recs []SyncRecord
	for _, r := range plan {
		r.Owner = owner
		recs = append(recs, r)
	}
	if _, err := c.importOne(ctx, System, batch(owner, 1, recs...), false); err != nil {
		t.Fatal(err)
	}
	got, err = c.Model(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameFields(t, "a batch", got, want, nil)

	// The interchange file: written, then read into another commune.
	other, _ := mustSetUp(t)
	other.Now = s.Now
	header, row := ModelHeader(), ModelRecord(&got)
	for i, h := range header {
		if h == domain.ColID {
			row[i] = "" // a new registration there
		}
	}
	res, err := other.ImportModels(ctx, System, header, [][]string{row}, []int{2}, ModelImportOptions{})
	if err != nil || res.Created != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	list, err := other.SearchModels(ctx, ModelFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
	sameFields(t, "the interchange file", list[0], want, nil)
	if len(header) != len(domain.ModelFields) { // the id's column stands for body_other's, which ColBody carries
		t.Errorf("the interchange file has %d columns for %d fields and the id", len(header), len(domain.ModelFields))
	}

	// A batch's record, read back for the rules, holds every field.
	back, unread := modelFromFields(modelRecordFields(&want))
	if len(unread.Fields) > 0 {
		t.Errorf("a record's fields read back with problems: %v", unread.Fields)
	}
	sameFields(t, "a batch record", back, want, nil)
	if strings.Count(modelCols, ",")+1 != len(domain.ModelFields)+8 {
		t.Errorf("modelCols has %d columns", strings.Count(modelCols, ",")+1)
	}
}
