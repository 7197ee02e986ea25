package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var officer = Actor{Name: "canbo", Role: RoleOfficer}

func validModel() domain.Model {
	return domain.Model{
		Kind:       domain.KindModel,
		Name:       "Nuôi cá lồng trên sông Đà",
		Field:      domain.FieldEconomy,
		Year:       2024,
		Body:       domain.BodyFarmers,
		Location:   "xóm Bưa",
		PersonName: "Bùi Văn Thắng",
		Content:    "Hướng dẫn hộ nghèo nuôi cá lồng.",
		Budget:     150_000_000,
	}
}

func TestModelValidate(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(*domain.Model)
		field  string
		code   string
	}{
		{"no name", func(m *domain.Model) { m.Name = " " }, "model_name", "required"},
		{"100 KB name", func(m *domain.Model) { m.Name = strings.Repeat("a", 100_000) }, "model_name", "too_long"},
		{"control char in name", func(m *domain.Model) { m.Name = "cá\x07lồng" }, "model_name", "control_chars"},
		{"no kind", func(m *domain.Model) { m.Kind = "" }, "model_kind", "required"},
		{"bad kind", func(m *domain.Model) { m.Kind = "thing" }, "model_kind", "invalid_choice"},
		{"no field", func(m *domain.Model) { m.Field = "" }, "model_field", "required"},
		{"bad field", func(m *domain.Model) { m.Field = "sport" }, "model_field", "invalid_choice"},
		{"no year", func(m *domain.Model) { m.Year = 0 }, "model_year", "required"},
		{"year 1899", func(m *domain.Model) { m.Year = 1899 }, "model_year", "out_of_range"},
		{"year 20250", func(m *domain.Model) { m.Year = 20250 }, "model_year", "out_of_range"},
		{"year after next", func(m *domain.Model) { m.Year = 2028 }, "model_year", "out_of_range"},
		{"no body", func(m *domain.Model) { m.Body = "" }, "model_body", "required"},
		{"other body without name", func(m *domain.Model) { m.Body = domain.BodyOther }, "model_body_other", "required"},
		{"no person", func(m *domain.Model) { m.PersonName = "" }, "model_person_name", "required"},
		{"no content nor tasks", func(m *domain.Model) { m.Content = "" }, "model_content", "models.content_or_tasks"},
		{"phone letters", func(m *domain.Model) { m.PersonPhone = "09123abc45" }, "model_person_phone", "models.phone"},
		{"phone short", func(m *domain.Model) { m.PersonPhone = "091234" }, "model_person_phone", "models.phone"},
		{"phone 00", func(m *domain.Model) { m.PersonPhone = "0012345678" }, "model_person_phone", "models.phone"},
		{"negative budget", func(m *domain.Model) { m.Budget = -1 }, "model_budget", "models.amount"},
		{"budget 10^15", func(m *domain.Model) { m.Budget = 1_000_000_000_000_000 }, "model_budget", "models.amount"},
		{"negative people", func(m *domain.Model) { m.People = -3 }, "model_people", "models.amount"},
		{"long goals", func(m *domain.Model) { m.Goals = strings.Repeat("x", domain.MaxModelLongText+1) }, "model_goals", "too_long"},
		{"long location", func(m *domain.Model) { m.Location = strings.Repeat("x", domain.MaxModelShortText+1) }, "model_location", "too_long"},
		{"bad status", func(m *domain.Model) { m.Status = "won" }, "model_status", "invalid_choice"},
		{"evaluated without rating", func(m *domain.Model) { m.Status = domain.StatusEvaluated }, "model_rating", "required"},
		{"recognised without decision", func(m *domain.Model) { m.Status = domain.StatusRecognised; m.Level = domain.LevelDistrict }, "model_decision_no", "required"},
		{"discontinued without reason", func(m *domain.Model) { m.Status = domain.StatusDiscontinued }, "model_stop_reason", "required"},
		{"start date 1900", func(m *domain.Model) { m.StartDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }, "model_start_date", "models.date_range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validModel()
			m.Status = domain.StatusRegistered
			tt.change(&m)
			m.Normalize()
			err := m.Validate(now)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a domain.ValidationError", err)
			}
			if fe, ok := ve.For(tt.field); !ok || fe.Code != tt.code {
				t.Errorf("problems = %v, want %s: %s", ve.Fields, tt.field, tt.code)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		for _, phone := range []string{"0912 345 678", "+84 912.345.678", "0218-3861-234", "02183861234"} {
			m := validModel()
			m.Status = domain.StatusRegistered
			m.PersonPhone = phone
			m.Content, m.Tasks = "", "Lập 5 lồng cá" // tasks alone are enough
			m.Normalize()
			if err := m.Validate(now); err != nil {
				t.Errorf("phone %q: %v", phone, err)
			}
		}
	})
}

