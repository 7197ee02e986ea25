package store

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"danvan/store/vn"
)

// The models interchange file (CLI.md "Models"): one row per model, header
// cells in Vietnamese, in any order. The first 21 columns are the contract;
// the ones after carry the rest of the registration so that export followed
// by import loses nothing.

// Column headers.
const (
	ColID             = "Mã"
	ColKind           = "Loại"
	ColName           = "Tên mô hình"
	ColField          = "Lĩnh vực"
	ColYear           = "Năm đăng ký"
	ColBody           = "Đơn vị đăng ký"
	ColLocation       = "Địa bàn"
	ColPerson         = "Người phụ trách"
	ColTitle          = "Chức vụ"
	ColPhone          = "Điện thoại"
	ColContent        = "Nội dung thực hiện"
	ColGoals          = "Mục tiêu"
	ColForceTakePart  = "Lực lượng tham gia"
	ColBudget         = "Kinh phí (đồng)"
	ColStart          = "Thời gian bắt đầu"
	ColStatus         = "Trạng thái"
	ColRating         = "Kết quả đánh giá"
	ColLevel          = "Cấp công nhận"
	ColDecisionNo     = "Số quyết định công nhận"
	ColDecisionDate   = "Ngày công nhận"
	ColNote           = "Ghi chú"
	ColTasks          = "Nhiệm vụ cụ thể"
	ColReason         = "Thực trạng, lý do xây dựng"
	ColTarget         = "Đối tượng"
	ColForceLead      = "Lực lượng chủ trì"
	ColForceCoord     = "Lực lượng phối hợp"
	ColWorkdays       = "Ngày công"
	ColContributions  = "Xã hội hóa, nguồn lực khác"
	ColEvalDate       = "Thời điểm đánh giá"
	ColOutputs        = "Sản phẩm, kết quả đầu ra"
	ColSustainability = "Khả năng duy trì, nhân rộng"
	ColHouseholds     = "Số hộ tham gia"
	ColPeople         = "Số người tham gia"
	ColStopReason     = "Lý do dừng"
	ColStopDate       = "Ngày dừng"
)

// cellKind says how a column's text is read and written.
type cellKind int

const (
	cellText cellKind = iota
	cellLong          // multi-line text
	cellInt
	cellDate
	cellEnum
)

type modelColumn struct {
	header   string
	required bool // the header must be in the file
	kind     cellKind
	field    string // the FieldError field this column's problems come under
	get      func(*Model) string
	// set stores the cell; it returns a problem code when the text cannot be
	// read at all (an unknown value, not a number). Range and length rules
	// are the model's Validate.
	set func(*Model, string) (code string, args map[string]any)
}

func textCol(h, field string, p func(*Model) *string, required bool) modelColumn {
	return modelColumn{header: h, required: required, kind: cellText, field: field,
		get: func(m *Model) string { return *p(m) },
		set: func(m *Model, s string) (string, map[string]any) { *p(m) = s; return "", nil }}
}

func longCol(h, field string, p func(*Model) *string) modelColumn {
	c := textCol(h, field, p, false)
	c.kind = cellLong
	return c
}

func intCol(h, field string, p func(*Model) *int64) modelColumn {
	return modelColumn{header: h, kind: cellInt, field: field,
		get: func(m *Model) string {
			if *p(m) == 0 {
				return ""
			}
			return strconv.FormatInt(*p(m), 10)
		},
		set: func(m *Model, s string) (string, map[string]any) {
			if s == "" {
				*p(m) = 0
				return "", nil
			}
			n, err := vn.ParseInt(s, MaxBudget*100)
			if err != nil {
				if s[0] == '-' {
					return "models.amount", map[string]any{"Max": vn.FormatInt(MaxBudget)}
				}
				return "models.not_number", nil
			}
			*p(m) = n
			return "", nil
		}}
}

// yearFirst is a date written year first, 2024/10/06 or 2024-10-06.
var yearFirst = regexp.MustCompile(`^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}$`)

