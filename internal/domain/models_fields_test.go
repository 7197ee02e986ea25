package domain

import (
	"reflect"
	"testing"
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
