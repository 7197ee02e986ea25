package domain

import (
	"strings"

	"danvan/store/vn"
)

// The values of the enumerated columns of the models interchange file
// (CLI.md "Models"). They are part of the file format, the same in every
// interface language, so they live here and not in the translation files.
// Each entry's first text is what export writes; import also accepts the
// others (the English names and the code), compared by matchKey.

var kindValues = map[ModelKind][]string{
	KindModel:    {"Mô hình", "Model"},
	KindExemplar: {"Điển hình", "Exemplar", "Example"},
}

var fieldValues = map[Field][]string{
	FieldEconomy:   {"Kinh tế", "Economy", "Economic"},
	FieldCulture:   {"Văn hóa - Xã hội", "Culture - Society", "Culture and society", "Social and cultural"},
	FieldDefence:   {"Quốc phòng - An ninh", "Defence - Security", "Defense - Security", "National defence and security"},
	FieldPolitical: {"Xây dựng hệ thống chính trị", "Political system building", "Political system"},
}

var statusValues = map[ModelStatus][]string{
	StatusRegistered:   {"Đã đăng ký", "Registered"},
	StatusImplementing: {"Đang thực hiện", "Implementing", "In progress"},
	StatusEvaluated:    {"Đã đánh giá", "Evaluated"},
	StatusRecognised:   {"Được công nhận", "Recognised", "Recognized"},
	StatusMaintained:   {"Duy trì, nhân rộng", "Maintained and replicated", "Maintained", "Replicated"},
	StatusDiscontinued: {"Dừng thực hiện", "Discontinued", "Stopped"},
}

var ratingValues = map[Rating][]string{
	RatingExcellent: {"Xuất sắc", "Excellent"},
	RatingGood:      {"Tốt", "Good"},
	RatingPass:      {"Đạt", "Pass", "Passed", "Satisfactory"},
	RatingFail:      {"Không đạt", "Fail", "Failed", "Not passed"},
}

var levelValues = map[Level][]string{
	LevelCommune:  {"Xã", "Cấp xã", "Commune"},
	LevelDistrict: {"Huyện", "Cấp huyện", "District"},
	LevelProvince: {"Tỉnh", "Cấp tỉnh", "Province"},
	LevelCentral:  {"Trung ương", "Cấp trung ương", "Central"},
}

var bodyValues = map[Body][]string{
	BodyParty:     {"Đảng ủy", "Party committee"},
	BodyPeoples:   {"UBND", "Ủy ban nhân dân", "People's committee"},
	BodyFront:     {"MTTQ", "Mặt trận Tổ quốc", "Ủy ban MTTQ", "Fatherland Front"},
	BodyWomen:     {"Hội Phụ nữ", "Hội Liên hiệp Phụ nữ", "Women's Union"},
	BodyYouth:     {"Đoàn Thanh niên", "Đoàn TNCS Hồ Chí Minh", "Youth Union"},
	BodyFarmers:   {"Hội Nông dân", "Farmers' Union"},
	BodyVeterans:  {"Hội Cựu chiến binh", "Veterans' Association"},
	BodyPolice:    {"Công an xã", "Công an", "Police"},
	BodyMilitary:  {"Ban Chỉ huy Quân sự", "Ban CHQS", "Military command"},
	BodySchool:    {"Trường học", "School"},
	BodyResidents: {"Khu dân cư", "Residential area"},
	BodyOther:     {"Khác", "Other"},
}

// MatchKey is how enumerated cells are compared: folded (no case, no
// diacritics) with every kind of dash and the spaces around it made one "-".
func MatchKey(s string) string {
	s = vn.Fold(strings.Map(func(r rune) rune {
		switch r {
		case '–', '—', '‐', '‑', '−':
			return '-'
		case '_':
			return ' '
		}
		return r
	}, s))
	for strings.Contains(s, " -") || strings.Contains(s, "- ") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " -", "-"), "- ", "-")
	}
	return strings.TrimSuffix(s, ".")
}

func match[T ~string](s string, values map[T][]string) (T, bool) {
	k := MatchKey(s)
	if k == "" {
		return "", false
	}
	for code, names := range values {
		if k == MatchKey(string(code)) {
			return code, true
		}
		for _, n := range names {
			if k == MatchKey(n) {
				return code, true
			}
		}
	}
	return "", false
}

func label[T ~string](v T, values map[T][]string) string {
	if names, ok := values[v]; ok {
		return names[0]
	}
	return string(v)
}

func matchBody(s string) (Body, bool) { return match(s, bodyValues) }

// Label returns the value the interchange file writes for each enum.
func (k ModelKind) Label() string    { return label(k, kindValues) }
func (f Field) Label() string        { return label(f, fieldValues) }
func (st ModelStatus) Label() string { return label(st, statusValues) }
func (r Rating) Label() string       { return label(r, ratingValues) }
func (l Level) Label() string        { return label(l, levelValues) }
func (b Body) Label() string         { return label(b, bodyValues) }

// BodyName is the registering body as a person reads it: the listed name, or
// the free text for "other".
func (m *Model) BodyName() string {
	if m.Body == BodyOther && m.BodyOther != "" {
		return m.BodyOther
	}
	return m.Body.Label()
}
