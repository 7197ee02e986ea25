package report

import (
	"danvan/internal/domain"
	"testing"
)

func TestPlaceFromName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"UBND xã Suối Hoa", "Suối Hoa"},
		{"UBND thị trấn Mãn Đức", "Mãn Đức"},
		{"Ban Dân vận Huyện ủy Tân Lạc", "Tân Lạc"},
		{"Ban Dân vận Tỉnh ủy Phú Thọ", "Phú Thọ"},
		{"Đảng ủy xã Mường Bi", "Mường Bi"},
		{"Xã Suối Hoa", "Suối Hoa"},
		{"Hội Nông dân", "Hội Nông dân"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := placeFromName(tc.name); got != tc.want {
				t.Errorf("placeFromName(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestIssuerSymbolAndNumber(t *testing.T) {
	for _, tc := range []struct{ name, code, want string }{
		{"UBND xã Suối Hoa", "SH", "UBND"},
		{"Ủy ban nhân dân xã Suối Hoa", "SH", "UBND"},
		{"Đảng ủy xã Mường Bi", "MB", "ĐU"},
		{"Ban Dân vận Huyện ủy Tân Lạc", "BDVTL", "BDV"},
		{"Xã Suối Hoa", "SH", "SH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := issuerSymbol(domain.Office{Name: tc.name, Code: tc.code}); got != tc.want {
				t.Errorf("issuerSymbol = %q, want %q", got, tc.want)
			}
		})
	}
	for n, want := range map[int]string{5: "Số: 05/BC-UBND", 12: "Số: 12/BC-UBND", 0: "Số:        /BC-UBND"} {
		if got := numberLine(n, "BC-UBND"); got != want {
			t.Errorf("numberLine(%d) = %q, want %q", n, got, want)
		}
	}
}