func dateCol(h, field string, p func(*Model) *time.Time) modelColumn {
	return modelColumn{header: h, kind: cellDate, field: field,
		get: func(m *Model) string { return vn.FormatDate(*p(m)) },
		set: func(m *Model, s string) (string, map[string]any) {
			if s == "" {
				*p(m) = time.Time{}
				return "", nil
			}
			t, err := vn.ParseDate(s)
			if err != nil {
				if yearFirst.MatchString(s) {
					// What a spreadsheet set to month/day writes after
					// reading 10/06/2024 as 6 October: the day and the
					// month can no longer be told apart, so no guess.
					return "models.date_year_first", map[string]any{"Value": s}
				}
				return "models.not_date", nil
			}
			*p(m) = t
			return "", nil
		}}
}

func enumCol[T ~string](h, field string, p func(*Model) *T, values map[T][]string, required bool) modelColumn {
	return modelColumn{header: h, required: required, kind: cellEnum, field: field,
		get: func(m *Model) string {
			if *p(m) == "" {
				return ""
			}
			return label(*p(m), values)
		},
		set: func(m *Model, s string) (string, map[string]any) {
			if s == "" {
				*p(m) = ""
				return "", nil
			}
			v, ok := match(s, values)
			if !ok {
				return "models.unknown_value", map[string]any{"Value": s}
			}
			*p(m) = v
			return "", nil
		}}
}

var modelColumns = []modelColumn{
	textCol(ColID, "model_id", func(m *Model) *string { return &m.ID }, false),
	enumCol(ColKind, "model_kind", func(m *Model) *ModelKind { return &m.Kind }, kindValues, true),
	textCol(ColName, "model_name", func(m *Model) *string { return &m.Name }, true),
	enumCol(ColField, "model_field", func(m *Model) *Field { return &m.Field }, fieldValues, true),
	{header: ColYear, required: true, kind: cellInt, field: "model_year",
		get: func(m *Model) string { return strconv.Itoa(m.Year) },
		set: func(m *Model, s string) (string, map[string]any) {
			if s == "" {
				m.Year = 0
				return "", nil
			}
			n, code, args := ParseYear(s, time.Now())
			if code != "" {
				return code, args
			}
			m.Year = n
			return "", nil
		}},
	{header: ColBody, required: true, kind: cellText, field: "model_body",
		get: func(m *Model) string { return m.BodyName() },
		set: func(m *Model, s string) (string, map[string]any) {
			m.Body, m.BodyOther = "", ""
			if s == "" {
				return "", nil
			}
			if b, ok := matchBody(s); ok && b != BodyOther {
				m.Body = b
				return "", nil
			}
			m.Body, m.BodyOther = BodyOther, s
			return "", nil
		}},
	textCol(ColLocation, "model_location", func(m *Model) *string { return &m.Location }, false),
	textCol(ColPerson, "model_person_name", func(m *Model) *string { return &m.PersonName }, true),
	textCol(ColTitle, "model_person_title", func(m *Model) *string { return &m.PersonTitle }, false),
	textCol(ColPhone, "model_person_phone", func(m *Model) *string { return &m.PersonPhone }, false),
	longCol(ColContent, "model_content", func(m *Model) *string { return &m.Content }),
	longCol(ColGoals, "model_goals", func(m *Model) *string { return &m.Goals }),
	longCol(ColForceTakePart, "model_force_take_part", func(m *Model) *string { return &m.ForceTakePart }),
	intCol(ColBudget, "model_budget", func(m *Model) *int64 { return &m.Budget }),
	dateCol(ColStart, "model_start_date", func(m *Model) *time.Time { return &m.StartDate }),
	enumCol(ColStatus, "model_status", func(m *Model) *ModelStatus { return &m.Status }, statusValues, false),
	enumCol(ColRating, "model_rating", func(m *Model) *Rating { return &m.Rating }, ratingValues, false),
	enumCol(ColLevel, "model_level", func(m *Model) *Level { return &m.Level }, levelValues, false),
	textCol(ColDecisionNo, "model_decision_no", func(m *Model) *string { return &m.DecisionNo }, false),
	dateCol(ColDecisionDate, "model_decision_date", func(m *Model) *time.Time { return &m.DecisionDate }),
	longCol(ColNote, "model_note", func(m *Model) *string { return &m.Note }),
	longCol(ColTasks, "model_tasks", func(m *Model) *string { return &m.Tasks }),
	longCol(ColReason, "model_reason", func(m *Model) *string { return &m.Reason }),
	longCol(ColTarget, "model_target_group", func(m *Model) *string { return &m.TargetGroup }),
	longCol(ColForceLead, "model_force_lead", func(m *Model) *string { return &m.ForceLead }),
	longCol(ColForceCoord, "model_force_coord", func(m *Model) *string { return &m.ForceCoord }),
	intCol(ColWorkdays, "model_workdays", func(m *Model) *int64 { return &m.Workdays }),
	longCol(ColContributions, "model_contributions", func(m *Model) *string { return &m.Contributions }),
	dateCol(ColEvalDate, "model_eval_date", func(m *Model) *time.Time { return &m.EvalDate }),
	longCol(ColOutputs, "model_outputs", func(m *Model) *string { return &m.Outputs }),
	longCol(ColSustainability, "model_sustainability", func(m *Model) *string { return &m.Sustainability }),
	intCol(ColHouseholds, "model_households", func(m *Model) *int64 { return &m.Households }),
	intCol(ColPeople, "model_people", func(m *Model) *int64 { return &m.People }),
	longCol(ColStopReason, "model_stop_reason", func(m *Model) *string { return &m.StopReason }),
	dateCol(ColStopDate, "model_stop_date", func(m *Model) *time.Time { return &m.StopDate }),
}

