package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// A batch is signed by a real commune, but what it carries passes the
// rules the forms apply: a batch with a record the form would refuse
// (control characters, a 100 KB name, year 0 or 1800, a rating outside the
// list, a day that is not one, a revision at the integer's limit, a "final"
// row that does not add up) is refused whole, naming the record and the
// field, and nothing of it is stored.
func TestImportedRecordsPassTheFormsRules(t *testing.T) {
	s, _ := mustSetUpCollector(t)
	s.Now = func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	sh := mustSender(t, s, "SH")
	const ts = "2026-10-20T00:00:00.000000Z"
	model := func(name string, year int64, mod func(r *SyncRecord)) SyncRecord {
		f := make([]any, len(modelSyncFields))
		for i := range f {
			f[i] = ""
		}
		set := func(k string, v any) { f[modelFieldAt[k]] = v }
		set("kind", "model")
		set("name", name)
		set("field", "economy")
		set("year", year)
		set("body", string(domain.BodyFarmers))
		set("person_name", "Bùi Văn Thắng")
		set("content", "Nuôi cá.")
		set("status", "registered")
		for _, k := range []string{"budget", "workdays", "households", "people"} {
			set(k, int64(0))
		}
		r := SyncRecord{Kind: "model", ID: NewID(), Owner: sh, Revision: 1, CreatedAt: ts, UpdatedAt: ts, UpdatedBy: "canbo", Fields: f}
		if mod != nil {
			mod(&r)
		}
		return r
	}
	rec := func(kind string, fields ...any) SyncRecord {
		return SyncRecord{Kind: kind, ID: NewID(), Owner: sh, Revision: 1, CreatedAt: ts, UpdatedAt: ts, UpdatedBy: "canbo", Fields: fields}
	}
	field := rec("tally_field", "ho_tich", "Hộ tịch", int64(1), int64(0))
	period := rec("period", "month", "2026-M10", "2026-09-15", "2026-10-14", int64(0), "", "")
	// The published figures that started the project, marked final.
	published := rec("tally", period.ID, field.ID, int64(25723), nil, nil, nil, int64(25487), nil, nil, int64(20), int64(326), nil, nil, int64(1))
	good := model("Nuôi cá lồng trên sông Đà", 2025, nil)

	type badCase struct {
		r     SyncRecord
		field string // the field the refusal names
		code  string
	}
	bad := []badCase{
		{model("Nuôi cá\x1b[2J lồng", 2025, nil), "model_name", "control_chars"},
		{model(strings.Repeat("Nuôi cá lồng ", 8000), 2025, nil), "model_name", "too_long"}, // about 100 KB
		{model("Năm không", 0, nil), "model_year", "required"},
		{model("Năm âm", -1, nil), "model_year", "out_of_range"},
		{model("Năm 1800", 1800, nil), "model_year", "out_of_range"},
		{model("Xếp loại lạ", 2025, func(r *SyncRecord) {
			r.Fields[modelFieldAt["status"]], r.Fields[modelFieldAt["rating"]] = "evaluated", "tuyet_voi"
		}), "model_rating", "invalid_choice"},
		{model("Ngày lạ", 2025, func(r *SyncRecord) { r.Fields[modelFieldAt["start_date"]] = "hôm qua" }), "model_start_date", "models.not_date"},
		{model("Số hộ chữ", 2025, func(r *SyncRecord) { r.Fields[modelFieldAt["households"]] = "mười" }), "model_households", "invalid"},
		{model("Sửa mãi", 2025, func(r *SyncRecord) { r.Revision = math.MaxInt64 }), "revision", "out_of_range"},
		{model("Người sửa lạ", 2025, func(r *SyncRecord) { r.UpdatedBy = "canbo\u202e" }), "updated_by", "control_chars"},
		{rec("tally_field", "x", "Lĩnh vực\x00", int64(2), int64(0)), "field_name", "control_chars"},
		{published, "tally_final", "tally.balance"},
	}
	for i, c := range bad {
		_, err := s.importOne(ctx, System, batch(sh, 1, good, field, period, c.r), false)
		var ir *InvalidRecordError
		if !errors.As(err, &ir) {
			t.Errorf("case %d (%s): %v, want the batch refused for its invalid record", i, c.field, err)
			continue
		}
		if ir.ID != c.r.ID || ir.Kind != c.r.Kind {
			t.Errorf("case %d: refusal names %s %s, want %s %s", i, ir.Kind, ir.ID, c.r.Kind, c.r.ID)
		}
		found := false
		for _, p := range ir.Problems {
			found = found || p.Field == c.field && p.Code == c.code
		}
		if !found {
			t.Errorf("case %d: problems %v, want %s: %s", i, ir.Problems, c.field, c.code)
		}
		var n int
		s.db.QueryRow(`SELECT (SELECT count(*) FROM models) + (SELECT count(*) FROM tallies) + (SELECT count(*) FROM tally_fields WHERE owner_office_id = ?) + (SELECT count(*) FROM batches_received)`, sh).Scan(&n)
		if n != 0 {
			t.Fatalf("case %d: a refused batch stored %d rows", i, n)
		}
	}
	// The same batch without the bad record applies.
	res, err := s.importOne(ctx, System, batch(sh, 1, good, field, period), false)
	if err != nil || res.Counts.New != 3 {
		t.Fatalf("the good records: %+v %v", res, err)
	}
	// The same figures as a draft (final 0) are kept: a commune may send
	// figures still being checked, and the roll-up marks them.
	draft := published
	draft.ID, draft.Fields = NewID(), append(append([]any(nil), published.Fields[:13]...), int64(0))
	res, err = s.importOne(ctx, System, batch(sh, 2, field, period, draft), false)
	if err != nil || res.Counts.Rejected != 0 {
		t.Fatalf("a draft that does not add up: %+v %v", res, err)
	}
}
