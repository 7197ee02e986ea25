package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"time"

	"danvan/store/vn"
)

// TallyField is a TTHC field (lĩnh vực), a row of Biểu 06.
type TallyField struct {
	ID        string
	OfficeID  string
	Code      string // shared code of a default field ("ho_tich"); "" for one an office added
	Name      string
	Position  int
	Disabled  bool // hidden from new entry; its stored rows stay
	Revision  int64
	UpdatedAt time.Time
	UpdatedBy string
}

// Key identifies the field across offices: the shared code of a default
// field, or the folded name of one an office added. Roll-ups over several
// offices group by it.
func (f TallyField) Key() string {
	if f.Code != "" {
		return f.Code
	}
	return "name:" + vn.Fold(f.Name)
}

// DefaultTallyFields is the list a new office starts with (the list).
// migrations/0003_tallies.sql seeds the same list into folders set up earlier.
var DefaultTallyFields = []struct{ Code, Name string }{
	{"ho_tich", "Hộ tịch"},
	{"chung_thuc", "Chứng thực"},
	{"dat_dai", "Đất đai"},
	{"ldtbxh", "Lao động - Thương binh và Xã hội"},
	{"tu_phap", "Tư pháp"},
	{"xay_dung", "Xây dựng"},
	{"nn_mt", "Nông nghiệp và Môi trường"},
	{"vh_tt", "Văn hóa - Thông tin"},
	{"giao_duc", "Giáo dục"},
	{"y_te", "Y tế"},
	{"khac", "Khác"},
}

// MaxTallyFieldName bounds a field's name.
const MaxTallyFieldName = 100

