package domain

import "time"

// ModelKind says whether a registration is a collective model (mô hình) or
// an exemplary person or collective (điển hình).
type ModelKind string

const (
	KindModel    ModelKind = "model"    // mô hình
	KindExemplar ModelKind = "exemplar" // điển hình
)

// Field is one of the four lĩnh vực of the movement.
type Field string

const (
	FieldEconomy   Field = "economy"          // kinh tế
	FieldCulture   Field = "culture_society"  // văn hóa - xã hội
	FieldDefence   Field = "defence_security" // quốc phòng - an ninh
	FieldPolitical Field = "political_system" // xây dựng hệ thống chính trị
)

// Fields lists the four fields in the order reports use.
var Fields = []Field{FieldEconomy, FieldCulture, FieldDefence, FieldPolitical}

// ModelStatus is where a model is in its life cycle.
type ModelStatus string

const (
	StatusRegistered   ModelStatus = "registered"   // đã đăng ký
	StatusImplementing ModelStatus = "implementing" // đang thực hiện
	StatusEvaluated    ModelStatus = "evaluated"    // đã đánh giá
	StatusRecognised   ModelStatus = "recognised"   // được công nhận
	StatusMaintained   ModelStatus = "maintained"   // duy trì, nhân rộng
	StatusDiscontinued ModelStatus = "discontinued" // dừng thực hiện
)

// ModelStatuses lists the statuses in life-cycle order.
var ModelStatuses = []ModelStatus{StatusRegistered, StatusImplementing, StatusEvaluated, StatusRecognised, StatusMaintained, StatusDiscontinued}

// Rating is the result of an evaluation.
type Rating string

const (
	RatingExcellent Rating = "excellent" // xuất sắc
	RatingGood      Rating = "good"      // tốt
	RatingPass      Rating = "pass"      // đạt
	RatingFail      Rating = "fail"      // không đạt
)

// Ratings lists the ratings from best to worst.
var Ratings = []Rating{RatingExcellent, RatingGood, RatingPass, RatingFail}

// Level is the level of government that recognised a model.
type Level string

const (
	LevelCommune  Level = "commune"  // xã
	LevelDistrict Level = "district" // huyện
	LevelProvince Level = "province" // tỉnh
	LevelCentral  Level = "central"  // trung ương
)

// Levels lists the recognition levels from lowest to highest.
var Levels = []Level{LevelCommune, LevelDistrict, LevelProvince, LevelCentral}

// Body is the unit that registers a model.
type Body string

const (
	BodyParty     Body = "party_committee"      // Đảng ủy
	BodyPeoples   Body = "peoples_committee"    // UBND
	BodyFront     Body = "fatherland_front"     // MTTQ
	BodyWomen     Body = "womens_union"         // Hội Phụ nữ
	BodyYouth     Body = "youth_union"          // Đoàn Thanh niên
	BodyFarmers   Body = "farmers_union"        // Hội Nông dân
	BodyVeterans  Body = "veterans_association" // Hội Cựu chiến binh
	BodyPolice    Body = "police"               // Công an xã
	BodyMilitary  Body = "military_command"     // Ban Chỉ huy Quân sự
	BodySchool    Body = "school"               // trường học
	BodyResidents Body = "residential_area"     // khu dân cư
	BodyOther     Body = "other"                // free text in BodyOther
)

// Bodies lists the registering bodies in the order forms show them.
var Bodies = []Body{BodyParty, BodyPeoples, BodyFront, BodyWomen, BodyYouth, BodyFarmers, BodyVeterans, BodyPolice, BodyMilitary, BodySchool, BodyResidents, BodyOther}

// Model is one registered Dân vận khéo model or exemplar. The comments give
// the part of the registration form (domain.md §1) each field answers.
type Model struct {
	ID            string // UUID v4
	OwnerOfficeID string

	Kind      ModelKind
	Name      string // 1. tên mô hình
	Field     Field
	Year      int // year registered
	Body      Body
	BodyOther string // the body's name when Body is BodyOther
	Location  string // 5. địa bàn: thôn, xóm, khu dân cư

	PersonName  string // người phụ trách ("rõ người")
	PersonTitle string
	PersonPhone string // digits only, 0… (a +84 prefix is rewritten)

	Reason         string // 2. thực trạng, lý do xây dựng
	Goals          string // 3. mục tiêu, tiêu chí
	Content        string // 4. nội dung, cách thức thực hiện
	Tasks          string // 4. the concrete tasks ("rõ việc")
	TargetGroup    string // 5. đối tượng
	ForceLead      string // 6. lực lượng chủ trì
	ForceCoord     string // 6. phối hợp
	ForceTakePart  string // 6. tham gia
	Budget         int64  // 7. kinh phí, đồng
	Workdays       int64  // 7. ngày công
	Contributions  string // 7. xã hội hóa and other resources
	StartDate      time.Time
	EvalDate       time.Time // 8. thời điểm đánh giá
	Outputs        string    // 9. sản phẩm, kết quả đầu ra
	Sustainability string    // 10. khả năng duy trì, nhân rộng
	Households     int64     // participating households
	People         int64     // participating people

	Status       ModelStatus
	Rating       Rating // set when evaluated
	Level        Level  // set when recognised
	DecisionNo   string
	DecisionDate time.Time
	StopReason   string // set when discontinued
	StopDate     time.Time
	Note         string

	Revision  int
	ChangeSeq int64
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
	DeletedAt time.Time // zero while live
}

// Deleted reports whether m is a tombstone.
func (m *Model) Deleted() bool { return !m.DeletedAt.IsZero() }

// StatusEvent is one entry of a model's status history.
type StatusEvent struct {
	ID           int64
	ModelID      string
	On           time.Time // the day it happened
	From         ModelStatus
	To           ModelStatus
	Rating       Rating
	Level        Level
	DecisionNo   string
	DecisionDate time.Time
	Reason       string
	RecordedAt   time.Time
	RecordedBy   string
}
