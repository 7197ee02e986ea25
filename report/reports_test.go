package report

import (
	"errors"
	"strings"
	"testing"
)

func TestModelsDocument(t *testing.T) {
	doc, err := ModelsDocument(testMeta(), ModelList{Year: 2024, Items: sampleModels})
	if err != nil {
		t.Fatal(err)
	}
	_, text := writePDF(t, doc, "models")
	mustContain(t, text,
		"Số: 05/DS-UBND",
		"DANH SÁCH",
		"Mô hình, điển hình “Dân vận khéo” năm 2024",
		"I. LĨNH VỰC KINH TẾ",
		"Nuôi cá lồng",
		"Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật",
		"Cộng lĩnh vực kinh tế",
		"2 mô hình, 0 điển hình",
		"Tổng cộng",
		"4 mô hình, 1 điển hình",
	)
	// Fields print in the fixed order, whatever the input order.
	flat := squash(text)
	if strings.Index(flat, "LĨNH VỰC KINH TẾ") > strings.Index(flat, "LĨNH VỰC VĂN HÓA - XÃ HỘI") {
		t.Errorf("fields out of order")
	}
}

func TestTallyDocument(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		doc, err := TallyDocument(testMeta(), TallyInput{Period: Period{Code: "2025-Y", From: date(2024, 12, 15), To: date(2025, 12, 14)}, Rows: cleanTally()})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "tally-clean")
		mustContain(t, text, "Biểu số 06/VPCP/KSTT", "Kỳ báo cáo: Năm 2025 (từ ngày 15/12/2024 đến ngày 14/12/2025)",
			"Hộ tịch", "1.034", "(13)", "Tổng cộng", "1.239", "Số hồ sơ nhận giải quyết")
		if strings.Contains(text, "(*)") {
			t.Errorf("clean figures are marked as failing")
		}
	})
	t.Run("seed mismatch", func(t *testing.T) {
		doc, err := TallyDocument(testMeta(), TallyInput{Period: seedPeriod(), Rows: seedTally()})
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "tally-seed")
		mustContain(t, text, "25.723 (*)", "25.487 (*)", "326 (*)",
			"tổng số nhận (3) = 25.723 nhưng đã giải quyết (7) + đang giải quyết (11) = 25.813, chênh lệch 90 hồ sơ",
			"0,08%", "99,08%", "Kỳ báo cáo: từ ngày 15/04/2023 đến ngày 14/04/2024")
	})
}

func TestSummaryDocument(t *testing.T) {
	t.Run("seed figures are flagged", func(t *testing.T) {
		in := SummaryInput{Period: seedPeriod(), Tally: seedTally(), Year: 2024, Baseline: 2019, Fields: districtFields(), Models: 300, Exemplars: 15}
		doc, err := SummaryDocument(testMeta(), in)
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "summary-seed")
		mustContain(t, text,
			"Số: 05/BC-UBND",
			"Trong kỳ, toàn xã đã tiếp nhận 25.723 hồ sơ",
			"đã giải quyết 25.487 hồ sơ, đạt 99,08% (*) số hồ sơ tiếp nhận",
			"số hồ sơ giải quyết quá hạn là 20, chiếm 0,08% số hồ sơ đã giải quyết",
			"III. SỐ LIỆU CẦN KIỂM TRA LẠI",
			"chênh lệch 90 hồ sơ",
			"Năm 2024, toàn xã có 315 mô hình, điển hình",
			"So với năm 2019 (225 mô hình, điển hình), tăng 90",
			"+54",
		)
		if strings.Contains(text, "0,01%") {
			t.Errorf("the late share is the published 0,01%%, not the computed 0,08%%")
		}
	})
	t.Run("clean figures", func(t *testing.T) {
		in := SummaryInput{Period: Period{Code: "2025-Q1", From: date(2024, 12, 15), To: date(2025, 3, 14)}, Tally: cleanTally(), Year: 2025, Fields: districtFields(), Models: 300, Exemplars: 15}
		doc, err := SummaryDocument(testMeta(), in)
		if err != nil {
			t.Fatal(err)
		}
		_, text := writePDF(t, doc, "summary-clean")
		mustContain(t, text, "Quý I năm 2025", "khớp nhau", "đã tiếp nhận 1.239 hồ sơ")
		if strings.Contains(text, "(*)") {
			t.Errorf("clean figures flagged")
		}
	})
}

func TestEmptyInput(t *testing.T) {
	var nd *NoDataError
	if _, err := ModelsDocument(testMeta(), ModelList{Year: 2024}); !errors.As(err, &nd) {
		t.Errorf("models: err = %v, want NoDataError", err)
	}
	if _, err := TallyDocument(testMeta(), TallyInput{Period: seedPeriod()}); !errors.As(err, &nd) {
		t.Errorf("tally: err = %v, want NoDataError", err)
	}
	if _, err := SummaryDocument(testMeta(), SummaryInput{Period: seedPeriod()}); !errors.As(err, &nd) {
		t.Errorf("summary: err = %v, want NoDataError", err)
	}
}
