package domain

import (
	"strings"
	"time"

	"danvan/store/vn"
)

// Limits on model fields. A name is a line on a report; the long parts are a
// page of text each, which is more than any registration form holds.
const (
	MaxModelName      = 300
	MaxModelShortText = 200
	MaxModelForce     = 1000
	MaxModelLongText  = 4000
	MaxDecisionNo     = 100
	MinModelYear      = 2000
	// MaxBudget is ten thousand billion đồng: far above any commune budget,
	// low enough that a stray 10^15 is caught as a typing error.
	MaxBudget = 10_000_000_000_000
	// MaxModelCount bounds workdays, households and people.
	MaxModelCount = 10_000_000
)

// Valid reports whether k is a known kind.
func (k ModelKind) Valid() bool { return k == KindModel || k == KindExemplar }

// Valid reports whether f is one of the four fields.
func (f Field) Valid() bool { return oneOf(f, Fields) }

// Valid reports whether st is a known status.
func (st ModelStatus) Valid() bool { return oneOf(st, ModelStatuses) }

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return oneOf(r, Ratings) }

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return oneOf(l, Levels) }

// Valid reports whether b is a known body.
func (b Body) Valid() bool { return oneOf(b, Bodies) }

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// transitions are the life-cycle moves of domain.md §1. An evaluated or
// maintained model can be evaluated again at the next yearly review; a
// discontinued one can be reactivated (with a reason) into implementing.
var transitions = map[ModelStatus][]ModelStatus{
	StatusRegistered:   {StatusImplementing, StatusDiscontinued},
	StatusImplementing: {StatusEvaluated, StatusDiscontinued},
	StatusEvaluated:    {StatusEvaluated, StatusRecognised, StatusMaintained, StatusDiscontinued},
	StatusRecognised:   {StatusMaintained, StatusEvaluated, StatusDiscontinued},
	StatusMaintained:   {StatusEvaluated, StatusRecognised, StatusDiscontinued},
	StatusDiscontinued: {StatusImplementing},
}

// NextStatuses lists where a model in status from may go.
func NextStatuses(from ModelStatus) []ModelStatus {
	return append([]ModelStatus(nil), transitions[from]...)
}

// CanTransition reports whether from → to is an allowed move.
func CanTransition(from, to ModelStatus) bool { return oneOf(to, transitions[from]) }

// Reachable reports whether to can be reached from from by allowed moves
// (or is from itself). Imports use it: a spreadsheet records where a model
// stands now, not each step it took, but it cannot bring a discontinued
// model back without the reason the screen asks for.
func Reachable(from, to ModelStatus) bool {
	if from == to {
		return true
	}
	if from == StatusDiscontinued {
		return false
	}
	seen := map[ModelStatus]bool{from: true}
	queue := []ModelStatus{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, n := range transitions[cur] {
			if n == to {
				return true
			}
			if !seen[n] && n != StatusDiscontinued {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return false
}

// CleanLong trims a multi-line text, turns it into NFC and unifies line
// ends, keeping the officer's line breaks.
func CleanLong(s string) string {
	s = vn.NFC(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// Normalize cleans m's text in place: NFC, trimmed, phone as digits, and a
// free-text body that names a listed body becomes that body.
func (m *Model) Normalize() {
	for _, p := range []*string{&m.Name, &m.BodyOther, &m.Location, &m.PersonName, &m.PersonTitle, &m.DecisionNo} {
		*p = vn.Clean(*p)
	}
	for _, p := range []*string{&m.Reason, &m.Goals, &m.Content, &m.Tasks, &m.TargetGroup, &m.ForceLead, &m.ForceCoord,
		&m.ForceTakePart, &m.Contributions, &m.Outputs, &m.Sustainability, &m.StopReason, &m.Note} {
		*p = CleanLong(*p)
	}
	m.PersonPhone = normalizePhone(m.PersonPhone)
	if m.Body == BodyOther {
		if b, ok := matchBody(m.BodyOther); ok && b != BodyOther {
			m.Body, m.BodyOther = b, ""
		}
	}
	if m.Body != BodyOther {
		m.BodyOther = ""
	}
	for _, t := range []*time.Time{&m.StartDate, &m.EvalDate, &m.DecisionDate, &m.StopDate} {
		*t = ModelDay(*t)
	}
}

// day drops the time of day: the model's dates are calendar days.
func ModelDay(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// normalizePhone removes the separators people type (spaces, dots, dashes,
// brackets) and rewrites +84 / 84 to the leading 0 used inside Vietnam.
func normalizePhone(s string) string {
	s = strings.TrimSpace(vn.NFC(s))
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '.', '-', '(', ')', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	switch {
	case strings.HasPrefix(out, "+84"):
		out = "0" + out[3:]
	case strings.HasPrefix(out, "84") && len(out) == 11:
		out = "0" + out[2:]
	}
	return out
}

// validPhone accepts Vietnamese numbers after normalizePhone: a 0, then 9
// digits (mobile 03x/05x/07x/08x/09x and the 02x landlines since 2017) or
// 10 digits (older landlines written with the area code).
func validPhone(s string) bool {
	if len(s) < 10 || len(s) > 11 || s[0] != '0' || s[1] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Validate lists every problem with m. now gives the current year, which
// bounds the registration year.
func (m *Model) Validate(now time.Time) error {
	v := &ValidationError{}
	m.validateFields(v, now)
	if m.Body == BodyOther {
		CheckText(v, "model_body_other", m.BodyOther, MaxModelShortText, true)
	} else {
		CheckText(v, "model_body_other", m.BodyOther, MaxModelShortText, false)
	}
	if m.PersonPhone != "" && !validPhone(m.PersonPhone) {
		v.Add("model_person_phone", "models.phone", nil)
	}
	if strings.TrimSpace(m.Content) == "" && strings.TrimSpace(m.Tasks) == "" {
		v.Add("model_content", "models.content_or_tasks", nil)
	}
	m.validateStatus(v)
	return v.OrNil()
}

// validateStatus checks that the details each status needs are there.
func (m *Model) validateStatus(v *ValidationError) {
	if !m.Status.Valid() {
		if _, already := v.For("model_status"); !already {
			v.Add("model_status", "invalid_choice", nil)
		}
		return
	}
	for _, f := range RequiredFor(m.Status) {
		if f.Empty(m) {
			if _, already := v.For(f.Key); !already {
				v.Add(f.Key, "required", nil)
			}
		}
	}
}
