package exchange

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"danvan/store"
	dsync "danvan/sync"
)

// enrollKinds makes commune c send the kinds to collecting office col.
func enrollKinds(t *testing.T, col, c *office, kinds ...string) {
	t.Helper()
	ctx := context.Background()
	data, err := dsync.ExportEnrollment(ctx, col.st, col.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dsync.EnrollKinds(ctx, c.st, store.System, col.self.Code+".zip", data, "", kinds); err != nil {
		t.Fatal(err)
	}
	enroll(t, c, col)
}

// openWith decrypts a batch file with an office's own age identity and
// returns the signed zip inside, as the office receiving it reads it.
func openWith(t *testing.T, o *office, file []byte) []byte {
	t.Helper()
	ids, err := age.ParseIdentities(bytes.NewReader(o.sg.IdentityFile(time.Now())))
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(file), ids...)
	if err != nil {
		t.Fatalf("%s cannot open the file: %v", o.self.Code, err)
	}
	inner, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return inner
}

// TestTwoLinesByKind: since the 2025 reform a commune's models go up the
// Party line and its TTHC tallies up the State line. SH enrolls the
// province's Ban Tuyên giáo và Dân vận (models) and its Văn phòng UBND
// (tallies): each gets its own chain with only its kinds, over the network
// with its own receipts, and the bytes the Văn phòng receives hold no
// model's name or responsible person's phone number.
func TestTwoLinesByKind(t *testing.T) {
	ctx := context.Background()
	btg := mustOffice(t, "BTG", "Ban Tuyên giáo và Dân vận Tỉnh ủy", domain.RoleCollector)
	vp := mustOffice(t, "VPUB", "Văn phòng UBND tỉnh", domain.RoleCollector)
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	enrollKinds(t, btg, sh, domain.DataModels)
	enrollKinds(t, vp, sh, domain.DataTallies)

	const name, phone, person = "Nuôi cá lồng trên sông Đà", "0912345678", "Bùi Văn Thắng"
	if _, err := sh.st.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy,
		Year: 2025, Body: domain.BodyFarmers, Location: "xóm Bưa", PersonName: person, PersonPhone: phone, Content: "Hướng dẫn hộ nghèo."}); err != nil {
		t.Fatal(err)
	}
	spec := sh.addTally(t, "2025-M12", 10)

	dests, err := sh.st.Destinations(ctx)
	if err != nil || len(dests) != 2 || !dests[0].Primary || dests[0].Office.Code != "BTG" || dests[1].Office.Code != "VPUB" {
		t.Fatalf("destinations %+v, %v", dests, err)
	}
	results, err := dsync.ExportEach(ctx, sh.st, store.System, sh.sg, sh.dir, dsync.ExportOptions{})
	if err != nil || len(results) != 2 {
		t.Fatalf("export: %d batches, %v", len(results), err)
	}
	toBTG, toVP := results[0], results[1]
	if c := toBTG.Manifest.Counts; toBTG.Dest.Office.Code != "BTG" || c.Models != 1 || c.Tallies+c.Periods+c.TallyFields != 0 {
		t.Errorf("batch for BTG: %+v", c)
	}
	if c := toVP.Manifest.Counts; toVP.Dest.Office.Code != "VPUB" || c.Models != 0 || c.Tallies != 1 || c.Periods != 1 || c.TallyFields == 0 {
		t.Errorf("batch for VPUB: %+v", c)
	}
	// The primary keeps the format it had; the other is addressed.
	if toBTG.Manifest.Format != dsync.Format || toBTG.Manifest.To != nil {
		t.Errorf("BTG's batch is %s, to %+v", toBTG.Manifest.Format, toBTG.Manifest.To)
	}
	if toVP.Manifest.Format != dsync.FormatTo || toVP.Manifest.To == nil || toVP.Manifest.To.ID != vp.self.ID {
		t.Errorf("VPUB's batch is %s, to %+v", toVP.Manifest.Format, toVP.Manifest.To)
	}
	if toBTG.Manifest.Seq != 1 || toVP.Manifest.Seq != 1 || filepath.Dir(toVP.Path) != filepath.Join(sh.dir, "outbox", "VPUB") {
		t.Errorf("chains: BTG seq %d, VPUB seq %d at %s", toBTG.Manifest.Seq, toVP.Manifest.Seq, toVP.Path)
	}

	// What leaves for the Văn phòng carries no personal data of models.
	file, err := os.ReadFile(toVP.Path)
	if err != nil {
		t.Fatal(err)
	}
	inner := openWith(t, vp, file)
	for _, s := range []string{name, phone, person} {
		if bytes.Contains(inner, []byte(s)) {
			t.Errorf("the batch for VPUB holds %q", s)
		}
	}
	if !bytes.Contains(openWith(t, btg, mustRead(t, toBTG.Path)), []byte(phone)) {
		t.Error("the batch for BTG lacks the model's phone number")
	}
	// Neither office can open the other's batch.
	if _, err := age.Decrypt(bytes.NewReader(file), mustIdentity(t, btg)...); err == nil {
		t.Error("BTG can open the batch for VPUB")
	}

	// Over the network, each to its own server, each with its receipt.
	tsB, tsV := startServer(t, btg, nil), startServer(t, vp, nil)
	if err := sh.st.SetDestination(ctx, store.System, btg.self.ID, []string{domain.DataModels}, tsB.url()); err != nil {
		t.Fatal(err)
	}
	if err := sh.st.SetDestination(ctx, store.System, vp.self.ID, []string{domain.DataTallies}, tsV.url()); err != nil {
		t.Fatal(err)
	}
	sent, err := SendEach(ctx, sh.st, store.System, sh.dir, quick(SendOptions{}))
	if err != nil || len(sent) != 2 {
		t.Fatalf("send: %+v, %v", sent, err)
	}
	for _, r := range sent {
		if r.Err != nil || len(r.Sent) != 1 || r.Receipt == nil || r.Receipt.From.ID != r.Dest.Office.ID {
			t.Errorf("send to %s: %+v", r.Dest.Office.Code, r)
		}
	}
	for _, d := range []*office{btg, vp} {
		got, err := sh.st.SentBatchesTo(ctx, d.self.ID)
		if err != nil || len(got) != 1 || got[0].AcknowledgedAt.IsZero() {
			t.Errorf("SH's batches to %s: %+v, %v", d.self.Code, got, err)
		}
		if last, _ := sh.st.LastSendOK(ctx, d.self.ID); last.IsZero() {
			t.Errorf("no good send recorded for %s", d.self.Code)
		}
	}
	if n, _ := btg.st.CountModels(ctx, store.ModelFilter{}); n != 1 {
		t.Errorf("BTG holds %d models", n)
	}
	if pt, _ := btg.st.PeriodTallies(ctx, sh.self.ID, spec); len(pt.Rows) != 0 {
		t.Errorf("BTG holds %d tally rows", len(pt.Rows))
	}
	if n, _ := vp.st.CountModels(ctx, store.ModelFilter{}); n != 0 {
		t.Errorf("VPUB holds %d models", n)
	}
	if pt, _ := vp.st.PeriodTallies(ctx, sh.self.ID, spec); len(pt.Rows) != 1 {
		t.Errorf("VPUB holds %d tally rows", len(pt.Rows))
	}

	// A batch for VPUB handed to BTG by mistake is refused in words, even
	// by a BTG that could decrypt it.
	if _, err := dsync.ReadBatch(ctx, dsync.WithKey(btg.st, vp.sg), "x.zip.age", file, dsync.DefaultLimits); dsync.ProblemOf(err) != dsync.ProblemAddressed {
		t.Errorf("VPUB's batch read at BTG: %v", err)
	}

	// A later change reaches only the office that collects its kind.
	sh.addTally(t, "2026-M01", 3)
	results, err = dsync.ExportEach(ctx, sh.st, store.System, sh.sg, sh.dir, dsync.ExportOptions{})
	if err != nil || len(results) != 1 || results[0].Dest.Office.ID != vp.self.ID || results[0].Manifest.Seq != 2 {
		t.Fatalf("second export: %+v, %v", results, err)
	}
	if n, _ := sh.st.UnsentChanges(ctx); n != 0 {
		t.Errorf("%d changes unsent after both exports", n)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustIdentity(t *testing.T, o *office) []age.Identity {
	t.Helper()
	ids, err := age.ParseIdentities(bytes.NewReader(o.sg.IdentityFile(time.Now())))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestSettingsSentDown: the province's Văn phòng changes its field list
// and cut-off day and publishes them; the commune sees the changes, applies
// them, and its next period and its field list follow. A settings file
// signed by a key the commune has not enrolled changes nothing, nor does
// one from the office that collects only models, nor an older version.
func TestSettingsSentDown(t *testing.T) {
	ctx := context.Background()
	vp := mustOffice(t, "VPUB", "Văn phòng UBND tỉnh", domain.RoleCollector)
	btg := mustOffice(t, "BTG", "Ban Tuyên giáo và Dân vận Tỉnh ủy", domain.RoleCollector)
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	enrollKinds(t, btg, sh, domain.DataModels)
	enrollKinds(t, vp, sh, domain.DataTallies)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

	// The province's own settings, edited in its window.
	set, _ := vp.st.Settings(ctx)
	set.CutoffDay, set.Recipients = 20, "Cục Kiểm soát TTHC - Văn phòng Chính phủ\nLưu: VT"
	set.ReportPeriods = "month,quarter,year"
	if err := vp.st.SaveSettings(ctx, store.System, set); err != nil {
		t.Fatal(err)
	}
	fields, _ := vp.st.TallyFields(ctx, "")
	byCode := map[string]store.TallyField{}
	for _, f := range fields {
		byCode[f.Code] = f
	}
	if err := vp.st.RenameTallyField(ctx, store.System, byCode["dat_dai"].ID, "Đất đai - Tài nguyên"); err != nil {
		t.Fatal(err)
	}
	if err := vp.st.SetTallyFieldDisabled(ctx, store.System, byCode["tu_phap"].ID, true); err != nil {
		t.Fatal(err)
	}
	added, err := vp.st.AddTallyField(ctx, store.System, "Công Thương")
	if err != nil {
		t.Fatal(err)
	}
	file, doc, err := dsync.PublishSettings(ctx, vp.st, store.System, vp.sg, vp.dir, now)
	if err != nil || doc.Version != 1 {
		t.Fatalf("publish: version %v, %v", doc, err)
	}

	// What SH would see first, changing nothing.
	_, plan, err := dsync.PlanSettings(ctx, sh.st, doc.FileName(), file)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.PublishedChange{
		"cutoff_day":     {What: "cutoff_day", Old: "15", New: "20"},
		"field_rename":   {What: "field_rename", Old: "Đất đai", New: "Đất đai - Tài nguyên"},
		"field_retire":   {What: "field_retire", Old: "Tư pháp"},
		"field_new":      {What: "field_new", New: "Công Thương"},
		"report_periods": {What: "report_periods", Old: "month", New: "month,quarter,year"},
	}
	got := map[string]store.PublishedChange{}
	for _, c := range plan.Changes {
		got[c.What] = c
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("change %s = %+v, want %+v", k, got[k], w)
		}
	}
	if _, ok := got["field_order"]; ok {
		t.Errorf("a rename, a field added and one retired read as a new order: %+v", got["field_order"])
	}
	if s, _ := sh.st.Settings(ctx); s.CutoffDay != 15 {
		t.Fatal("the preview changed the cut-off day")
	}

	// Refused, nothing changed: a stranger's key, a forged signature under
	// the province's name, the office that collects models.
	stranger := mustOffice(t, "XX", "Cơ quan lạ", domain.RoleCollector)
	bad, _, _ := dsync.BuildSettings(stranger.self, doc.Published(), stranger.sg, now)
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, "xx.zip", bad); dsync.ProblemOf(err) != dsync.ProblemUnknownOffice {
		t.Errorf("a stranger's settings: %v", err)
	}
	forged, _, _ := dsync.BuildSettings(vp.self, doc.Published(), stranger.sg, now)
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, "forged.zip", forged); dsync.ProblemOf(err) != dsync.ProblemWrongKey {
		t.Errorf("settings in VPUB's name signed by another key: %v", err)
	}
	tampered := bytes.Replace(file, []byte(`"cutoff_day": 20`), []byte(`"cutoff_day": 25`), 1)
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, "t.zip", tampered); err == nil {
		t.Error("a settings file changed after signing was applied")
	}
	fromBTG, _, _ := dsync.PublishSettings(ctx, btg.st, store.System, btg.sg, btg.dir, now)
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, "btg.zip", fromBTG); !errors.Is(err, store.ErrNotTallyCollector) {
		t.Errorf("settings from the office that collects models: %v", err)
	}
	if s, _ := sh.st.Settings(ctx); s.CutoffDay != 15 || s.Recipients != "" {
		t.Fatalf("a refused file changed the settings: %+v", s)
	}

	// Applied: the settings and the fields follow, figures keep their field.
	spec := sh.addTally(t, "2026-M11", 4) // entered under the old list
	if _, plan, err = dsync.ApplySettings(ctx, sh.st, store.System, doc.FileName(), file); err != nil || len(plan.Changes) < 4 {
		t.Fatalf("apply: %+v, %v", plan, err)
	}
	s, _ := sh.st.Settings(ctx)
	if s.CutoffDay != 20 || s.Recipients != "Cục Kiểm soát TTHC - Văn phòng Chính phủ\nLưu: VT" || !slices.Equal(s.Periods(), []domain.PeriodKind{domain.PeriodMonth, domain.PeriodQuarter, domain.PeriodYear}) {
		t.Errorf("settings after applying: %+v", s)
	}
	if p, due := domain.NextDue(now, s.CutoffDay, s.DueWorkingDays); p.Start.Format(domain.DateLayout) != "2026-11-20" || due.Format(domain.DateLayout) != "2026-12-22" {
		t.Errorf("the next report is %s (%s) due %s", p.Code(), p.Start.Format(domain.DateLayout), due.Format(domain.DateLayout))
	}
	mine, _ := sh.st.TallyFields(ctx, "")
	names := map[string]store.TallyField{}
	for _, f := range mine {
		names[f.Name] = f
	}
	if f := names["Đất đai - Tài nguyên"]; f.Code != "dat_dai" || f.Disabled {
		t.Errorf("renamed field %+v", f)
	}
	if f := names["Tư pháp"]; !f.Disabled {
		t.Errorf("retired field %+v", f)
	}
	if f := names["Công Thương"]; f.Code != added.ID || f.Disabled {
		t.Errorf("new field %+v (code %s wanted)", f, added.ID)
	}
	if pt, _ := sh.st.PeriodTallies(ctx, "", spec); len(pt.Rows) != 1 {
		t.Errorf("the figures entered before: %d rows", len(pt.Rows))
	}
	// Once applied, the same file changes nothing, and an older one is refused.
	if _, plan, err := dsync.ApplySettings(ctx, sh.st, store.System, doc.FileName(), file); err != nil || len(plan.Changes) != 0 {
		t.Errorf("the same file again: %+v, %v", plan.Changes, err)
	}
	if err := vp.st.RecordPublished(ctx, store.System, 5); err != nil {
		t.Fatal(err)
	}
	newer, _, _ := dsync.PublishSettings(ctx, vp.st, store.System, vp.sg, vp.dir, now)
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, "v6.zip", newer); err != nil {
		t.Fatal(err)
	}
	var older *store.ErrPublishedOlder
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, doc.FileName(), file); !errors.As(err, &older) {
		t.Errorf("version 1 after version 6: %v", err)
	}
}

