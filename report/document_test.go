package report

import (
	"strings"
	"testing"
)

// pangram holds every Vietnamese letter, lower and upper case, with every
// tone: a, ă, â, e, ê, i, o, ô, ơ, u, ư, y × (none, huyền, sắc, hỏi, ngã,
// nặng), and đ.
func pangram() string {
	bases := []string{
		"aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
		"oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ", "đ",
	}
	lower := strings.Join(bases, " ")
	return lower + " " + strings.ToUpper(lower)
}

func TestHeaderBlock(t *testing.T) {
	doc := &Document{
		Header:     testHeader(),
		Kind:       "BÁO CÁO",
		Subject:    []string{"Kết quả thực hiện phong trào thi đua “Dân vận khéo” năm 2025"},
		Blocks:     []Block{Paragraph{Text: strings.Repeat("Thực hiện Kế hoạch của Ban Thường vụ Huyện ủy về phong trào thi đua Dân vận khéo. ", 30)}},
		Signature:  testSignature(),
		Recipients: []string{"Ban Dân vận Huyện ủy", "Thường trực Đảng ủy xã"},
		Stamp:      &Stamp{OfficeCode: "SH", Period: "2025-Y", SHA256: DataHash("x")},
	}
	path, text := writePDF(t, doc, "header")
	mustContain(t, text,
		"UBND HUYỆN TÂN LẠC",
		"ỦY BAN NHÂN DÂN",
		"XÃ SUỐI HOA",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"Số: 05/BC-UBND",
		"Suối Hoa, ngày 05 tháng 01 năm 2026",
		"BÁO CÁO",
		"TM. ỦY BAN NHÂN DÂN",
		"CHỦ TỊCH",
		"Bùi Văn Minh",
		"Nơi nhận:",
		"- Ban Dân vận Huyện ủy;",
		"- Lưu: VT.",
		"SHA-256: "+ShortHash(DataHash("x")),
	)
	if n := pdfPages(t, path); n < 2 {
		t.Fatalf("pages = %d; the long body should run to a second page", n)
	}
	// Page numbers: "2" alone on a line at the top of page 2, none on page 1.
	pages := strings.Split(text, "\f")
	if got := strings.TrimSpace(strings.SplitN(strings.TrimSpace(pages[1]), "\n", 2)[0]); got != "2" {
		t.Errorf("page 2 starts with %q, want its number 2", got)
	}
	if first := strings.TrimSpace(strings.SplitN(strings.TrimSpace(pages[0]), "\n", 2)[0]); first == "1" {
		t.Errorf("page 1 carries a page number")
	}
}

func TestPangramRoundTrip(t *testing.T) {
	pg := pangram()
	for _, style := range []struct {
		name         string
		bold, italic bool
	}{{"regular", false, false}, {"bold", true, false}, {"italic", false, true}, {"bolditalic", true, true}} {
		t.Run(style.name, func(t *testing.T) {
			doc := &Document{
				Header: testHeader(),
				Blocks: []Block{Paragraph{Text: pg, Bold: style.bold, Italic: style.italic, Plain: true}},
			}
			_, text := writePDF(t, doc, "pangram-"+style.name)
			mustContain(t, text, pg)
		})
	}
}