func TestNormalizeBodyAndPhone(t *testing.T) {
	m := validModel()
	m.Body, m.BodyOther = domain.BodyOther, "hoi phu nu"
	m.PersonPhone = "+84 912-345-678"
	m.Name = norm.NFD.String("  Trồng   bưởi đỏ ")
	m.Content = "dòng 1  \r\ndòng 2\r"
	m.Normalize()
	if m.Body != domain.BodyWomen || m.BodyOther != "" {
		t.Errorf("body = %q/%q, want womens_union", m.Body, m.BodyOther)
	}
	if m.PersonPhone != "0912345678" {
		t.Errorf("phone = %q", m.PersonPhone)
	}
	if m.Name != "Trồng bưởi đỏ" || !norm.NFC.IsNormalString(m.Name) {
		t.Errorf("name = %q", m.Name)
	}
	if m.Content != "dòng 1\ndòng 2" {
		t.Errorf("content = %q", m.Content)
	}
}

func TestSaveModel(t *testing.T) {
	s, self := mustSetUp(t)
	ctx := context.Background()
	in := validModel()
	in.Name = norm.NFD.String("Nuôi dê ở Mãn Đức")
	m, err := s.SaveModel(ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || m.OwnerOfficeID != self.ID || m.Revision != 1 || m.Status != domain.StatusRegistered || m.UpdatedBy != "canbo" {
		t.Errorf("saved = %+v", m)
	}
	got, err := s.Model(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Nuôi dê ở Mãn Đức" {
		t.Errorf("stored name %q is not NFC", got.Name)
	}
	if got.ChangeSeq == 0 || got.CreatedAt.IsZero() {
		t.Errorf("change_seq %d, created %v", got.ChangeSeq, got.CreatedAt)
	}
	var fold string
	s.db.QueryRow(`SELECT name_fold FROM models WHERE id = ?`, m.ID).Scan(&fold)
	if fold != "nuoi de o man duc" {
		t.Errorf("name_fold = %q", fold)
	}

	got.Location = "tiểu khu 3"
	upd, err := s.SaveModel(ctx, officer, got)
	if err != nil {
		t.Fatal(err)
	}
	if upd.Revision != 2 || upd.ChangeSeq <= got.ChangeSeq {
		t.Errorf("after update revision %d change_seq %d", upd.Revision, upd.ChangeSeq)
	}
	// A second save from the stale copy must not overwrite the first.
	got.Location = "khác"
	if _, err := s.SaveModel(ctx, officer, got); !errors.Is(err, ErrConflict) {
		t.Errorf("stale save error = %v, want ErrConflict", err)
	}
	// The form cannot change the status behind the life cycle's back.
	upd.Status = domain.StatusRecognised
	upd2, err := s.SaveModel(ctx, officer, upd)
	if err != nil || upd2.Status != domain.StatusRegistered {
		t.Errorf("status after save = %q, %v", upd2.Status, err)
	}
	if _, err := s.SaveModel(ctx, Actor{Name: "x", Role: "guest"}, validModel()); !errors.Is(err, ErrForbidden) {
		t.Errorf("guest save error = %v", err)
	}
	bad := validModel()
	bad.Year = 1899
	if _, err := s.SaveModel(ctx, officer, bad); err == nil {
		t.Error("saved a model from 1899")
	}
	if n, _ := s.CountModels(ctx, ModelFilter{}); n != 1 {
		t.Errorf("%d models, want 1 (nothing stored from refused saves)", n)
	}
	var audits int
	s.db.QueryRow(`SELECT count(*) FROM audit WHERE entity = 'model'`).Scan(&audits)
	if audits != 3 {
		t.Errorf("%d audit rows, want 3", audits)
	}
}

func TestChangeModelStatus(t *testing.T) {
	on := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		path  []domain.StatusChange
		field string // a validation problem expected on the last step
		code  string
	}{
		{"full life", []domain.StatusChange{
			{To: domain.StatusImplementing, On: on(1)},
			{To: domain.StatusEvaluated, On: on(2), Rating: domain.RatingExcellent},
			{To: domain.StatusRecognised, On: on(3), Level: domain.LevelDistrict, DecisionNo: "12/QĐ-UBND", DecisionDate: on(3)},
			{To: domain.StatusMaintained, On: on(4)},
		}, "", ""},
		{"stop and reactivate", []domain.StatusChange{
			{To: domain.StatusDiscontinued, On: on(1), Reason: "Hộ dân không tham gia"},
			{To: domain.StatusImplementing, On: on(2), Reason: "Có hộ mới đăng ký"},
		}, "", ""},
		{"skip to recognised", []domain.StatusChange{{To: domain.StatusRecognised}}, "", "models.transition"},
		{"evaluated without rating", []domain.StatusChange{{To: domain.StatusImplementing}, {To: domain.StatusEvaluated}}, "model_rating", "required"},
		{"recognised without number", []domain.StatusChange{{To: domain.StatusImplementing}, {To: domain.StatusEvaluated, Rating: domain.RatingGood},
			{To: domain.StatusRecognised, Level: domain.LevelCommune, DecisionDate: on(1)}}, "model_decision_no", "required"},
		{"stop without reason", []domain.StatusChange{{To: domain.StatusDiscontinued}}, "status_reason", "required"},
		{"reactivate without reason", []domain.StatusChange{{To: domain.StatusDiscontinued, Reason: "x"}, {To: domain.StatusImplementing}}, "status_reason", "required"},
		{"future date", []domain.StatusChange{{To: domain.StatusImplementing, On: time.Now().AddDate(0, 0, 3)}}, "status_date", "models.future_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := mustSetUp(t)
			ctx := context.Background()
			m, err := s.SaveModel(ctx, officer, validModel())
			if err != nil {
				t.Fatal(err)
			}
			var last error
			for i, ch := range tt.path {
				next, err := s.ChangeModelStatus(ctx, officer, m.ID, m.Revision, ch)
				if i < len(tt.path)-1 && err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				last = err
				if err == nil {
					m = next
				}
			}
			if tt.code == "" {
				if last != nil {
					t.Fatal(last)
				}
				hist, err := s.ModelHistory(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(hist) != len(tt.path)+1 {
					t.Fatalf("%d history entries, want %d", len(hist), len(tt.path)+1)
				}
				for i, ch := range tt.path {
					if e := hist[i+1]; e.To != ch.To || !e.On.Equal(ch.On) || e.RecordedBy != "canbo" {
						t.Errorf("history[%d] = %+v, want to %s on %v", i+1, e, ch.To, ch.On)
					}
				}
				if m.Status != tt.path[len(tt.path)-1].To {
					t.Errorf("status = %s", m.Status)
				}
				return
			}
			if tt.field == "" {
				var c domain.Coded
				if !errors.As(last, &c) {
					t.Fatalf("error = %v, want %s", last, tt.code)
				}
				if code, _ := c.MessageCode(); code != tt.code {
					t.Errorf("code = %s, want %s", code, tt.code)
				}
				return
			}
			var ve *domain.ValidationError
			if !errors.As(last, &ve) {
				t.Fatalf("error = %v, want a domain.ValidationError", last)
			}
			if fe, ok := ve.For(tt.field); !ok || fe.Code != tt.code {
				t.Errorf("problems = %v, want %s: %s", ve.Fields, tt.field, tt.code)
			}
			got, _ := s.Model(ctx, m.ID)
			if got.Revision != m.Revision {
				t.Error("a refused change was stored")
			}
		})
	}
}

