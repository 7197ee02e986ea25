package report

import (
	"danvan/internal/domain"
	"fmt"
	"time"
)

func testMeta() Meta {
	return Meta{
		Office: domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: domain.RoleCommune},
		Settings: domain.Settings{
			CollectorName:   "Ban Dân vận Huyện ủy Tân Lạc",
			ParentBody:      "UBND huyện Tân Lạc",
			PlaceName:       "Suối Hoa",
			SignerAuthority: "TM. Ủy ban nhân dân",
			SignerTitle:     "Chủ tịch",
			SignerName:      "Bùi Văn Minh",
		},
		Date:   time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		Number: 5,
	}
}

// seedPeriod is the district report's range, April 2023 – April 2024.
func seedPeriod() Period {
	return Period{
		Code: "2023-04-15..2024-04-14",
		From: time.Date(2023, 4, 15, 0, 0, 0, 0, time.UTC),
		To:   time.Date(2024, 4, 14, 0, 0, 0, 0, time.UTC),
	}
}

// seedTally is the published example (domain.md §2): received 25.723,
// processed 25.487, in progress 326, late 20. The parts add up; the totals
// do not: 25.487 + 326 = 25.813, 90 more than received.
func seedTally() []TallyRow {
	return []TallyRow{{Field: "Tổng hợp các lĩnh vực", Counts: counts(
		25723, 9000, 16500, 223,
		25487, 20000, 5467, 20,
		326, 300, 26)}}
}

// cleanTally is three fields whose figures satisfy every identity.
func cleanTally() []TallyRow {
	mk := func(field string, online, direct, carried, early, onTime, late, within, overdue int64) TallyRow {
		return TallyRow{Field: field, Counts: counts(
			online+direct+carried, online, direct, carried,
			early+onTime+late, early, onTime, late,
			within+overdue, within, overdue)}
	}
	return []TallyRow{
		mk("Hộ tịch", 400, 600, 34, 500, 490, 4, 38, 2),
		mk("Chứng thực", 50, 120, 0, 100, 70, 0, 0, 0),
		mk("Đất đai", 10, 20, 5, 10, 15, 2, 6, 2),
	}
}

// districtFields are the district's roll-up for 2019–2024: 315 models now,
// 90 more than in 2019.
func districtFields() []FieldCount {
	return []FieldCount{
		{Field: "economy", Now: 101, Base: 70},
		{Field: "culture_society", Now: 184, Base: 130},
		{Field: "defence_security", Now: 25, Base: 20},
		{Field: "political_system", Now: 5, Base: 5},
	}
}

var sampleModels = []ModelItem{
	{Name: "Nuôi cá lồng", Field: "economy", Unit: "Hội Nông dân", Place: "Xóm Bưng", Person: "Bùi Văn Thắng", Year: 2024, Status: "Đang thực hiện"},
	{Name: "Trồng khoai lang", Field: "economy", Unit: "Hội Phụ nữ", Place: "Xóm Mới", Person: "Quách Thị Hoa", Year: 2023, Status: "Được công nhận", Result: "Tốt; cấp xã, QĐ 12/QĐ-UBND"},
	{Name: "Camera an ninh", Field: "defence_security", Unit: "Công an xã", Place: "Toàn xã", Person: "Đinh Công Lực", Year: 2024, Status: "Đang thực hiện"},
	{Name: "Tổ hòa giải", Field: "defence_security", Exemplar: true, Unit: "MTTQ", Place: "Xóm Chiềng", Person: "Bùi Thị Lan", Year: 2022, Status: "Duy trì, nhân rộng"},
	{Name: "Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", Field: "culture_society", Unit: "Hội Phụ nữ", Place: "Toàn xã", Person: "Quách Thị Hoa", Year: 2024, Status: "Đã đăng ký"},
}

// manyModels makes n models spread over the four fields.
func manyModels(n int) []ModelItem {
	out := make([]ModelItem, n)
	for i := range out {
		base := sampleModels[i%len(sampleModels)]
		base.Name = fmt.Sprintf("%s số %d", base.Name, i+1)
		base.Field = modelFields[i%4]
		out[i] = base
	}
	return out
}

// counts makes domain.Counts from the values of columns (3) to (13).
func counts(v ...int64) domain.Counts {
	var c domain.Counts
	for i, n := range v {
		c[3+i] = domain.V(n)
	}
	return c
}
