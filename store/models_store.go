package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"danvan/store/vn"
)

const dayFormat = "2006-01-02"

func fmtModelDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dayFormat)
}

func parseModelDay(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(dayFormat, s)
	return t
}

// searchKey is what the search box matches against: the folded name,
// responsible person, place and registering body.
func searchKey(m *Model) string {
	return vn.Fold(strings.Join([]string{m.Name, m.PersonName, m.Location, m.BodyName()}, " | "))
}

// putModel writes m's row, inserting or replacing it.
func putModel(ctx context.Context, tx *sql.Tx, m *Model) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO models(`+modelCols+`, name_fold, search_fold)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, modelArgs(m)...)
	return err
}

func addHistory(ctx context.Context, tx *sql.Tx, e StatusEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO model_status_history(model_id, on_date, from_status, to_status,
		rating, level, decision_no, decision_date, reason, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		e.ModelID, fmtModelDay(e.On), e.From, e.To, e.Rating, e.Level, e.DecisionNo, fmtModelDay(e.DecisionDate), e.Reason,
		fmtTime(e.RecordedAt), e.RecordedBy)
	return err
}

func getModel(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (Model, error) {
	return scanModel(q.QueryRowContext(ctx, `SELECT `+modelCols+` FROM models WHERE id = ?`, id))
}

// Model returns the model with id, live or deleted.
func (s *Store) Model(ctx context.Context, id string) (Model, error) {
	return getModel(ctx, s.db, id)
}

// errNotOwn refuses changes to a model another office owns: the collecting
// office holds communes' models read-only.
type notOwnError struct{}

func (notOwnError) Error() string { return "store: the model belongs to another office" }
func (notOwnError) Unwrap() error { return ErrForbidden }
func (notOwnError) MessageCode() (string, map[string]any) {
	return "models.not_own", nil
}

// stamp advances m's revision and change number for a write by actor.
func (s *Store) stamp(ctx context.Context, tx *sql.Tx, actor Actor, m *Model) error {
	seq, err := nextChange(ctx, tx)
	if err != nil {
		return err
	}
	now := s.now()
	m.ChangeSeq = seq
	m.UpdatedAt = now
	m.UpdatedBy = actor.Name
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now
	}
	return nil
}

// SaveModel registers a new model (m.ID empty) or updates one. An update
// must carry the revision it was read at; a newer one in the database means
// someone else saved first, and ErrConflict is returned with nothing
// changed. The life-cycle fields are changed only by ChangeModelStatus.
func (s *Store) SaveModel(ctx context.Context, actor Actor, m Model) (Model, error) {
	if err := actor.require(PermEdit); err != nil {
		return m, err
	}
	m.Normalize()
	isNew := m.ID == ""
	if isNew {
		copyStatusFields(&m, &Model{Status: StatusRegistered})
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeID(ctx, tx)
		if err != nil {
			return err
		}
		var old Model
		if isNew {
			m.ID = NewID()
			m.OwnerOfficeID = self
			m.Revision = 1
			m.CreatedAt = time.Time{}
		} else {
			old, err = getModel(ctx, tx, m.ID)
			if err != nil {
				return err
			}
			if old.Deleted() {
				return ErrNotFound
			}
			if old.OwnerOfficeID != self {
				return notOwnError{}
			}
			if old.Revision != m.Revision {
				return ErrConflict
			}
			m.OwnerOfficeID, m.CreatedAt = old.OwnerOfficeID, old.CreatedAt
			copyStatusFields(&m, &old)
			m.Revision = old.Revision + 1
		}
		if err := m.Validate(s.now()); err != nil {
			return err
		}
		if err := s.stamp(ctx, tx, actor, &m); err != nil {
			return err
		}
		if err := putModel(ctx, tx, &m); err != nil {
			return err
		}
		if isNew {
			if err := addHistory(ctx, tx, StatusEvent{ModelID: m.ID, On: modelDay(s.now()), To: m.Status,
				RecordedAt: s.now(), RecordedBy: actor.Name}); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, ActionInsert, "model", m.ID, nil, m)
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "model", m.ID, old, m)
	})
	if err != nil {
		if isNew {
			m.ID, m.OwnerOfficeID, m.Revision = "", "", 0
		}
		return m, err
	}
	return m, nil
}

func selfOfficeID(ctx context.Context, tx *sql.Tx) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM offices WHERE is_self = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotSetUp
	}
	return id, err
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