func init() {
	setupSteps = append(setupSteps, func(ctx context.Context, tx *sql.Tx, s *Store, _ *SetupInput, self domain.Office) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tally_fields WHERE owner_office_id = ?`, self.ID).Scan(&n); err != nil || n > 0 {
			return err
		}
		for i, f := range DefaultTallyFields {
			if _, err := insertTallyField(ctx, tx, s, System, self.ID, f.Code, f.Name, i+1); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertTallyField(ctx context.Context, tx *sql.Tx, s *Store, actor Actor, officeID, code, name string, pos int) (TallyField, error) {
	seq, err := nextChange(ctx, tx)
	if err != nil {
		return TallyField{}, err
	}
	now := s.now()
	f := TallyField{ID: NewID(), OfficeID: officeID, Code: code, Name: name, Position: pos, Revision: 1, UpdatedAt: now, UpdatedBy: actor.Name}
	_, err = tx.ExecContext(ctx, `INSERT INTO tally_fields(id, owner_office_id, code, name, name_fold, position, revision, change_seq, created_at, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, f.ID, officeID, code, name, vn.Fold(name), pos, seq, fmtTime(now), fmtTime(now), actor.Name)
	return f, err
}

const tallyFieldCols = `id, owner_office_id, code, name, position, disabled, revision, updated_at, updated_by`

func scanTallyField(row interface{ Scan(...any) error }) (TallyField, error) {
	var f TallyField
	var dis int
	var upd string
	err := row.Scan(&f.ID, &f.OfficeID, &f.Code, &f.Name, &f.Position, &dis, &f.Revision, &upd, &f.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	f.Disabled = dis == 1
	f.UpdatedAt = parseTime(upd)
	return f, err
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func tallyFieldsQ(ctx context.Context, q queryer, officeID string) ([]TallyField, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+tallyFieldCols+` FROM tally_fields
		WHERE owner_office_id = ? AND deleted_at = '' ORDER BY position, name_fold`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TallyField
	for rows.Next() {
		f, err := scanTallyField(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// TallyFields lists an office's fields in form order, disabled ones too.
// officeID "" means this office.
func (s *Store) TallyFields(ctx context.Context, officeID string) ([]TallyField, error) {
	if officeID == "" {
		self, err := s.SelfOffice(ctx)
		if err != nil {
			return nil, err
		}
		officeID = self.ID
	}
	return tallyFieldsQ(ctx, s.db, officeID)
}

// FindTallyField finds a field by name or code, ignoring case and
// diacritics, so that "ho tich", "Hộ tịch" and "HỘ TỊCH" all match.
func FindTallyField(fields []TallyField, name string) (TallyField, bool) {
	key := vn.Fold(name)
	for _, f := range fields {
		if vn.Fold(f.Name) == key || (f.Code != "" && f.Code == key) {
			return f, true
		}
	}
	return TallyField{}, false
}

func (s *Store) checkFieldName(ctx context.Context, tx *sql.Tx, officeID, id, name string) error {
	v := &domain.ValidationError{}
	domain.CheckText(v, "tally_field_name", name, MaxTallyFieldName, true)
	if len(v.Fields) == 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tally_fields WHERE owner_office_id = ? AND name_fold = ? AND id <> ? AND deleted_at = ''`,
			officeID, vn.Fold(name), id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			v.Add("tally_field_name", "tally.field_exists", map[string]any{"Name": name})
		}
	}
	return v.OrNil()
}

// AddTallyField adds a field at the end of this office's list.
func (s *Store) AddTallyField(ctx context.Context, actor Actor, name string) (TallyField, error) {
	if err := actor.require(PermSettings); err != nil {
		return TallyField{}, err
	}
	name = vn.Clean(name)
	var f TallyField
	err := s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.checkFieldName(ctx, tx, self.ID, "", name); err != nil {
			return err
		}
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(position), 0) + 1 FROM tally_fields WHERE owner_office_id = ?`, self.ID).Scan(&pos); err != nil {
			return err
		}
		f, err = insertTallyField(ctx, tx, s, actor, self.ID, "", name, pos)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionInsert, "tally_field", f.ID, nil, f)
	})
	return f, err
}

// RenameTallyField renames one of this office's fields. Its rows keep
// pointing at it, and a default field keeps its shared code.
func (s *Store) RenameTallyField(ctx context.Context, actor Actor, id, name string) error {
	name = vn.Clean(name)
	return s.changeTallyField(ctx, actor, id, func(ctx context.Context, tx *sql.Tx, f *TallyField) error {
		if err := s.checkFieldName(ctx, tx, f.OfficeID, f.ID, name); err != nil {
			return err
		}
		f.Name = name
		return nil
	})
}

// SetTallyFieldDisabled hides a field from new entry (or shows it again).
// Stored rows stay, so past periods still add up.
func (s *Store) SetTallyFieldDisabled(ctx context.Context, actor Actor, id string, disabled bool) error {
	return s.changeTallyField(ctx, actor, id, func(_ context.Context, _ *sql.Tx, f *TallyField) error {
		f.Disabled = disabled
		return nil
	})
}

func (s *Store) changeTallyField(ctx context.Context, actor Actor, id string, change func(context.Context, *sql.Tx, *TallyField) error) error {
	if err := actor.require(PermSettings); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		self, err := selfOfficeTx(ctx, tx)
		if err != nil {
			return err
		}
		old, err := scanTallyField(tx.QueryRowContext(ctx, `SELECT `+tallyFieldCols+` FROM tally_fields WHERE id = ? AND deleted_at = ''`, id))
		if err != nil {
			return err
		}
		if old.OfficeID != self.ID {
			return ErrForbidden
		}
		f := old
		if err := change(ctx, tx, &f); err != nil {
			return err
		}
		seq, err := nextChange(ctx, tx)
		if err != nil {
			return err
		}
		f.Revision++
		f.UpdatedAt, f.UpdatedBy = s.now(), actor.Name
		dis := 0
		if f.Disabled {
			dis = 1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tally_fields SET name = ?, name_fold = ?, disabled = ?, revision = ?, change_seq = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, f.Name, vn.Fold(f.Name), dis, f.Revision, seq, fmtTime(f.UpdatedAt), f.UpdatedBy, f.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "tally_field", f.ID, old, f)
	})
}