// ModelHeader is the header row export writes.
func ModelHeader() []string {
	out := make([]string, len(modelColumns))
	for i, c := range modelColumns {
		out[i] = c.header
	}
	return out
}

// ModelColumnType is what a column of the interchange file holds, for the
// XLSX writer: numbers and dates are stored as such, not as text.
type ModelColumnType int

const (
	ModelText  ModelColumnType = iota
	ModelWhole                 // a count or an amount
	ModelYear                  // a year: a number shown without grouping
	ModelDate                  // dd/mm/yyyy
)

// ModelColumnTypes gives, per ModelHeader column, what it holds.
func ModelColumnTypes() []ModelColumnType {
	out := make([]ModelColumnType, len(modelColumns))
	for i, c := range modelColumns {
		switch {
		case c.header == ColYear:
			out[i] = ModelYear
		case c.kind == cellInt:
			out[i] = ModelWhole
		case c.kind == cellDate:
			out[i] = ModelDate
		}
	}
	return out
}

// PersonalColumns are the interchange file's columns that p leaves out of
// a list: the phone number, and with PersonalNone the person's name and
// title too. Re-importing such a file keeps what the office holds in them.
func PersonalColumns(p Personal) []string {
	switch p {
	case PersonalNames:
		return []string{ColPhone}
	case PersonalNone:
		return []string{ColPerson, ColTitle, ColPhone}
	}
	return nil
}

// ModelRecord is m as one row of the interchange file, in ModelHeader order.
func ModelRecord(m *Model) []string {
	out := make([]string, len(modelColumns))
	for i, c := range modelColumns {
		out[i] = c.get(m)
	}
	return out
}

// ParseYear reads a registration year as the form and the spreadsheet
// import both do: "2024", and "2.024" as a spreadsheet with thousands
// grouping shows it. A year of 0 or below is out of range, not "not a
// number". It returns the year, or a message code and its arguments.
func ParseYear(s string, now time.Time) (int, string, map[string]any) {
	n, err := vn.ParseInt(strings.TrimSpace(s), 1<<31-1)
	switch {
	case errors.Is(err, vn.ErrNegative), err == nil && n <= 0:
		return 0, "out_of_range", map[string]any{"Min": MinModelYear, "Max": now.Year() + 1}
	case err != nil:
		return 0, "models.not_number", nil
	}
	return int(n), "", nil
}
