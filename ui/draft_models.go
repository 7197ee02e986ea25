package ui

import "danvan/internal/domain"

// draftValues and applyDraft let the model form be kept as a draft
// (draft.go): every entry by its field key, and the three choices.
func (f *modelForm) draftValues() map[string]string {
	vals := make(map[string]string, len(f.text)+3)
	for k, e := range f.text {
		vals[k] = e.Text
	}
	vals["model_kind"] = string(f.kind.value())
	vals["model_field"] = string(f.field.value())
	vals["model_body"] = string(f.body.value())
	return vals
}

func (f *modelForm) applyDraft(vals map[string]string) {
	for k, e := range f.text {
		if v, ok := vals[k]; ok {
			e.SetText(v)
		}
	}
	f.kind.set(domain.ModelKind(vals["model_kind"]))
	f.field.set(domain.Field(vals["model_field"]))
	f.body.set(domain.Body(vals["model_body"]))
	f.onBodyChanged()
}