func TestDeleteModelKeepsTombstone(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	m, _ := s.SaveModel(ctx, officer, validModel())
	if err := s.DeleteModel(ctx, officer, m.ID, m.Revision+5); !errors.Is(err, ErrConflict) {
		t.Errorf("stale delete error = %v", err)
	}
	if err := s.DeleteModel(ctx, officer, m.ID, m.Revision); err != nil {
		t.Fatal(err)
	}
	got, err := s.Model(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Deleted() || got.Revision != m.Revision+1 || got.ChangeSeq <= m.ChangeSeq {
		t.Errorf("tombstone = deleted %v revision %d seq %d", got.Deleted(), got.Revision, got.ChangeSeq)
	}
	if n, _ := s.CountModels(ctx, ModelFilter{}); n != 0 {
		t.Errorf("deleted model still listed (%d)", n)
	}
	if _, err := s.SaveModel(ctx, officer, got); !errors.Is(err, ErrNotFound) {
		t.Errorf("editing a deleted model: %v", err)
	}
}

func TestSearchModels(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	add := func(name string, f domain.Field, year int, kind domain.ModelKind, body domain.Body, loc string) domain.Model {
		m := validModel()
		m.Name, m.Field, m.Year, m.Kind, m.Body, m.Location = name, f, year, kind, body, loc
		out, err := s.SaveModel(ctx, officer, m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	add("Nuôi cá lồng", domain.FieldEconomy, 2024, domain.KindModel, domain.BodyFarmers, "xã Suối Hoa")
	add("Trồng khoai lang", domain.FieldEconomy, 2023, domain.KindModel, domain.BodyWomen, "xã Phú Cường")
	add("Camera an ninh", domain.FieldDefence, 2024, domain.KindModel, domain.BodyPolice, "Đông Lai")
	add("Tổ hòa giải", domain.FieldDefence, 2022, domain.KindExemplar, domain.BodyFront, "Đông Lai")
	add("Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", domain.FieldCulture, 2024, domain.KindModel, domain.BodyWomen, "")

	tests := []struct {
		name string
		f    ModelFilter
		want []string
	}{
		{"no diacritics", ModelFilter{Query: "suoi hoa"}, []string{"Nuôi cá lồng"}},
		{"with diacritics and case", ModelFilter{Query: "SUỐI hoa"}, []string{"Nuôi cá lồng"}},
		{"đ as d", ModelFilter{Query: "dong lai"}, []string{"Camera an ninh", "Tổ hòa giải"}},
		{"person", ModelFilter{Query: "thang"}, []string{"Camera an ninh", "Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", "Nuôi cá lồng", "Trồng khoai lang", "Tổ hòa giải"}},
		{"field", ModelFilter{Field: domain.FieldDefence}, []string{"Camera an ninh", "Tổ hòa giải"}},
		{"year", ModelFilter{Year: 2023}, []string{"Trồng khoai lang"}},
		{"kind", ModelFilter{Kind: domain.KindExemplar}, []string{"Tổ hòa giải"}},
		{"body", ModelFilter{Body: domain.BodyWomen}, []string{"Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", "Trồng khoai lang"}},
		{"body by name", ModelFilter{Query: "hoi phu nu"}, []string{"Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", "Trồng khoai lang"}},
		{"query and field", ModelFilter{Query: "lai", Field: domain.FieldEconomy}, nil},
		{"status", ModelFilter{Status: domain.StatusImplementing}, nil},
		{"page", ModelFilter{Limit: 2, Offset: 1}, []string{"Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", "Nuôi cá lồng"}},
		{"percent is literal", ModelFilter{Query: "%"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchModels(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, m := range got {
				names = append(names, m.Name)
			}
			if strings.Join(names, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", names, tt.want)
			}
			if tt.f.Limit == 0 {
				if n, _ := s.CountModels(ctx, tt.f); n != len(tt.want) {
					t.Errorf("count = %d, want %d", n, len(tt.want))
				}
			}
		})
	}
	c, err := s.CountModelsByField(ctx, ModelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ByField[domain.FieldEconomy] != 2 || c.ByField[domain.FieldDefence] != 2 || c.ByField[domain.FieldCulture] != 1 || c.ByField[domain.FieldPolitical] != 0 || c.Total != 5 {
		t.Errorf("counts = %+v", c)
	}
	years, _ := s.ModelYears(ctx)
	if len(years) != 3 || years[0] != 2024 {
		t.Errorf("years = %v", years)
	}
}

func TestSimilarModels(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	base := validModel()
	base.Name = "Trồng bưởi đỏ"
	a, _ := s.SaveModel(ctx, officer, base)
	stopped := validModel()
	stopped.Name = "Nuôi dê"
	st, _ := s.SaveModel(ctx, officer, stopped)
	if _, err := s.ChangeModelStatus(ctx, officer, st.ID, st.Revision, domain.StatusChange{To: domain.StatusDiscontinued, Reason: "x"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		field domain.Field
		want  string
	}{
		{"trong buoi do", domain.FieldEconomy, a.ID},
		{"Trồng bưởi đỏ Thanh Hối", domain.FieldEconomy, a.ID},
		{"Trồng bưởi đỏ", domain.FieldCulture, ""},
		{"Trồng mía tím", domain.FieldEconomy, ""},
		{"nuôi dê", domain.FieldEconomy, ""}, // discontinued models do not count
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validModel()
			m.Name, m.Field = tt.name, tt.field
			got, err := s.SimilarModels(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("got %v, want none", got[0].Name)
			case tt.want != "" && (len(got) != 1 || got[0].ID != tt.want):
				t.Errorf("got %d similar, want %s", len(got), tt.want)
			}
		})
	}
	// A model is not similar to itself.
	if got, _ := s.SimilarModels(ctx, a); len(got) != 0 {
		t.Errorf("%s is similar to itself", a.Name)
	}
}

// Year 0 and -1 in a spreadsheet are out of range, not "required" or "not
// a whole number".
func TestImportYearZeroOrNegative(t *testing.T) {
	s, _ := mustSetUp(t)
	header := []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColPerson, domain.ColContent}
	for _, y := range []string{"0", "-1"} {
		res, err := s.ImportModels(context.Background(), System, header, [][]string{{"Mô hình", "Nuôi ong", "Kinh tế", y, "UBND", "Lò Văn Thắng", "Nội dung"}}, nil, ModelImportOptions{DryRun: true})
		if err != nil && !errors.Is(err, ErrImportInvalid) {
			t.Fatal(err)
		}
		found := false
		for _, p := range res.Problems {
			if p.Column == domain.ColYear {
				found = true
				if p.Code != "out_of_range" {
					t.Errorf("year %s: %s, want out_of_range", y, p.Code)
				}
			}
		}
		if !found {
			t.Errorf("year %s: no problem with the year: %+v", y, res.Problems)
		}
	}
}

// A list opened and saved in a spreadsheet comes back with its phone
// numbers' leading zero dropped and its years cut to two digits: the
// import reads them back, and says so.
func TestImportRepairsWhatSpreadsheetsDo(t *testing.T) {
	s, _ := mustSetUp(t)
	s.Now = func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }
	header := []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColPerson, domain.ColPhone, domain.ColContent, domain.ColStart}
	rows := [][]string{{"Mô hình", "Nuôi ong", "Kinh tế", "2024", "UBND", "Lò Văn Thắng", "989001103", "Nội dung", "10/06/24"}}
	res, err := s.ImportModels(context.Background(), System, header, rows, nil, ModelImportOptions{})
	if err != nil {
		t.Fatalf("%v %+v", err, res.Problems)
	}
	if len(res.Repaired) != 2 || res.Repaired[0].To != "0989001103" || res.Repaired[1].To != "10/06/2024" {
		t.Fatalf("repaired %+v", res.Repaired)
	}
	ms, err := s.ModelsForPrint(context.Background(), "")
	if err != nil || len(ms) != 1 {
		t.Fatal(err, len(ms))
	}
	m, err := s.Model(context.Background(), ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.PersonPhone != "0989001103" || m.StartDate.Format("02/01/2006") != "10/06/2024" {
		t.Errorf("stored %q %v", m.PersonPhone, m.StartDate)
	}
}

// Only what a spreadsheet predictably did is taken back: a number that
// lost its 0, mobile (9 digits) or landline 02x (10 digits starting 2).
func TestPhoneRepairOnlyWhenUnambiguous(t *testing.T) {
	var phone *modelColumn
	for i := range modelColumns {
		if modelColumns[i].field == "model_person_phone" {
			phone = &modelColumns[i]
		}
	}
	if phone == nil {
		t.Fatal("no phone column")
	}
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		cell, want string
		repaired   bool
	}{
		{"989001103", "0989001103", true},
		{"2123856123", "02123856123", true}, // landline 0212 385 6123
		{"0989001103", "", false},           // already right
		{"3123856123", "", false},           // ten digits not 2…: not a known shape
		{"89001103", "", false},             // eight digits: too short to guess
		{"989-001-103", "", false},          // typed, not a spreadsheet's number
		{"02123856123", "", false},
	} {
		got, code, ok := spreadsheetRepair(phone, tc.cell, now)
		if ok != tc.repaired || got != tc.want || ok && code != "models.repair_phone" {
			t.Errorf("%q → %q %q %v, want %q %v", tc.cell, got, code, ok, tc.want, tc.repaired)
		}
	}
}
