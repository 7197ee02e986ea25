package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"danvan/store"
)

// No ticker reads other screen tests' forms; TestFormDraft turns it on.
func init() { draftEvery = 0 }

func TestFormDraftKeepsAndDiscards(t *testing.T) {
	a := newTestApp(t)
	draftEvery = 10 * time.Millisecond
	defer func() { draftEvery = 0 }()
	var mu sync.Mutex
	vals := map[string]string{"model_name": "Nuôi"}
	collect := func() map[string]string {
		mu.Lock()
		defer mu.Unlock()
		out := map[string]string{}
		for k, v := range vals {
			out[k] = v
		}
		return out
	}
	drafts := func() []store.Draft {
		d, err := a.St.Drafts(context.Background(), a.Actor, "model")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := keepDraft(a, "model", "", collect, func(map[string]string) { t.Error("offered a draft that does not exist") })
	mu.Lock()
	vals["model_name"] = "Nuôi ong lấy mật"
	mu.Unlock()
	waitFor(t, func() bool {
		ds := drafts()
		return len(ds) == 1 && ds[0].Body == `{"model_name":"Nuôi ong lấy mật"}`
	})
	d.discard()
	waitFor(t, func() bool { return len(drafts()) == 0 })
	time.Sleep(50 * time.Millisecond)
	if len(drafts()) != 0 {
		t.Error("the draft came back after discard")
	}
}

func TestModelFormDraftValuesRoundTrip(t *testing.T) {
	a := newTestApp(t)
	s := newModelsScreen(a)
	s.content()
	f := s.form
	f.content()
	vals := map[string]string{"model_name": "Nuôi ong lấy mật", "model_budget": "1.500.000",
		"model_kind": string(store.KindExemplar), "model_field": string(store.FieldEconomy), "model_body": string(store.BodyFarmers)}
	f.applyDraft(vals)
	got := f.draftValues()
	for k, v := range vals {
		if got[k] != v {
			t.Errorf("%s = %q after applyDraft, want %q", k, got[k], v)
		}
	}
}
