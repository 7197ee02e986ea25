package ui

import (
	"context"
	"danvan/internal/domain"
	stdsync "sync"
	"testing"
	"time"

	"danvan/store"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// No ticker reads other screen tests' forms; TestFormDraft turns it on.
func init() { draftEvery = 0 }

func TestFormDraftKeepsAndDiscards(t *testing.T) {
	a := newTestApp(t)
	draftEvery = 10 * time.Millisecond
	defer func() { draftEvery = 0 }()
	var mu stdsync.Mutex
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
		"model_kind": string(domain.KindExemplar), "model_field": string(domain.FieldEconomy), "model_body": string(domain.BodyFarmers)}
	f.applyDraft(vals)
	got := f.draftValues()
	for k, v := range vals {
		if got[k] != v {
			t.Errorf("%s = %q after applyDraft, want %q", k, got[k], v)
		}
	}
}

// While "put the draft back?" waits for an answer, the blank form is not
// saved over the draft: answering yes after a while still gets it back.
func TestDraftOfferedIsNotOverwrittenWhileAsking(t *testing.T) {
	a := newTestApp(t)
	a.installEscape()
	draftEvery = 5 * time.Millisecond
	defer func() { draftEvery = 0 }()
	const body = `{"model_name":"Nuôi ong lấy mật"}`
	if err := a.St.SaveDraft(context.Background(), a.Actor, "model", "", body); err != nil {
		t.Fatal(err)
	}
	var mu stdsync.Mutex
	vals := map[string]string{"model_name": ""}
	collect := func() map[string]string {
		mu.Lock()
		defer mu.Unlock()
		return map[string]string{"model_name": vals["model_name"]}
	}
	var applied map[string]string
	d := keepDraft(a, "model", "", collect, func(v map[string]string) {
		mu.Lock()
		defer mu.Unlock()
		applied = v
		vals["model_name"] = v["model_name"]
	})
	defer d.discard()
	waitFor(t, func() bool { return len(a.dialogs) == 1 })
	time.Sleep(60 * time.Millisecond) // a dozen ticks with the question open
	ds, err := a.St.Drafts(context.Background(), a.Actor, "model")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Body != body {
		t.Fatalf("while asking, the draft became %+v", ds)
	}
	// Answer "Có" as the button does.
	fyne.DoAndWait(func() { confirmYes(t, a) })
	mu.Lock()
	got := applied["model_name"]
	mu.Unlock()
	if got != "Nuôi ong lấy mật" {
		t.Fatalf("applied %q, want the draft's name", got)
	}
}

// confirmYes taps the confirm button of the dialog on top.
func confirmYes(t *testing.T, a *App) {
	t.Helper()
	top := a.Win.Canvas().Overlays().Top()
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Importance == widget.HighImportance {
			test.Tap(b)
			return
		}
	}
	t.Fatal("no confirm button")
}
