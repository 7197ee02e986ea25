package store

import (
	"errors"
	"regexp"
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

// modelSheetOrder is the interchange file's column order: the first 21
// are the contract (CLI.md "Models"). A declared field whose header is not
// listed comes after them, in ModelFields order.
var modelSheetOrder = []string{ColID, ColKind, ColName, ColField, ColYear, ColBody, ColLocation, ColPerson, ColTitle,
	ColPhone, ColContent, ColGoals, ColForceTakePart, ColBudget, ColStart, ColStatus, ColRating, ColLevel,
	ColDecisionNo, ColDecisionDate, ColNote, ColTasks, ColReason, ColTarget, ColForceLead, ColForceCoord,
	ColWorkdays, ColContributions, ColEvalDate, ColOutputs, ColSustainability, ColHouseholds, ColPeople,
	ColStopReason, ColStopDate}

// modelColumn is one column of the interchange file: the record's id, or a
// declared field.
type modelColumn struct {
	header   string
	required bool // the header must be in the file
	typ      FieldType
	field    string // the FieldError field this column's problems come under
	get      func(*Model) string
	// set stores the cell; it returns a problem when the text cannot be
	// read at all (an unknown value, not a number). Range and length rules
	// are the model's Validate.
	set func(*Model, string) *FieldError
}

// yearFirst is a date written year first, 2024/10/06 or 2024-10-06.
var yearFirst = regexp.MustCompile(`^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}$`)

var modelColumns = func() []modelColumn {
	byHeader := map[string]ModelField{}
	for _, f := range ModelFields {
		if f.Header != "" {
			byHeader[f.Header] = f
		}
	}
	out := []modelColumn{{header: ColID, field: "model_id",
		get: func(m *Model) string { return m.ID },
		set: func(m *Model, s string) *FieldError { m.ID = s; return nil }}}
	add := func(f ModelField) {
		out = append(out, modelColumn{header: f.Header, required: f.Header1, typ: f.Type, field: f.Key, get: f.Text, set: f.SetText})
		delete(byHeader, f.Header)
	}
	for _, h := range modelSheetOrder[1:] {
		if f, ok := byHeader[h]; ok {
			add(f)
		}
	}
	for _, f := range ModelFields {
		if _, ok := byHeader[f.Header]; ok {
			add(f)
		}
	}
	return out
}()

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
		switch c.typ {
		case TypeYear:
			out[i] = ModelYear
		case TypeWhole:
			out[i] = ModelWhole
		case TypeDate:
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
