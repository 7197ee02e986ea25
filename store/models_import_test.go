package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// contractHeader is CLI.md's "Models" header, in its order.
var contractHeader = []string{domain.ColID, domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColLocation, domain.ColPerson, domain.ColTitle, domain.ColPhone,
	domain.ColContent, domain.ColGoals, domain.ColForceTakePart, domain.ColBudget, domain.ColStart, domain.ColStatus, domain.ColRating, domain.ColLevel, domain.ColDecisionNo, domain.ColDecisionDate, domain.ColNote}

func row(kv map[string]string) []string {
	base := map[string]string{
		domain.ColKind: "Mô hình", domain.ColName: "Nuôi cá lồng", domain.ColField: "Kinh tế", domain.ColYear: "2024", domain.ColBody: "Hội Nông dân",
		domain.ColPerson: "Bùi Văn Thắng", domain.ColContent: "Nuôi cá", domain.ColBudget: "1.500.000", domain.ColStart: "05/01/2024",
	}
	for k, v := range kv {
		base[k] = v
	}
	out := make([]string, len(contractHeader))
	for i, h := range contractHeader {
		out[i] = base[h]
	}
	return out
}

func TestModelHeaderHoldsTheContract(t *testing.T) {
	h := ModelHeader()
	if !slices.Equal(h[:len(contractHeader)], contractHeader) {
		t.Errorf("export header starts %q, want CLI.md's %q", h[:len(contractHeader)], contractHeader)
	}
}

func TestImportBadInput(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		rows   [][]string
		line   int
		column string
		code   string
	}{
		{"missing name", contractHeader, [][]string{row(map[string]string{domain.ColName: ""})}, 2, domain.ColName, "required"},
		{"unknown field", contractHeader, [][]string{row(map[string]string{domain.ColField: "Thể thao"})}, 2, domain.ColField, "models.unknown_value"},
		{"unknown status", contractHeader, [][]string{row(map[string]string{domain.ColStatus: "Thắng lợi"})}, 2, domain.ColStatus, "models.unknown_value"},
		{"year 1899", contractHeader, [][]string{row(map[string]string{domain.ColYear: "1899"})}, 2, domain.ColYear, "out_of_range"},
		{"year 20250", contractHeader, [][]string{row(map[string]string{domain.ColYear: "20250"})}, 2, domain.ColYear, "out_of_range"},
		{"year text", contractHeader, [][]string{row(map[string]string{domain.ColYear: "năm nay"})}, 2, domain.ColYear, "models.not_number"},
		{"negative budget", contractHeader, [][]string{row(map[string]string{domain.ColBudget: "-5"})}, 2, domain.ColBudget, "models.amount"},
		{"budget 10^15", contractHeader, [][]string{row(map[string]string{domain.ColBudget: "1000000000000000"})}, 2, domain.ColBudget, "models.amount"},
		{"100 KB name", contractHeader, [][]string{row(map[string]string{domain.ColName: strings.Repeat("ă", 100_000)})}, 2, domain.ColName, "too_long"},
		{"control characters", contractHeader, [][]string{row(map[string]string{domain.ColPerson: "Bùi\x00Thắng"})}, 2, domain.ColPerson, "control_chars"},
		{"bad date", contractHeader, [][]string{row(map[string]string{domain.ColStart: "31/02/2024"})}, 2, domain.ColStart, "models.not_date"},
		{"bad phone", contractHeader, [][]string{row(map[string]string{domain.ColPhone: "12345"})}, 2, domain.ColPhone, "models.phone"},
		{"bad Mã", contractHeader, [][]string{row(map[string]string{domain.ColID: "abc"})}, 2, domain.ColID, "models.bad_id"},
		{"missing column", []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody}, [][]string{{"Mô hình", "x", "Kinh tế", "2024", "UBND"}}, 1, domain.ColPerson, "models.missing_column"},
		{"duplicate Mã", contractHeader, [][]string{
			row(map[string]string{domain.ColID: "0b8e6f5e-3f57-4d0a-9c55-0d0c1ce2a001", domain.ColName: "A"}),
			row(map[string]string{domain.ColID: "0b8e6f5e-3f57-4d0a-9c55-0d0c1ce2a001", domain.ColName: "B"}),
		}, 3, domain.ColID, "models.dup_id"},
		{"duplicate row", contractHeader, [][]string{row(nil), row(map[string]string{domain.ColName: "nuoi ca long"})}, 3, domain.ColName, "models.dup_row"},
		{"recognised without decision", contractHeader, [][]string{row(map[string]string{domain.ColStatus: "Được công nhận", domain.ColLevel: "Huyện"})}, 2, domain.ColDecisionNo, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := mustSetUp(t)
			ctx := context.Background()
			good := row(map[string]string{domain.ColName: "Một mô hình hợp lệ khác"})
			rows := append([][]string{}, tt.rows...)
			rows = append(rows, good)
			res, err := s.ImportModels(ctx, officer, tt.header, rows, nil, ModelImportOptions{})
			if !errors.Is(err, ErrImportInvalid) {
				t.Fatalf("error = %v, want ErrImportInvalid", err)
			}
			found := false
			for _, p := range res.Problems {
				if p.Line == tt.line && p.Column == tt.column && p.Code == tt.code {
					found = true
				}
			}
			if !found {
				t.Errorf("problems = %+v, want line %d %s: %s", res.Problems, tt.line, tt.column, tt.code)
			}
			if n, _ := s.CountModels(ctx, ModelFilter{}); n != 0 || res.Stored {
				t.Errorf("%d models stored from a file with problems", n)
			}
		})
	}
}

