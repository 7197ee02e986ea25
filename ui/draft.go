package ui

import (
	"context"
	"encoding/json"
	"log"
	stdsync "sync"
	"time"

	"fyne.io/fyne/v2"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

// formDraft keeps what a person has typed into a form as a draft in the
// store (store.SaveDraft), so that a crash or a power cut loses a few
// seconds of typing at most, and offers it back when the same form is
// opened again. A form uses it in three calls: keepDraft when it opens,
// discard once the record is saved or the person cancels. It reads the
// form's values itself every few seconds, so the form needs no change
// handler on each field.
type formDraft struct {
	a       *App
	form    string
	key     string
	collect func() map[string]string // the form's values, read on the UI goroutine

	every time.Duration // draftEvery when the form opened

	mu      stdsync.Mutex
	last    string // the body last saved
	stopped bool
	stop    chan struct{}
	// io orders the store calls, so that a save still on its way cannot
	// put a draft back after discard removed it.
	io stdsync.Mutex
}

// draftEvery is how often an open form's values are looked at. Screen tests
// set it to 0, which turns the looking off, so that no ticker reads their
// widgets behind their back.
var draftEvery = 3 * time.Second

// keepDraft starts keeping form's draft for the record key ("" for a new
// one). When a draft from an earlier session exists, it asks whether to
// put it back and, if so, calls apply with its values.
func keepDraft(a *App, form, key string, collect func() map[string]string, apply func(map[string]string)) *formDraft {
	d := &formDraft{a: a, form: form, key: key, collect: collect, stop: make(chan struct{}), every: draftEvery}
	actor := a.Actor
	var found *store.Draft
	a.Background(func() error {
		drafts, err := a.St.Drafts(a.ctx, actor, form)
		for i := range drafts {
			if drafts[i].Key == key {
				found = &drafts[i]
			}
		}
		return err
	}, func(err error) {
		if err != nil {
			log.Printf("drafts: %v", err)
		}
		if found != nil && !d.isStopped() {
			// The form is not looked at while the question is open: the
			// blank form would be saved over the draft being offered.
			d.offer(*found, apply, func() { go d.loop() })
			return
		}
		go d.loop()
	})
	return d
}

func (d *formDraft) offer(dr store.Draft, apply func(map[string]string), answered func()) {
	var vals map[string]string
	if err := json.Unmarshal([]byte(dr.Body), &vals); err != nil {
		answered()
		return
	}
	msg := i18n.T("safety.draft.ask", i18n.Args{"At": vn.FormatDateTime(dr.UpdatedAt.Local())})
	d.a.confirm(i18n.T("safety.draft.title"), msg, func(ok bool) {
		if ok {
			apply(vals)
			d.mu.Lock()
			d.last = dr.Body
			d.mu.Unlock()
		} else {
			d.drop()
		}
		answered()
	})
}

func (d *formDraft) loop() {
	if d.every <= 0 {
		return
	}
	t := time.NewTicker(d.every)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			fyne.DoAndWait(d.saveIfChanged)
		}
	}
}

// saveIfChanged reads the form and stores the draft when it changed since
// the last time. The store call runs off the UI goroutine.
func (d *formDraft) saveIfChanged() {
	if d.isStopped() {
		return
	}
	b, err := json.Marshal(d.collect())
	if err != nil {
		return
	}
	body := string(b)
	d.mu.Lock()
	if body == d.last {
		d.mu.Unlock()
		return
	}
	d.last = body
	d.mu.Unlock()
	actor := d.a.Actor
	go func() {
		d.io.Lock()
		defer d.io.Unlock()
		if d.isStopped() {
			return
		}
		if err := d.a.St.SaveDraft(context.Background(), actor, d.form, d.key, body); err != nil {
			log.Printf("save draft %s: %v", d.form, err)
		}
	}()
}

func (d *formDraft) isStopped() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stopped
}

// discard stops keeping the draft and removes it: the record was saved, or
// the person chose to leave the form.
func (d *formDraft) discard() {
	if d == nil {
		return
	}
	d.mu.Lock()
	if !d.stopped {
		d.stopped = true
		close(d.stop)
	}
	d.mu.Unlock()
	d.drop()
}

func (d *formDraft) drop() {
	actor := d.a.Actor
	go func() {
		d.io.Lock()
		defer d.io.Unlock()
		if err := d.a.St.DeleteDraft(context.Background(), actor, d.form, d.key); err != nil {
			log.Printf("delete draft %s: %v", d.form, err)
		}
	}()
}
