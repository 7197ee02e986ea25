package store

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// A batch is signed by a real commune, but what it carries passes the
// rules the forms apply: a record the form would refuse (control
// characters, a 100 KB name, year 0, a revision at the integer's limit, a
// "final" row that does not add up) is refused alone, with the reason, and
// the rest of the batch applies.
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
		set("body", string(BodyFarmers))
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

	bad := []SyncRecord{
		model("Nuôi cá\x1b[2J lồng", 2025, nil),
		model(strings.Repeat("Nuôi cá lồng ", 8000), 2025, nil), // about 100 KB
		model("Năm không", 0, nil),
		model("Năm âm", -1, nil),
		model("Sửa mãi", 2025, func(r *SyncRecord) { r.Revision = math.MaxInt64 }),
		model("Người sửa lạ", 2025, func(r *SyncRecord) { r.UpdatedBy = "canbo\u202e" }),
		rec("tally_field", "x", "Lĩnh vực\x00", int64(2), int64(0)),
		published,
	}
	res, err := s.ImportBatch(ctx, System, batch(sh, 1, append([]SyncRecord{good, field, period}, bad...)...), false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.New != 3 || res.Counts.Rejected != len(bad) {
		t.Errorf("counts %+v, want the 3 good records and %d refused", res.Counts, len(bad))
	}
	refused := map[string]bool{}
	for _, r := range res.Rejections {
		if r.Reason != "invalid" {
			t.Errorf("%s %s refused for %q", r.Kind, r.ID, r.Reason)
		}
		refused[r.ID] = true
	}
	for _, r := range bad {
		if !refused[r.ID] {
			t.Errorf("%s %v was not refused", r.Kind, r.Fields[:2])
		}
		var n int
		s.db.QueryRow(`SELECT (SELECT count(*) FROM models WHERE id = ?) + (SELECT count(*) FROM tallies WHERE id = ?) + (SELECT count(*) FROM tally_fields WHERE id = ?)`, r.ID, r.ID, r.ID).Scan(&n)
		if n != 0 {
			t.Errorf("refused %s %s was stored", r.Kind, r.ID)
		}
	}
	// The same figures as a draft (final 0) are kept: a commune may send
	// figures still being checked, and the roll-up marks them.
	draft := published
	draft.ID, draft.Fields = NewID(), append(append([]any(nil), published.Fields[:13]...), int64(0))
	res, err = s.ImportBatch(ctx, System, batch(sh, 2, field, period, draft), false)
	if err != nil || res.Counts.Rejected != 0 {
		t.Fatalf("a draft that does not add up: %+v %v", res, err)
	}
}
