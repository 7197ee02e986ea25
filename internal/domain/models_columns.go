package domain

import (
	"danvan/store/vn"
	"errors"
	"regexp"
	"strings"
	"time"
)

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

// yearFirst is a date written year first, 2024/10/06 or 2024-10-06.
var yearFirst = regexp.MustCompile(`^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}$`)

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
