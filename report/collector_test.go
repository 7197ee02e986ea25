package report

import (
	"bytes"
	"danvan/internal/domain"
	"strings"
	"testing"
	"time"

	"danvan/store"
)

func collectorMeta() Meta {
	m := testMeta()
	m.Office = domain.Office{Code: "TL", Name: "Ban Dân vận Huyện ủy Tân Lạc", Kind: domain.KindHuyen, Role: domain.RoleCollector}
	m.Settings.CollectorName = "Ban Dân vận Tỉnh ủy Hòa Bình"
	return m
}

// districtRollup is the district's 2024 roll-up of domain.md §1: 315
// models, 101 + 184 + 25 + 5, 90 more than the 225 of 2019.
func districtRollup() store.ModelsRollup {
	r := store.ModelsRollup{Year: 2024, Baseline: 2019,
		ByField:     map[domain.Field]int{domain.FieldEconomy: 101, domain.FieldCulture: 184, domain.FieldDefence: 25, domain.FieldPolitical: 5},
		BaseByField: map[domain.Field]int{domain.FieldEconomy: 70, domain.FieldCulture: 130, domain.FieldDefence: 20, domain.FieldPolitical: 5},
		Total:       315, BaseTot: 225, Models: 300, Exemplars: 15}
	r.Units = []store.UnitModels{
		{Office: domain.Office{Code: "MD", Name: "Thị trấn Mãn Đức"}, Now: r.ByField, Base: r.BaseByField, Total: 315, BaseTot: 225},
		{Office: domain.Office{Code: "GM", Name: "Xã Gia Mô"}, Now: map[domain.Field]int{}, Base: map[domain.Field]int{}},
	}
	return r
}

func TestRollupModelsDocument(t *testing.T) {
	for _, by := range []By{ByUnit, ByField} {
		t.Run(string(by), func(t *testing.T) {
			doc, err := RollupModelsDocument(collectorMeta(), districtRollup(), by)
			if err != nil {
				t.Fatal(err)
			}
			_, text := writePDF(t, doc, "rollup-models-"+string(by))
			mustContain(t, text, "315 mô hình", "tăng 90 mô hình", "kinh tế 101", "văn hóa - xã hội 184", "quốc phòng - an ninh 25",
				"xây dựng hệ thống chính trị 5", "+90")
			if by == ByUnit {
				mustContain(t, text, "Thị trấn Mãn Đức", "Xã Gia Mô (chưa có số liệu)")
			}
			var buf bytes.Buffer
			if err := doc.Write(&buf, CSV); err != nil || !strings.Contains(buf.String(), "315") {
				t.Errorf("CSV: %v\n%s", err, buf.String())
			}
		})
	}
	t.Run("no data", func(t *testing.T) {
		doc, err := RollupModelsDocument(collectorMeta(), store.ModelsRollup{Year: 2010, NoData: true}, ByUnit)
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "rollup-models-empty")
		mustContain(t, text, "chưa có số liệu", "Tổng cộng (chưa có số liệu)")
	})
}

func TestRollupTallyDocument(t *testing.T) {
	spec := domain.YearPeriod(2024, 15)
	row := counts(17, 10, 5, 2, 12, 5, 5, 2, 5, 0, 5)
	r := store.TallyRollup{Spec: spec,
		Units: []store.UnitTally{
			{Office: domain.Office{ID: "a", Code: "SH", Name: "Xã Suối Hoa"}, Members: []string{"PC"}, Total: row},
			{Office: domain.Office{ID: "b", Code: "GM", Name: "Xã Gia Mô"}, NoData: true},
		},
		ByField: []store.RollupRow{{FieldName: "Hộ tịch", Counts: row}},
		Total:   row,
		Failures: []store.CheckFinding{{OfficeID: "a", OfficeCode: "SH", Period: "2024-M03", FieldName: "Chứng thực",
			Problem: domain.Problem{Identity: domain.IdentityBalance, Left: 25723, Right: 25813}}},
	}
	for _, by := range []By{ByField, ByUnit} {
		t.Run(string(by), func(t *testing.T) {
			doc, err := RollupTallyDocument(collectorMeta(), r, by)
			if err != nil {
				t.Fatal(err)
			}
			_, text := writePDF(t, doc, "rollup-tally-"+string(by))
			mustContain(t, text, "Xã Suối Hoa, kỳ 2024-M03, lĩnh vực Chứng thực (bản nháp)", "chênh lệch 90 hồ sơ")
			if by == ByUnit {
				mustContain(t, text, "Xã Suối Hoa (gồm cả PC)", "Xã Gia Mô (chưa có số liệu)")
			}
		})
	}
	t.Run("no data", func(t *testing.T) {
		doc, err := RollupTallyDocument(collectorMeta(), store.TallyRollup{Spec: spec, NoData: true}, ByField)
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "rollup-tally-empty")
		mustContain(t, text, "chưa có số liệu", "không có số liệu nào không khớp")
	})
}

func TestCompletenessDocument(t *testing.T) {
	due := time.Date(2024, 3, 18, 0, 0, 0, 0, time.UTC)
	c := store.Completeness{Kind: domain.PeriodQuarter, Year: 2024, Periods: store.PeriodsOfYear(domain.PeriodQuarter, 2024, 15),
		Expected: 4, Received: 2, Closed: 1, OnTime: 1,
		Rows: []store.CompletenessRow{
			{Office: domain.Office{Name: "Xã Suối Hoa"}, Cells: []store.CompletenessCell{{State: store.CellClosed, Timely: store.OnTime, Due: due},
				{State: store.CellDraft, Timely: store.Late}, {State: store.CellMissing, Timely: store.NotDue}, {State: store.CellMerged}}},
			{Office: domain.Office{Name: "Xã Gia Mô"}, Cells: []store.CompletenessCell{{State: store.CellClosed, Timely: store.Late},
				{State: store.CellMissing, Timely: store.Late}, {State: store.CellMissing, Timely: store.NotDue}, {State: store.CellMissing, Timely: store.NotDue}}},
		}}
	doc, err := CompletenessDocument(collectorMeta(), c)
	if err != nil {
		t.Fatal(err)
	}
	_, text := writePDF(t, doc, "completeness")
	mustContain(t, text, "Quý 1", "Quý 4", "Xã Suối Hoa Đ N* — S 1", "Xã Gia Mô M —* — — 1", "đã chốt 1 (25,00%)")
}