func TestImportSkipInvalidAndDryRun(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	rows := [][]string{row(nil), row(map[string]string{domain.ColYear: "1899", domain.ColName: "Sai"}), row(map[string]string{domain.ColName: "Trồng mía tím"})}
	res, err := s.ImportModels(ctx, officer, contractHeader, rows, []int{2, 3, 5}, ModelImportOptions{DryRun: true, SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || len(res.Rejected) != 1 || res.Rejected[0] != 1 || res.Problems[0].Line != 3 || res.Stored {
		t.Errorf("dry run result = %+v", res)
	}
	if n, _ := s.CountModels(ctx, ModelFilter{}); n != 0 {
		t.Fatalf("dry run stored %d models", n)
	}
	res, err = s.ImportModels(ctx, officer, contractHeader, rows, []int{2, 3, 5}, ModelImportOptions{SkipInvalid: true})
	if err != nil || res.Created != 2 || !res.Stored {
		t.Fatalf("import = %+v, %v", res, err)
	}
	if n, _ := s.CountModels(ctx, ModelFilter{}); n != 2 {
		t.Errorf("%d models stored, want 2", n)
	}
}

func TestImportMatchesAndRoundTrips(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	nfd := norm.NFD.String("Trồng bưởi đỏ Thanh Hối")
	rows := [][]string{
		row(map[string]string{domain.ColName: nfd, domain.ColField: "van hoa – xa hoi", domain.ColKind: "exemplar", domain.ColBody: "Câu lạc bộ hưu trí", domain.ColPhone: "+84 912 345 678"}),
		row(map[string]string{domain.ColName: "Camera an ninh", domain.ColField: "Defence - Security", domain.ColStatus: "dừng thực hiện", domain.ColNote: "Hỏng camera"}),
		row(map[string]string{domain.ColName: "Tổ hòa giải", domain.ColStatus: "Được công nhận", domain.ColRating: "Tốt", domain.ColLevel: "cấp huyện",
			domain.ColDecisionNo: "12/QĐ-UBND", domain.ColDecisionDate: "2024-03-09"}),
	}
	rows[1] = append(rows[1][:len(contractHeader)], "")
	h := append(slices.Clone(contractHeader), domain.ColStopReason)
	for i := range rows {
		if len(rows[i]) < len(h) {
			rows[i] = append(rows[i], "")
		}
	}
	rows[1][len(h)-1] = "Hỏng thiết bị"
	res, err := s.ImportModels(ctx, officer, h, rows, nil, ModelImportOptions{})
	if err != nil {
		t.Fatalf("import: %v %+v", err, res.Problems)
	}
	if res.Created != 3 {
		t.Fatalf("created %d", res.Created)
	}
	all, _ := s.SearchModels(ctx, ModelFilter{})
	byName := map[string]domain.Model{}
	for _, m := range all {
		byName[m.Name] = m
	}
	b, ok := byName["Trồng bưởi đỏ Thanh Hối"]
	if !ok {
		t.Fatalf("NFD name not stored as NFC: %d models", len(all))
	}
	if b.Field != domain.FieldCulture || b.Kind != domain.KindExemplar || b.Body != domain.BodyOther || b.BodyOther != "Câu lạc bộ hưu trí" || b.PersonPhone != "0912345678" {
		t.Errorf("parsed = %+v", b)
	}
	if c := byName["Camera an ninh"]; c.Status != domain.StatusDiscontinued || c.StopReason != "Hỏng thiết bị" {
		t.Errorf("camera = %s %q", c.Status, c.StopReason)
	}
	if r := byName["Tổ hòa giải"]; r.Level != domain.LevelDistrict || r.DecisionDate.Format("02/01/2006") != "09/03/2024" {
		t.Errorf("recognised = %+v", r)
	}

	// The same file again, and the export of what was stored, change nothing.
	res, err = s.ImportModels(ctx, officer, h, rows, nil, ModelImportOptions{})
	if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != 3 {
		t.Errorf("re-import = %+v, %v", res, err)
	}
	export := func(st *Store) [][]string {
		ms, _ := st.SearchModels(ctx, ModelFilter{})
		var out [][]string
		for i := range ms {
			out = append(out, ModelRecord(&ms[i]))
		}
		return out
	}
	first := export(s)
	res, err = s.ImportModels(ctx, officer, ModelHeader(), first, nil, ModelImportOptions{})
	if err != nil || res.Unchanged != 3 || res.Created+res.Updated != 0 {
		t.Errorf("import of own export = %+v, %v", res, err)
	}
	// Into a fresh office the export arrives whole, Mã included.
	s2, _ := mustSetUp(t)
	if _, err := s2.ImportModels(ctx, officer, ModelHeader(), first, nil, ModelImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if second := export(s2); !slices.EqualFunc(first, second, slices.Equal) {
		t.Errorf("round trip changed the data:\n%q\n%q", first, second)
	}

	// An edited row updates its model and records the status move.
	edited := slices.Clone(first)
	for i, r := range edited {
		if r[2] == "Tổ hòa giải" {
			edited[i] = slices.Clone(r)
			edited[i][15] = "Duy trì, nhân rộng"
		}
	}
	res, err = s.ImportModels(ctx, officer, ModelHeader(), edited, nil, ModelImportOptions{})
	if err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("edit import = %+v, %v", res, err)
	}
	m := byName["Tổ hòa giải"]
	hist, _ := s.ModelHistory(ctx, m.ID)
	if len(hist) != 2 || hist[1].From != domain.StatusRecognised || hist[1].To != domain.StatusMaintained {
		t.Errorf("history = %+v", hist)
	}
	// A discontinued model cannot be revived from a file.
	for i, r := range edited {
		if r[2] == "Camera an ninh" {
			edited[i] = slices.Clone(r)
			edited[i][15] = "Đang thực hiện"
		}
	}
	if _, err := s.ImportModels(ctx, officer, ModelHeader(), edited, nil, ModelImportOptions{}); !errors.Is(err, ErrImportInvalid) {
		t.Errorf("reviving by import: %v", err)
	}
}

// TestImportSeedDistrict is the "done when": 315 models, 101 kinh
// tế, 184 văn hóa - xã hội, 25 quốc phòng - an ninh, 5 xây dựng hệ thống
// chính trị.
func TestImportSeedDistrict(t *testing.T) {
	s, _ := mustSetUp(t)
	ctx := context.Background()
	rows := SeedDistrictRows()
	res, err := s.ImportModels(ctx, officer, contractHeader, rows, nil, ModelImportOptions{})
	if err != nil {
		t.Fatalf("%v %+v", err, res.Problems)
	}
	c, _ := s.CountModelsByField(ctx, ModelFilter{})
	if c.ByField[domain.FieldEconomy] != 101 || c.ByField[domain.FieldCulture] != 184 || c.ByField[domain.FieldDefence] != 25 || c.ByField[domain.FieldPolitical] != 5 || c.Total != 315 {
		t.Errorf("counts = %+v", c)
	}
}

// SeedDistrictRows builds the seed district's 315 models as rows of the
// contract header.
func SeedDistrictRows() [][]string {
	fields := []struct {
		label string
		n     int
	}{{"Kinh tế", 101}, {"Văn hóa - Xã hội", 184}, {"Quốc phòng - An ninh", 25}, {"Xây dựng hệ thống chính trị", 5}}
	units := []string{"Mãn Đức", "Suối Hoa", "Phú Vinh", "Phú Cường", "Mỹ Hòa", "Quyết Chiến", "Phong Phú", "Tử Nê"}
	var rows [][]string
	for _, f := range fields {
		for i := 0; i < f.n; i++ {
			rows = append(rows, row(map[string]string{
				domain.ColName:  fmt.Sprintf("%s số %d %s", f.label, i+1, units[i%len(units)]),
				domain.ColField: f.label,
				domain.ColYear:  fmt.Sprint(2019 + i%6),
			}))
		}
	}
	return rows
}

// FuzzImportModels feeds random cells through the whole import. It must not
// panic, must store nothing from a file with problems, and what it stores
// must export and import again unchanged.
func FuzzImportModels(f *testing.F) {
	f.Add("Mô hình", "Nuôi cá", "Kinh tế", "2024", "UBND", "A", "1.000", "05/01/2024", "Đã đăng ký", "0912345678")
	f.Add("dien hinh", "x\x00", "sport", "1899", "", "", "-1", "31/02/2024", "??", "abc")
	f.Add("Model", "Tổ hòa giải", "defence - security", "2025", "Khác", "Lò Văn A", "10^15", "2024-01-01", "Dừng thực hiện", "")
	s, _ := mustSetUp(f)
	ctx := context.Background()
	h := []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColPerson, domain.ColBudget, domain.ColStart, domain.ColStatus, domain.ColPhone, domain.ColContent}
	f.Fuzz(func(t *testing.T, kind, name, field, year, body, person, budget, start, status, phone string) {
		rows := [][]string{{kind, name, field, year, body, person, budget, start, status, phone, "Nội dung"}}
		before, _ := s.CountModels(ctx, ModelFilter{})
		res, err := s.ImportModels(ctx, officer, h, rows, nil, ModelImportOptions{})
		after, _ := s.CountModels(ctx, ModelFilter{})
		if err != nil {
			if after != before {
				t.Fatalf("a refused import changed the count %d → %d", before, after)
			}
			if !errors.Is(err, ErrImportInvalid) || len(res.Problems) == 0 {
				t.Fatalf("error %v without problems", err)
			}
			return
		}
		ms, _ := s.SearchModels(ctx, ModelFilter{})
		var recs [][]string
		for i := range ms {
			recs = append(recs, ModelRecord(&ms[i]))
		}
		res, err = s.ImportModels(ctx, officer, ModelHeader(), recs, nil, ModelImportOptions{})
		if err != nil || res.Created+res.Updated != 0 {
			t.Fatalf("re-import of the export: %+v %v", res, err)
		}
	})
}

func TestImportReadsGroupedYear(t *testing.T) {
	s, _ := mustSetUp(t)
	header := []string{domain.ColKind, domain.ColName, domain.ColField, domain.ColYear, domain.ColBody, domain.ColPerson, domain.ColContent}
	rows := [][]string{{"Mô hình", "Nuôi ong", "Kinh tế", "2.024", "UBND", "Lò Văn Thắng", "Nội dung"}}
	res, err := s.ImportModels(context.Background(), System, header, rows, nil, ModelImportOptions{})
	if err != nil || res.Created != 1 {
		t.Fatalf("%v %+v", err, res.Problems)
	}
	ms, _ := s.SearchModels(context.Background(), ModelFilter{})
	if len(ms) != 1 || ms[0].Year != 2024 {
		t.Fatalf("stored %+v", ms)
	}
}
