package store

import (
	"strconv"
	"time"
	"unicode/utf8"

	"danvan/store/vn"
)

// Every record a batch brings passes the rules the forms apply (issue 26):
// a batch is signed by a real commune, but its build may be buggy or its
// key stolen, and what it carries is shown, printed and summed here. A
// record that breaks them is refused alone ("invalid", listed with the
// batch's rejections); the rest of the batch applies.

// MaxRevision bounds a record's revision: one edit a second for thirty
// years stays far below it, and a revision near the integer's limit would
// leave no room for the next edit.
const MaxRevision = 1_000_000_000

// checkRecord says why r must not be stored ("" when it may).
func checkRecord(k SyncKind, r SyncRecord, now time.Time) string {
	if r.Revision < 1 || r.Revision > MaxRevision {
		return "invalid"
	}
	if utf8.RuneCountInString(r.UpdatedBy) > MaxSettingText || vn.HasControl(r.UpdatedBy) || !utf8.ValidString(r.UpdatedBy) {
		return "invalid"
	}
	if r.DeletedAt != "" || len(r.Fields) != len(k.Fields) {
		return "" // a deletion carries no fields; a wrong count fails the INSERT
	}
	var err error
	switch k.Kind {
	case "model":
		m := modelFromFields(r.Fields)
		err = m.Validate(now)
	case "tally_field":
		v := &ValidationError{}
		checkText(v, "field_name", fieldText(r.Fields, 1), MaxSettingText, true)
		checkText(v, "field_code", fieldText(r.Fields, 0), 50, false)
		err = v.OrNil()
	case "period":
		v := &ValidationError{}
		checkText(v, "period_code", fieldText(r.Fields, 1), 40, true)
		checkText(v, "closed_by", fieldText(r.Fields, 6), MaxSettingText, false)
		for _, i := range []int{2, 3} {
			if _, e := time.Parse("2006-01-02", fieldText(r.Fields, i)); e != nil {
				v.Add("period_dates", "invalid", nil)
			}
		}
		err = v.OrNil()
	case "tally":
		// A row the commune marked final passed every identity there;
		// one that does not is not final figures, whoever signed it.
		var c Counts
		for col := 3; col <= 13; col++ {
			if n, ok := r.Fields[col-1].(int64); ok {
				c[col] = V(n)
			}
		}
		if final, _ := r.Fields[13].(int64); final == 1 && len(c.Problems(nil, true)) > 0 {
			return "invalid"
		}
	}
	if err != nil {
		return "invalid"
	}
	return ""
}

// fieldText is a record field as the text a TEXT column stores: an
// integer as its decimal digits.
func fieldText(fields []any, i int) string {
	switch v := fields[i].(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return ""
}

// modelFromFields is a model record's fields as the form's Model, for its
// rules.
func modelFromFields(fields []any) Model {
	text := func(name string) string { return fieldText(fields, modelFieldAt[name]) }
	num := func(name string) int64 {
		switch v := fields[modelFieldAt[name]].(type) {
		case int64:
			return v
		case string:
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
		return 0
	}
	day := func(name string) time.Time {
		t, _ := time.Parse("2006-01-02", text(name))
		return t
	}
	return Model{
		Kind: ModelKind(text("kind")), Name: text("name"), Field: Field(text("field")), Year: int(num("year")),
		Body: Body(text("body")), BodyOther: text("body_other"), Location: text("location"),
		PersonName: text("person_name"), PersonTitle: text("person_title"), PersonPhone: text("person_phone"),
		Reason: text("reason"), Goals: text("goals"), Content: text("content"), Tasks: text("tasks"),
		TargetGroup: text("target_group"), ForceLead: text("force_lead"), ForceCoord: text("force_coordinate"),
		ForceTakePart: text("force_participate"), Budget: num("budget"), Workdays: num("workdays"),
		Contributions: text("contributions"), StartDate: day("start_date"), EvalDate: day("eval_date"),
		Outputs: text("outputs"), Sustainability: text("sustainability"), Households: num("households"), People: num("people"),
		Status: ModelStatus(text("status")), Rating: Rating(text("rating")), Level: Level(text("recognition_level")),
		DecisionNo: text("decision_no"), DecisionDate: day("decision_date"), StopReason: text("stop_reason"),
		StopDate: day("stop_date"), Note: text("note"),
	}
}