// TestSettingsComeBackWithTheReceipt: the province's server hands its
// latest settings file to a commune that sends it tallies; the commune
// keeps it aside, unapplied, until someone applies it.
func TestSettingsComeBackWithTheReceipt(t *testing.T) {
	ctx := context.Background()
	vp := mustOffice(t, "VPUB", "Văn phòng UBND tỉnh", domain.RoleCollector)
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	enrollKinds(t, vp, sh, domain.DataTallies)
	set, _ := vp.st.Settings(ctx)
	set.CutoffDay = 20
	if err := vp.st.SaveSettings(ctx, store.System, set); err != nil {
		t.Fatal(err)
	}
	if _, _, err := dsync.PublishSettings(ctx, vp.st, store.System, vp.sg, vp.dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The enrollment file made now carries them too: enrolling it offers them.
	enr, err := dsync.ExportEnrollmentFrom(ctx, vp.st, vp.sg, vp.dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := dsync.Enroll(ctx, sh.st, store.System, "vp.zip", enr, "")
	if err != nil || e.Settings() == nil {
		t.Fatalf("the enrollment file carries no settings: %v", err)
	}
	if path, doc, err := dsync.KeepOffered(ctx, sh.st, sh.dir, e.Settings()); err != nil || path == "" || doc.Version != 1 {
		t.Fatalf("settings in the enrollment file: %q, %v", path, err)
	}
	ts := startServer(t, vp, nil)
	if err := sh.st.SetDestination(ctx, store.System, vp.self.ID, []string{domain.DataTallies}, ts.url()); err != nil {
		t.Fatal(err)
	}
	send := func() SendResult {
		t.Helper()
		sh.addTally(t, "2026-M0"+fmt.Sprint(time.Now().Nanosecond()%9+1), 2)
		if _, err := dsync.ExportEach(ctx, sh.st, store.System, sh.sg, sh.dir, dsync.ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		r, err := SendEach(ctx, sh.st, store.System, sh.dir, quick(SendOptions{}))
		if err != nil || r[0].Err != nil {
			t.Fatalf("send: %+v, %v", r, err)
		}
		return r[0]
	}
	r := send()
	if r.Settings == "" || r.SettingsDoc.Version != 1 {
		t.Fatalf("no settings came back: %+v", r)
	}
	if s, _ := sh.st.Settings(ctx); s.CutoffDay != 15 {
		t.Fatal("settings were applied unseen")
	}
	data, err := os.ReadFile(r.Settings)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dsync.ApplySettings(ctx, sh.st, store.System, r.Settings, data); err != nil {
		t.Fatal(err)
	}
	if r := send(); r.Settings != "" {
		t.Errorf("settings already applied offered again: %s", r.Settings)
	}
}
