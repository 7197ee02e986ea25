package report

import "testing"

// A period's printed name comes from the one grammar of period codes
// (domain.ParsePeriod): every kind, and "" for what is not a named period.
func TestPeriodLabelFollowsTheStoreGrammar(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"2024-Y", "Năm 2024"},
		{"2024-9M", "9 tháng năm 2024"},
		{"2024-H1", "6 tháng đầu năm 2024"},
		{"2024-H2", "6 tháng cuối năm 2024"},
		{"2024-Q2", "Quý II năm 2024"},
		{"2024-q4", "Quý IV năm 2024"},
		{"2024-M04", "Tháng 4 năm 2024"},
		{"2024-M12", "Tháng 12 năm 2024"},
		{"2023-04-15..2024-04-14", ""},
		{"2024-Q5", ""},
		{"2024-M13", ""},
		{"năm 2024", ""},
		{"", ""},
	} {
		if got := (Period{Code: tc.code}).Label(); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.code, got, tc.want)
		}
	}
}
