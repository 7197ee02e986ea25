package domain

import (
	"danvan/store/vn"
	"time"
)

const dayFormat = "2006-01-02"

func FmtModelDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dayFormat)
}

func ParseModelDay(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(dayFormat, s)
	return t
}

// StatusChange is one move in a model's life cycle, as the status dialog
// collects it.
type StatusChange struct {
	To           ModelStatus
	On           time.Time // the day it happened; zero means today
	Rating       Rating    // to evaluated
	Level        Level     // to recognised
	DecisionNo   string    // to recognised
	DecisionDate time.Time // to recognised
	Reason       string    // to discontinued, and when reactivating
}

type transitionError struct{ from, to ModelStatus }

func (e transitionError) Error() string {
	return "store: model status cannot go from " + string(e.from) + " to " + string(e.to)
}
func (e transitionError) MessageCode() (string, map[string]any) {
	return "models.transition", map[string]any{"From": string(e.from), "To": string(e.to)}
}

// statusInputs are the status dialog's inputs that fill a field under
// another key: the reason given for a stop is the model's stop reason.
var statusInputs = map[string]string{"model_stop_reason": "status_reason", "model_stop_date": "status_date"}

// StatusInput is the key of the status dialog's input for the model field
// key, under which its problems are shown.
func StatusInput(key string) string {
	if in, ok := statusInputs[key]; ok {
		return in
	}
	return key
}

// ApplyTo puts the change into m, whose status was from.
func (ch *StatusChange) ApplyTo(m *Model, from ModelStatus) {
	m.Status = ch.To
	switch ch.To {
	case StatusEvaluated:
		m.Rating, m.EvalDate = ch.Rating, ch.On
	case StatusRecognised:
		m.Level, m.DecisionNo, m.DecisionDate = ch.Level, ch.DecisionNo, ch.DecisionDate
	case StatusDiscontinued:
		m.StopReason, m.StopDate = ch.Reason, ch.On
	}
	if from == StatusDiscontinued {
		m.StopReason, m.StopDate = "", time.Time{}
	}
}

// Validate lists what is missing for the move from → ch.To.
func (ch *StatusChange) Validate(from ModelStatus, now time.Time) error {
	ch.DecisionNo = vn.Clean(ch.DecisionNo)
	ch.Reason = CleanLong(ch.Reason)
	ch.On, ch.DecisionDate = ModelDay(ch.On), ModelDay(ch.DecisionDate)
	if ch.On.IsZero() {
		ch.On = ModelDay(now)
	}
	if !CanTransition(from, ch.To) {
		return transitionError{from, ch.To}
	}
	v := &ValidationError{}
	if ch.On.After(ModelDay(now)) {
		v.Add("status_date", "models.future_date", nil)
	}
	// The days the move stores pass the model's own rule for days: a
	// collecting office would refuse the batch that carries them.
	checkDay(v, "status_date", ch.On, now)
	checkDay(v, "model_decision_date", ch.DecisionDate, now)
	// What the move needs: the fields the new status requires
	// (ModelFields' RequiredWhen), as the change fills them.
	var m Model
	ch.ApplyTo(&m, from)
	for _, f := range RequiredFor(ch.To) {
		key := StatusInput(f.Key)
		switch f.Type {
		case TypeEnum:
			if !f.values.valid(f.Raw(&m)) {
				v.Add(key, "required", nil)
			}
		case TypeText, TypeLong:
			CheckText(v, key, f.Raw(&m), int(f.Max), true)
		default:
			if f.Empty(&m) {
				v.Add(key, "required", nil)
			}
		}
	}
	if from == StatusDiscontinued {
		CheckText(v, "status_reason", ch.Reason, MaxModelLongText, true)
	}
	return v.OrNil()
}
