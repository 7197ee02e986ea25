package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"testing"

	"danvan/store/vn"
)

// modelRecords is what the commune's next batch carries: its models changed
// since change sequence since, read the way an export reads them.
func modelRecords(t *testing.T, s *Store, owner string, since int64) []SyncRecord {
	t.Helper()
	var recs []SyncRecord
	err := s.tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		recs, err = ownedChanged(context.Background(), tx, syncKinds["model"], owner, since, 1<<62)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// checkModelKeys wants every model's stored search keys to be the ones a
// local save would have written for the same row.
func checkModelKeys(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.db.Query(`SELECT ` + modelCols + `, name_fold, search_fold FROM models`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var nameFold, searchFold string
		m, err := scanModel(rowsWithTail{rows, []any{&nameFold, &searchFold}})
		if err != nil {
			t.Fatal(err)
		}
		if want := modelArgs(&m); nameFold != want[len(want)-2] || searchFold != want[len(want)-1] {
			t.Errorf("model %q: keys %q, %q; a local save writes %q, %q", m.Name, nameFold, searchFold, want[len(want)-2], want[len(want)-1])
		}
	}
}

// rowsWithTail scans a model's columns and then the extra columns after them.
type rowsWithTail struct {
	rows *sql.Rows
	tail []any
}

func (r rowsWithTail) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.tail...)...) }

