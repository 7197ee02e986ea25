package report

import (
	"context"
	"danvan/internal/domain"
	"path/filepath"
	"testing"
	"time"

	"danvan/store"
)

// saveModels stores a few models over the years: one from 2019 still
// running, one of 2024, an exemplar of 2022, and one discontinued in 2023.
func saveModels(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	models := []domain.Model{
		{Kind: domain.KindModel, Name: "Nuôi cá lồng", Field: domain.FieldEconomy, Year: 2019, Body: domain.BodyFarmers, Location: "Xóm Bưng", PersonName: "Bùi Văn Thắng", Content: "Nuôi cá lồng trên hồ", Tasks: "Hướng dẫn kỹ thuật"},
		{Kind: domain.KindModel, Name: "Trồng khoai lang", Field: domain.FieldEconomy, Year: 2024, Body: domain.BodyWomen, Location: "Xóm Mới", PersonName: "Quách Thị Hoa", Content: "Trồng khoai lang", Tasks: "Chọn giống"},
		{Kind: domain.KindExemplar, Name: "Tổ hòa giải xóm Chiềng", Field: domain.FieldDefence, Year: 2022, Body: domain.BodyFront, Location: "Xóm Chiềng", PersonName: "Bùi Thị Lan", Content: "Hòa giải", Tasks: "Họp tổ"},
		{Kind: domain.KindModel, Name: "Camera an ninh xóm Bưng", Field: domain.FieldDefence, Year: 2020, Body: domain.BodyPolice, Location: "Xóm Bưng", PersonName: "Đinh Công Lực", Content: "Lắp camera", Tasks: "Trực camera"},
	}
	for _, md := range models {
		saved, err := st.SaveModel(ctx, store.System, md)
		if err != nil {
			t.Fatalf("SaveModel %s: %v", md.Name, err)
		}
		if md.Year == 2020 {
			ch := domain.StatusChange{To: domain.StatusDiscontinued, On: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), Reason: "Hỏng thiết bị"}
			if _, err := st.ChangeModelStatus(ctx, store.System, saved.ID, saved.Revision, ch); err != nil {
				t.Fatalf("discontinue: %v", err)
			}
		}
	}
}

func TestBuildModelsAndSummaryFromStore(t *testing.T) {
	st := setUpStore(t)
	saveModels(t, st)
	saveSeedTally(t, st)
	ctx := context.Background()
	date := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	t.Run("summary", func(t *testing.T) {
		doc, err := Build(ctx, st, Request{Kind: KindSummary, Period: "2024-Y", Baseline: 2019, Number: 12, Date: date})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "store-summary")
		mustContain(t, text, "Số: 12/BC-UBND", "Suối Hoa, ngày 05 tháng 01 năm 2026",
			"Kỳ báo cáo: Năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)",
			"đã tiếp nhận 25.723 hồ sơ", "99,08% (*)", "chiếm 0,08%", "chênh lệch 90 hồ sơ",
			"Năm 2024, toàn xã có 3 mô hình, điển hình “Dân vận khéo” (2 mô hình, 1 điển hình), trong đó lĩnh vực kinh tế 2, văn hóa - xã hội 0, quốc phòng - an ninh 1",
			"So với năm 2019 (1 mô hình, điển hình), tăng 2",
			"TM. ỦY BAN NHÂN DÂN", "Bùi Văn Minh")
	})
	t.Run("models of 2024", func(t *testing.T) {
		doc, err := Build(ctx, st, Request{Kind: KindModels, Period: "2024", Date: date})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "store-models")
		mustContain(t, text, "Số: /DS-UBND", "Nuôi cá lồng", "Trồng khoai lang", "Tổ hòa giải xóm Chiềng",
			"Tổng cộng (2 mô hình, 1 điển hình)")
		mustLack(t, text, "Camera an ninh xóm Bưng")
		for _, f := range []Format{XLSX, CSV} {
			if err := doc.WriteFile(filepath.Join(t.TempDir(), "m."+string(f)), f); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	})
	t.Run("models of 2020 keep the one discontinued later", func(t *testing.T) {
		doc, err := Build(ctx, st, Request{Kind: KindModels, Period: "2020-Y", Date: date})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "store-models-2020")
		mustContain(t, text, "Nuôi cá lồng", "Camera an ninh xóm Bưng", "Tổng cộng (2 mô hình, 0 điển hình)")
	})
	t.Run("no models in 2010", func(t *testing.T) {
		var nd *NoDataError
		if _, err := Build(ctx, st, Request{Kind: KindModels, Period: "2010"}); !asErr(err, &nd) {
			t.Errorf("err = %v, want NoDataError", err)
		}
	})
}
