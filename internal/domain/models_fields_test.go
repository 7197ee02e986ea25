package domain

import (
	"reflect"
	"testing"
	"time"
)

// Every field of Model is declared in ModelFields, once: a field added to
// Model without its declaration fails here (and then the store's, the
// batch's, the interchange file's and the form's tests hold the paths).
func TestEveryModelFieldIsDeclared(t *testing.T) {
	declared := map[uintptr]bool{}
	var probe Model
	base := reflect.ValueOf(&probe).Pointer()
	for _, f := range ModelFields {
		off := reflect.ValueOf(f.ptr(&probe)).Pointer() - base
		if declared[off] {
			t.Errorf("%s points at a field declared before", f.Key)
		}
		declared[off] = true
	}
	bookkeeping := map[string]bool{"ID": true, "OwnerOfficeID": true, "Revision": true, "ChangeSeq": true,
		"CreatedAt": true, "UpdatedAt": true, "UpdatedBy": true, "DeletedAt": true}
	rt := reflect.TypeOf(probe)
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		if !declared[sf.Offset] && !bookkeeping[sf.Name] {
			t.Errorf("Model.%s is not declared in ModelFields", sf.Name)
		}
	}
}

// The status dialog's days pass the same rule as the model's own days, so
// a move it accepts never makes a record a collecting office refuses.
func TestStatusChangeDaysFollowTheModelsRule(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ch    StatusChange
		from  ModelStatus
		field string
	}{
		{StatusChange{To: StatusRecognised, Level: LevelCommune, DecisionNo: "12/QĐ", DecisionDate: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}, StatusEvaluated, "model_decision_date"},
		{StatusChange{To: StatusDiscontinued, Reason: "Hết kinh phí", On: time.Date(1024, 3, 15, 0, 0, 0, 0, time.UTC)}, StatusImplementing, "status_date"},
	} {
		err := tc.ch.Validate(tc.from, now)
		ve, ok := err.(*ValidationError)
		if !ok {
			t.Errorf("%s: %v, want a problem of %s", tc.ch.To, err, tc.field)
			continue
		}
		if p, ok := ve.For(tc.field); !ok || p.Code != "models.date_range" {
			t.Errorf("%s: %v, want %s out of range", tc.ch.To, ve, tc.field)
		}
	}
}