// applyTo puts the change into m, whose status was from.
func (ch *StatusChange) applyTo(m *Model, from ModelStatus) {
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
	ch.Reason = cleanLong(ch.Reason)
	ch.On, ch.DecisionDate = modelDay(ch.On), modelDay(ch.DecisionDate)
	if ch.On.IsZero() {
		ch.On = modelDay(now)
	}
	if !CanTransition(from, ch.To) {
		return transitionError{from, ch.To}
	}
	v := &ValidationError{}
	if ch.On.After(modelDay(now)) {
		v.Add("status_date", "models.future_date", nil)
	}
	// What the move needs: the fields the new status requires
	// (ModelFields' RequiredWhen), as the change fills them.
	var m Model
	ch.applyTo(&m, from)
	for _, f := range RequiredFor(ch.To) {
		key := StatusInput(f.Key)
		switch f.Type {
		case TypeEnum:
			if !f.values.valid(f.raw(&m)) {
				v.Add(key, "required", nil)
			}
		case TypeText, TypeLong:
			checkText(v, key, f.raw(&m), int(f.Max), true)
		default:
			if f.Empty(&m) {
				v.Add(key, "required", nil)
			}
		}
	}
	if from == StatusDiscontinued {
		checkText(v, "status_reason", ch.Reason, MaxModelLongText, true)
	}
	return v.OrNil()
}

// ChangeModelStatus moves a model along its life cycle and records the move,
// with its date, in the status history.
func (s *Store) ChangeModelStatus(ctx context.Context, actor Actor, id string, revision int, ch StatusChange) (Model, error) {
	if err := actor.require(PermEdit); err != nil {
		return Model{}, err
	}
	var m Model
	err := s.tx(ctx, func(tx *sql.Tx) error {
		old, err := editableModel(ctx, tx, id, revision)
		if err != nil {
			return err
		}
		if err := ch.Validate(old.Status, s.now()); err != nil {
			return err
		}
		m = old
		ch.applyTo(&m, old.Status)
		m.Revision++
		if err := s.stamp(ctx, tx, actor, &m); err != nil {
			return err
		}
		if err := putModel(ctx, tx, &m); err != nil {
			return err
		}
		ev := StatusEvent{ModelID: id, On: ch.On, From: old.Status, To: ch.To, Reason: ch.Reason,
			RecordedAt: s.now(), RecordedBy: actor.Name}
		if ch.To == StatusEvaluated {
			ev.Rating = ch.Rating
		}
		if ch.To == StatusRecognised {
			ev.Level, ev.DecisionNo, ev.DecisionDate = ch.Level, ch.DecisionNo, ch.DecisionDate
		}
		if err := addHistory(ctx, tx, ev); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "model", id, old, m)
	})
	return m, err
}

// DeleteModel marks a model deleted. The row stays as a tombstone so that
// the deletion can travel to the collecting office in the next batch.
func (s *Store) DeleteModel(ctx context.Context, actor Actor, id string, revision int) error {
	if err := actor.require(PermEdit); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := editableModel(ctx, tx, id, revision)
		if err != nil {
			return err
		}
		m := old
		m.Revision++
		m.DeletedAt = s.now()
		if err := s.stamp(ctx, tx, actor, &m); err != nil {
			return err
		}
		if err := putModel(ctx, tx, &m); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionDelete, "model", id, old, nil)
	})
}

// ModelHistory returns a model's status history, oldest first.
func (s *Store) ModelHistory(ctx context.Context, id string) ([]StatusEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, model_id, on_date, from_status, to_status, rating, level,
		decision_no, decision_date, reason, recorded_at, recorded_by
		FROM model_status_history WHERE model_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatusEvent
	for rows.Next() {
		var e StatusEvent
		var on, dd, rec string
		if err := rows.Scan(&e.ID, &e.ModelID, &on, &e.From, &e.To, &e.Rating, &e.Level, &e.DecisionNo, &dd,
			&e.Reason, &rec, &e.RecordedBy); err != nil {
			return nil, err
		}
		e.On, e.DecisionDate, e.RecordedAt = parseModelDay(on), parseModelDay(dd), parseTime(rec)
		out = append(out, e)
	}
	return out, rows.Err()
}

// editableModel loads the model that a change or deletion applies to and
// refuses it when it is gone, owned by another office (held read-only here),
// or changed since the person loaded it (revision).
func editableModel(ctx context.Context, tx *sql.Tx, id string, revision int) (Model, error) {
	self, err := selfOfficeID(ctx, tx)
	if err != nil {
		return Model{}, err
	}
	old, err := getModel(ctx, tx, id)
	if err != nil {
		return Model{}, err
	}
	switch {
	case old.Deleted():
		return Model{}, ErrNotFound
	case old.OwnerOfficeID != self:
		return Model{}, notOwnError{}
	case old.Revision != revision:
		return Model{}, ErrConflict
	}
	return old, nil
}