func countQuery(t *testing.T, s *Store, q string) int {
	t.Helper()
	n, err := s.CountModels(context.Background(), ModelFilter{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportedModelsAreSearchable follows models from a commune to its
// collecting office through batches that add, edit and delete them, with
// the search indexes deferred during each import (migration 0011): after
// every import the keys are what a local save writes, both indexes agree
// with the table, and the search box finds exactly the live models.
func TestImportedModelsAreSearchable(t *testing.T) {
	ctx := context.Background()
	commune, office := mustSetUp(t)
	collector := mustOpenStore(t)
	settings := domain.DefaultSettings()
	settings.CollectorName = "Ban Dân vận Tỉnh ủy"
	if _, err := collector.Setup(ctx, SetupInput{
		Office:   domain.Office{Code: "HTL", Name: "Ban Dân vận Huyện ủy Tân Lạc", Kind: domain.KindHuyen, Role: domain.RoleCollector},
		Settings: settings,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := collector.EnrollOffice(ctx, System, Enrollment{Office: office, Keys: []OfficeKey{{KeyID: "0123456789ABCDEF", PublicKey: "k"}}}); err != nil {
		t.Fatal(err)
	}

	fish := validModel()
	other := validModel()
	other.Name, other.Body, other.BodyOther, other.PersonName, other.Location = "Camera an ninh xóm Đồng Tiến", domain.BodyOther, "Chi hội Cựu thanh niên xung phong", "Đinh Thị Hường", "xóm Đồng Tiến"
	road := validModel()
	road.Name, road.Field, road.PersonName = "Đường giao thông nông thôn kiểu mẫu", domain.FieldCulture, "Quách Văn Lợi"
	var saved []domain.Model
	for _, m := range []domain.Model{fish, other, road} {
		got, err := commune.SaveModel(ctx, officer, m)
		if err != nil {
			t.Fatal(err)
		}
		saved = append(saved, got)
	}

	steps := []struct {
		name   string
		change func(t *testing.T)
		dryRun bool
		counts ImportCounts
		want   map[string]int // query → live models it finds
	}{
		{"three new models", func(t *testing.T) {}, false, ImportCounts{New: 3},
			map[string]int{"ca long": 1, "cuu thanh nien": 1, "dong tien": 1, "duong giao": 1, "xom": 3, "quach": 1}},
		{"one renamed, one deleted", func(t *testing.T) {
			m := saved[0]
			m.Name = "Nuôi ong lấy mật"
			if _, err := commune.SaveModel(ctx, officer, m); err != nil {
				t.Fatal(err)
			}
			if err := commune.DeleteModel(ctx, officer, saved[2].ID, saved[2].Revision); err != nil {
				t.Fatal(err)
			}
		}, false, ImportCounts{Updated: 2},
			map[string]int{"ca long": 0, "ong lay mat": 1, "duong giao": 0, "quach": 0, "xom": 2, "cuu thanh nien": 1}},
		{"a dry run changes nothing", func(t *testing.T) {
			m := saved[1]
			m.Name = "Tên chỉ có trong bản xem trước"
			if _, err := commune.SaveModel(ctx, officer, m); err != nil {
				t.Fatal(err)
			}
		}, true, ImportCounts{Updated: 1},
			map[string]int{"xem truoc": 0, "camera": 1}},
	}
	var since int64
	for i, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.change(t)
			recs := modelRecords(t, commune, office.ID, since)
			if err := commune.db.QueryRow(`SELECT value FROM counters WHERE name = 'change'`).Scan(&since); err != nil {
				t.Fatal(err)
			}
			res, err := collector.importOne(ctx, System, batch(office.ID, int64(i+1), recs...), step.dryRun)
			if err != nil {
				t.Fatal(err)
			}
			if res.Counts != step.counts {
				t.Errorf("counts %+v, want %+v", res.Counts, step.counts)
			}
			checkModelKeys(t, collector)
			checkSearchIndex(t, collector)
			for q, want := range step.want {
				if got := countQuery(t, collector, q); got != want {
					t.Errorf("search %q finds %d models, want %d", q, got, want)
				}
			}
			var deferred int
			if err := collector.db.QueryRow(`SELECT count(*) FROM import_defers_index`).Scan(&deferred); err != nil || deferred != 0 {
				t.Errorf("import_defers_index holds %d rows after the import (%v); the triggers would stay off", deferred, err)
			}
		})
	}

	// A local save after the imports is indexed by the triggers again.
	m := validModel()
	m.Name = "Tủ sách pháp luật ở nhà văn hóa"
	if _, err := collector.SaveModel(ctx, officer, m); err != nil {
		t.Fatal(err)
	}
	if got := countQuery(t, collector, "tu sach phap luat"); got != 1 {
		t.Errorf("a model saved after the imports is found %d times, want 1", got)
	}
	checkSearchIndex(t, collector)
}

// TestModelKeysFromFields checks the keys computed from a batch record's
// fields against the ones computed from the stored row, for the values a
// sender may put in a text field.
func TestModelKeysFromFields(t *testing.T) {
	idx := func(name string) int {
		for i, f := range modelSyncFields {
			if f == name {
				return i
			}
		}
		t.Fatalf("no field %q", name)
		return -1
	}
	tests := []struct {
		name          string
		set           map[string]any
		fold, keyWant string
	}{
		{"listed body", map[string]any{"name": "Nuôi Cá Lồng", "person_name": "Bùi Văn Thắng", "location": "xóm Bưa", "body": string(domain.BodyFarmers)},
			"nuoi ca long", "nuoi ca long | bui van thang | xom bua | " + vn.Fold(domain.BodyFarmers.Label())},
		{"other body", map[string]any{"name": "Đèn đường", "person_name": "Hà", "location": "", "body": string(domain.BodyOther), "body_other": "Tổ tự quản"},
			"den duong", "den duong | ha | | to tu quan"},
		{"a number in the name", map[string]any{"name": int64(2024), "person_name": "An", "location": "x", "body": string(domain.BodyOther), "body_other": ""},
			"2024", "2024 | an | x | " + vn.Fold(domain.BodyOther.Label())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := make([]any, len(modelSyncFields))
			for k, v := range tt.set {
				fields[idx(k)] = v
			}
			got := modelKeys(fields)
			if len(got) != 2 || got[0] != tt.fold || got[1] != tt.keyWant {
				t.Errorf("modelKeys = %q, want [%q %q]", got, tt.fold, tt.keyWant)
			}
		})
	}
	if got := modelKeys(make([]any, 3)); got != nil {
		t.Errorf("modelKeys of a short record = %q, want nil", got)
	}
}
