package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"strings"
	"time"

	"danvan/store/vn"
)

// searchKey is what the search box matches against: the folded name,
// responsible person, place and registering body.
func searchKey(m *domain.Model) string {
	return vn.Fold(strings.Join([]string{m.Name, m.PersonName, m.Location, m.BodyName()}, " | "))
}

// putModel writes m's row, inserting or replacing it.
func putModel(ctx context.Context, tx *sql.Tx, m *domain.Model) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO models(`+modelCols+`, name_fold, search_fold)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, modelArgs(m)...)
	return err
}

func addHistory(ctx context.Context, tx *sql.Tx, e domain.StatusEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO model_status_history(model_id, on_date, from_status, to_status,
		rating, level, decision_no, decision_date, reason, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		e.ModelID, domain.FmtModelDay(e.On), e.From, e.To, e.Rating, e.Level, e.DecisionNo, domain.FmtModelDay(e.DecisionDate), e.Reason,
		fmtTime(e.RecordedAt), e.RecordedBy)
	return err
}

func getModel(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (domain.Model, error) {
	return scanModel(q.QueryRowContext(ctx, `SELECT `+modelCols+` FROM models WHERE id = ?`, id))
}

// Model returns the model with id, live or deleted.
func (s *Store) Model(ctx context.Context, id string) (domain.Model, error) {
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
func (s *Store) stamp(ctx context.Context, tx *sql.Tx, actor Actor, m *domain.Model) error {
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
func (s *Store) SaveModel(ctx context.Context, actor Actor, m domain.Model) (domain.Model, error) {
	if err := actor.require(PermEdit); err != nil {
		return m, err
	}
	m.Normalize()
	isNew := m.ID == ""
	if isNew {
		domain.CopyStatusFields(&m, &domain.Model{Status: domain.StatusRegistered})
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeID(ctx, tx)
		if err != nil {
			return err
		}
		var old domain.Model
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
			domain.CopyStatusFields(&m, &old)
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
			if err := addHistory(ctx, tx, domain.StatusEvent{ModelID: m.ID, On: domain.ModelDay(s.now()), To: m.Status,
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

// ChangeModelStatus moves a model along its life cycle and records the move,
// with its date, in the status history.
func (s *Store) ChangeModelStatus(ctx context.Context, actor Actor, id string, revision int, ch domain.StatusChange) (domain.Model, error) {
	if err := actor.require(PermEdit); err != nil {
		return domain.Model{}, err
	}
	var m domain.Model
	err := s.tx(ctx, func(tx *sql.Tx) error {
		old, err := editableModel(ctx, tx, id, revision)
		if err != nil {
			return err
		}
		if err := ch.Validate(old.Status, s.now()); err != nil {
			return err
		}
		m = old
		ch.ApplyTo(&m, old.Status)
		m.Revision++
		if err := s.stamp(ctx, tx, actor, &m); err != nil {
			return err
		}
		if err := putModel(ctx, tx, &m); err != nil {
			return err
		}
		ev := domain.StatusEvent{ModelID: id, On: ch.On, From: old.Status, To: ch.To, Reason: ch.Reason,
			RecordedAt: s.now(), RecordedBy: actor.Name}
		if ch.To == domain.StatusEvaluated {
			ev.Rating = ch.Rating
		}
		if ch.To == domain.StatusRecognised {
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
func (s *Store) ModelHistory(ctx context.Context, id string) ([]domain.StatusEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, model_id, on_date, from_status, to_status, rating, level,
		decision_no, decision_date, reason, recorded_at, recorded_by
		FROM model_status_history WHERE model_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.StatusEvent
	for rows.Next() {
		var e domain.StatusEvent
		var on, dd, rec string
		if err := rows.Scan(&e.ID, &e.ModelID, &on, &e.From, &e.To, &e.Rating, &e.Level, &e.DecisionNo, &dd,
			&e.Reason, &rec, &e.RecordedBy); err != nil {
			return nil, err
		}
		e.On, e.DecisionDate, e.RecordedAt = domain.ParseModelDay(on), domain.ParseModelDay(dd), parseTime(rec)
		out = append(out, e)
	}
	return out, rows.Err()
}

// editableModel loads the model that a change or deletion applies to and
// refuses it when it is gone, owned by another office (held read-only here),
// or changed since the person loaded it (revision).
func editableModel(ctx context.Context, tx *sql.Tx, id string, revision int) (domain.Model, error) {
	self, err := selfOfficeID(ctx, tx)
	if err != nil {
		return domain.Model{}, err
	}
	old, err := getModel(ctx, tx, id)
	if err != nil {
		return domain.Model{}, err
	}
	switch {
	case old.Deleted():
		return domain.Model{}, ErrNotFound
	case old.OwnerOfficeID != self:
		return domain.Model{}, notOwnError{}
	case old.Revision != revision:
		return domain.Model{}, ErrConflict
	}
	return old, nil
}
