package sync

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"danvan/store"
)

// enrollAs makes child report to parent: child enrolls parent (a
// destination receiving every kind), parent enrolls child.
func enrollAs(tb testing.TB, parent, child *office) {
	tb.Helper()
	ctx := context.Background()
	data, err := ExportEnrollment(ctx, parent.st, parent.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	// A collecting office takes the office above as a destination only
	// when told what it receives.
	if _, _, err := EnrollKinds(ctx, child.st, store.System, "x.zip", data, "", domain.DataKinds); err != nil {
		tb.Fatal(err)
	}
	enroll(tb, child, parent)
}

// importAt imports files at o with its key, failing on any refusal.
func importAt(tb testing.TB, o *office, paths ...string) []FileResult {
	tb.Helper()
	var out []FileResult
	ImportWith(context.Background(), o.st, store.System, o.dir, FileSources(paths), Options{Key: o.sg}, func(r FileResult) { out = append(out, r) })
	for _, r := range out {
		if r.Err != nil {
			tb.Fatalf("%s: %s: %v", o.self.Code, r.Path, r.Err)
		}
	}
	return out
}

// province is a provincial office and its communes.
type province struct {
	*office
	communes []*office
}

// TestForwardToCentre: 3 provinces of 5 communes each forward their
// communes' batches to the centre. The centre verifies each commune's own
// signature, enrolls the communes under their province, imports every
// record once (a batch forwarded twice changes nothing), shows
// completeness by commune and rolls up the country to exactly the sum of
// the communes' own figures. A province that changes one figure of a
// commune's batch has its whole forwarding batch refused, saying whose.
func TestForwardToCentre(t *testing.T) {
	ctx := context.Background()
	centre := mustOffice(t, "TW", "Ban Tuyên giáo và Dân vận Trung ương", domain.RoleCollector)
	spec, err := domain.ParsePeriod("2025-M12", 15)
	if err != nil {
		t.Fatal(err)
	}
	var provinces []province
	var want int64 // the communes' own "trực tuyến" figures, summed
	for p := 1; p <= 3; p++ {
		pv := province{office: mustOffice(t, fmt.Sprintf("T%d", p), fmt.Sprintf("Ban Tuyên giáo và Dân vận Tỉnh ủy %d", p), domain.RoleCollector)}
		enrollAs(t, centre, pv.office)
		for c := 1; c <= 5; c++ {
			cm := mustOffice(t, fmt.Sprintf("X%d%d", p, c), fmt.Sprintf("UBND xã %d-%d", p, c), domain.RoleCommune)
			enrollAs(t, pv.office, cm)
			online := int64(10*p + c)
			addTally(t, cm, spec, online)
			want += online
			if _, err := cm.st.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: "Mô hình của " + cm.self.Code,
				Field: domain.FieldEconomy, Year: 2025, Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Hướng dẫn hộ nghèo."}); err != nil {
				t.Fatal(err)
			}
			r, err := Export(ctx, cm.st, store.System, cm.sg, cm.dir, ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			importAt(t, pv.office, r.Path)
			pv.communes = append(pv.communes, cm)
		}
		provinces = append(provinces, pv)
	}

	// Provinces 1 and 2 forward; the centre imports.
	var files []string
	for _, pv := range provinces[:2] {
		r, err := Export(ctx, pv.st, store.System, pv.sg, pv.dir, ExportOptions{})
		if err != nil || r.Forwarded != 5 || len(r.Missing) != 0 || r.Manifest.Format != ForwardFormat {
			t.Fatalf("%s forwards: %+v, %v", pv.self.Code, r, err)
		}
		files = append(files, r.Path)
	}
	res := importAt(t, centre, files...)
	if res[0].Batch.Office.Code != "T1" || len(res[0].Batch.Forward.Batches) != 5 || res[0].Import.Counts.New == 0 {
		t.Errorf("the centre's result for T1: %+v", res[0].Import)
	}
	// Nothing new to forward now; a second forwarding of the same file is a replay.
	if _, err := Export(ctx, provinces[0].st, store.System, provinces[0].sg, provinces[0].dir, ExportOptions{}); err != ErrNothingToExport {
		t.Errorf("forwarding again with nothing new: %v", err)
	}
	again := importAt(t, centre, files[0])
	if again[0].Chain.State != store.ChainReplay || again[0].Import.Counts.New != 0 {
		t.Errorf("the same forwarding batch again: %+v", again[0].Import)
	}

	// Province 3 changes one figure of a commune's batch on the way up: it
	// cannot sign as the commune, so the centre refuses the whole file.
	p3 := provinces[2]
	victim := p3.communes[2]
	got, _ := p3.st.ReceivedBatches(ctx, victim.self.ID)
	path := filepath.Join(ReceivedDir(p3.dir), got[0].SHA256+".zip")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Its figure changed and the zip rebuilt, as a careful forger would.
	members, err := readZip(orig, batchMembers, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(members[TalliesName], []byte(`"c4":33`), []byte(`"c4":93`), 1)
	if bytes.Equal(changed, members[TalliesName]) {
		t.Fatalf("no figure 33 in %s", members[TalliesName])
	}
	members[TalliesName] = changed
	forged := forgeForward(t, p3, centre, zipOf(t, batchMembers, members), victim)
	var refused []FileResult
	ImportWith(ctx, centre.st, store.System, centre.dir, []Source{DataSource("T3-forged.zip.age", forged)}, Options{Key: centre.sg}, func(r FileResult) { refused = append(refused, r) })
	if len(refused) != 1 || ProblemOf(refused[0].Err) != ProblemBadHash {
		t.Fatalf("a commune's batch changed by its province: %+v", refused)
	}
	if e := refused[0].Err.(*Error); !bytes.Contains([]byte(e.File), []byte(victim.self.Code)) {
		t.Errorf("the refusal does not name the commune: %v", e)
	}
	if o, err := centre.st.Office(ctx, victim.self.ID); err == nil {
		t.Errorf("a refused forwarding batch enrolled %s", o.Code)
	}
	// Province 3's honest batch goes through.
	r3, err := Export(ctx, p3.st, store.System, p3.sg, p3.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	importAt(t, centre, r3.Path)

	// Every commune is enrolled at the centre under its province.
	for _, pv := range provinces {
		for _, cm := range pv.communes {
			o, err := centre.st.Office(ctx, cm.self.ID)
			if err != nil || o.ParentID != pv.self.ID {
				t.Errorf("%s at the centre: %+v, %v", cm.self.Code, o, err)
			}
		}
	}
	// The national roll-up is the communes' own figures, summed.
	roll, err := centre.st.RollupTallies(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := roll.Total[domain.ColOnline]; got == nil || *got != want || len(roll.Units) != 15 {
		t.Errorf("national roll-up: online %v over %d units, want %d over 15", roll.Total[domain.ColOnline], len(roll.Units), want)
	}
	if n, _ := centre.st.CountModels(ctx, store.ModelFilter{}); n != 15 {
		t.Errorf("the centre holds %d models, want 15", n)
	}
	c, err := centre.st.Completeness(ctx, domain.PeriodMonth, 2025)
	if err != nil || len(c.Rows) != 15 {
		t.Fatalf("completeness at the centre: %d rows, %v", len(c.Rows), err)
	}
	by := c.ByVia()
	if len(by) != 3 || by[0].Via != "T1" || by[2].Via != "T3" || by[1].Units != 5 || by[0].Expected != 5 || by[0].Missing != 0 {
		t.Errorf("completeness by province: %+v", by)
	}
	// A commune of T1 rotates its key; two communes of T2 merge. Both reach
	// the centre through the provinces' next forwarding batches.
	p1, p2 := provinces[0], provinces[1]
	rot := p1.communes[0]
	km, err := RotateKey(ctx, rot.st, store.System, rot.sg, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if rot.sg, err = Unlock(km, testPass); err != nil {
		t.Fatal(err)
	}
	enroll(t, rot, p1.office) // T1 takes the rotation from the commune's new enrollment file
	addTally(t, rot, mustSpec(t, "2026-M01"), 7)
	r, err := Export(ctx, rot.st, store.System, rot.sg, rot.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	importAt(t, p1.office, r.Path)
	gone, into := p2.communes[4], p2.communes[3]
	from := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := p2.st.MergeOffice(ctx, store.System, gone.self.ID, into.self.ID, from); err != nil {
		t.Fatal(err)
	}
	addTally(t, into, mustSpec(t, "2026-M01"), 3)
	r, err = Export(ctx, into.st, store.System, into.sg, into.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	importAt(t, p2.office, r.Path)
	for _, pv := range []province{p1, p2} {
		r, err := Export(ctx, pv.st, store.System, pv.sg, pv.dir, ExportOptions{})
		if err != nil || r.Forwarded != 1 || r.Manifest.Seq != 2 {
			t.Fatalf("%s forwards again: %+v, %v", pv.self.Code, r, err)
		}
		importAt(t, centre, r.Path)
	}
	if keys, _ := centre.st.OfficeKeys(ctx, rot.self.ID); len(keys) != 2 || keys[len(keys)-1].KeyID != rot.sg.KeyID() || !keys[len(keys)-1].Current() {
		t.Errorf("the rotated key at the centre: %+v", keys)
	}
	if m, _ := centre.st.Mergers(ctx); m[gone.self.ID].IntoID != into.self.ID || !m[gone.self.ID].From.Equal(from) {
		t.Errorf("the merger at the centre: %+v", m)
	}
	jan, err := centre.st.RollupTallies(ctx, mustSpec(t, "2026-M01"))
	if err != nil || jan.Total[domain.ColOnline] == nil || *jan.Total[domain.ColOnline] != 10 || len(jan.Units) != 14 {
		t.Errorf("January at the centre: %v over %d units (want 10 over 14), %v", jan.Total[domain.ColOnline], len(jan.Units), err)
	}

	// T2's first forwarding batch again (an old stick): a replay that
	// undoes nothing, the merger stays.
	importAt(t, centre, files[1])
	if m, _ := centre.st.Mergers(ctx); m[gone.self.ID].IntoID != into.self.ID {
		t.Errorf("an old forwarding batch imported again undid the merger: %+v", m)
	}

	// Only a collecting office forwards, and only for its own units: a
	// commune's "forwarding batch", and a province speaking for another
	// province's commune, are refused and change nothing.
	cheat := p1.communes[1]
	enrollAs(t, centre, cheat) // the commune is known to the centre, directly
	bad := forgeForwardAs(t, cheat, centre, p1.communes[2])
	var got2 []FileResult
	ImportWith(ctx, centre.st, store.System, centre.dir, []Source{DataSource("cheat.zip.age", bad)}, Options{Key: centre.sg}, func(r FileResult) { got2 = append(got2, r) })
	if len(got2) != 1 || ProblemOf(got2[0].Err) != ProblemForeign {
		t.Errorf("a commune's forwarding batch: %+v", got2)
	}
	steal := forgeForwardAs(t, p2.office, centre, p1.communes[2])
	got2 = nil
	ImportWith(ctx, centre.st, store.System, centre.dir, []Source{DataSource("steal.zip.age", steal)}, Options{Key: centre.sg}, func(r FileResult) { got2 = append(got2, r) })
	if len(got2) != 1 || ProblemOf(got2[0].Err) != ProblemForeign {
		t.Errorf("T2 speaking for a commune of T1: %+v", got2)
	}
	if o, _ := centre.st.Office(ctx, p1.communes[2].self.ID); o.ParentID != p1.self.ID {
		t.Errorf("%s now belongs to %s", o.Code, o.ParentID)
	}

	// All or nothing: T3 forwards a new batch of one commune with a batch
	// of another that contradicts what the centre holds (the same number,
	// other content: a commune restored from an old backup). The store
	// refuses the second, so the first is not stored either.
	a, bb := p3.communes[0], p3.communes[1]
	addTally(t, a, mustSpec(t, "2026-M02"), 4)
	ra, err := Export(ctx, a.st, store.System, a.sg, a.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	importAt(t, p3.office, ra.Path)
	plan3, err := p3.st.PrepareForward(ctx, store.System, centre.self.ID)
	if err != nil || len(plan3.Items) != 1 {
		t.Fatalf("T3's next forward: %+v, %v", plan3.Items, err)
	}
	aData, err := os.ReadFile(filepath.Join(ReceivedDir(p3.dir), plan3.Items[0].SHA256+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	bKey, _ := bb.st.SelfKey(ctx)
	other, _, err := BuildBatch(store.ExportPlan{Office: bb.self, Key: bKey, Seq: 1, Records: benchRecords(bb.self.ID, 1, 7)}, bb.sg, vecNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	mixed := forwardWith(t, p3.office, centre, plan3, [][2]any{{a.self.ID, aData}, {bb.self.ID, other}})
	var got3 []FileResult
	ImportWith(ctx, centre.st, store.System, centre.dir, []Source{DataSource("mixed.zip.age", mixed)}, Options{Key: centre.sg}, func(r FileResult) { got3 = append(got3, r) })
	var fe *ForwardedError
	if len(got3) != 1 || !errors.As(got3[0].Err, &fe) || fe.Office != bb.self.Code {
		t.Fatalf("a forwarding batch with a forked unit batch: %+v", got3)
	}
	if links, _ := centre.st.ChainLinks(ctx, a.self.ID); len(links) != 1 {
		t.Errorf("%s's good batch was stored although the forwarding batch was refused: %d batches", a.self.Code, len(links))
	}

	// The province's receipt acknowledges its forwarding batches.
	rcpt, _, err := CurrentReceipt(ctx, centre.st, centre.sg, provinces[0].self.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ack, err := ImportReceipt(ctx, provinces[0].st, store.System, "r.zip", rcpt); err != nil || len(ack.Acknowledged) != 2 {
		t.Errorf("T1's receipt: %+v, %v", ack, err)
	}
}

// addTally stores one final row of the first field for spec at o.
func addTally(t *testing.T, o *office, spec domain.PeriodSpec, online int64) {
	t.Helper()
	fs, err := o.st.TallyFields(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var c domain.Counts
	c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(online), domain.V(0), domain.V(0)
	c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(online), domain.V(0), domain.V(0)
	c[domain.ColWithin], c[domain.ColOverdue] = domain.V(0), domain.V(0)
	if _, err := o.st.SaveTallies(context.Background(), store.System, spec, []store.TallyInput{{FieldID: fs[0].ID, Counts: c, Final: true}}); err != nil {
		t.Fatal(err)
	}
}

// forgeForward is what a dishonest province would send: its own honest
// forwarding batch, with one commune batch replaced by changed bytes, the
// manifest's size and hash made to match, and signed with the province's
// own key, which is all it has.
func forgeForward(t *testing.T, p province, centre *office, changed []byte, victim *office) []byte {
	t.Helper()
	ctx := context.Background()
	plan, err := p.st.PrepareForward(ctx, store.System, centre.self.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := &ForwardManifest{Format: ForwardFormat, Office: ManifestOffice{ID: p.self.ID, Code: p.self.Code, Name: p.self.Name},
		To: ManifestOffice{ID: centre.self.ID, Code: centre.self.Code, Name: centre.self.Name}, KeyID: p.sg.KeyID(), Seq: plan.Seq,
		PrevSHA256: plan.PrevSHA256, CreatedAt: time.Now().UTC().Format(timeLayout), Units: []Enrollment{}, Batches: []ForwardRef{}}
	m.Units = unitEnrollments(plan.Units, m.CreatedAt)
	var members []member
	for _, it := range plan.Items {
		data, err := os.ReadFile(filepath.Join(ReceivedDir(p.dir), it.SHA256+".zip"))
		if err != nil {
			t.Fatal(err)
		}
		if it.OfficeID == victim.self.ID {
			data = changed
		}
		name := forwardMemberName(len(members))
		m.Batches = append(m.Batches, ForwardRef{Name: name, Office: it.OfficeID, Seq: it.Seq, Size: int64(len(data)), SHA256: SHA256Hex(data)})
		members = append(members, member{name, data})
	}
	mb, err := marshalCanonical(m)
	if err != nil {
		t.Fatal(err)
	}
	sig := p.sg.signText(mb, m.trustedComment(SHA256Hex(mb)))
	signed, err := writeZip(append(append([]member{{ManifestName, mb}}, members...), member{SignatureName, sig}))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal(signed, []string{centre.sg.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func mustSpec(t *testing.T, code string) domain.PeriodSpec {
	t.Helper()
	spec, err := domain.ParsePeriod(code, 15)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// FuzzReadForward feeds arbitrary bytes, as they come out of the office
// above's decryption, to the forwarding batch reader: it must never panic,
// and whatever it accepts carries only unit batches of units it vouches
// for, each signed by its unit.
func FuzzReadForward(f *testing.F) {
	ctx := context.Background()
	centre := mustOffice(f, "TW", "Trung ương", domain.RoleCollector)
	pv := mustOffice(f, "T1", "Tỉnh 1", domain.RoleCollector)
	cm := mustOffice(f, "X11", "UBND xã 1-1", domain.RoleCommune)
	enrollAs(f, centre, pv)
	enrollAs(f, pv, cm)
	if _, err := cm.st.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: "Nuôi cá lồng", Field: domain.FieldEconomy,
		Year: 2025, Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Hướng dẫn hộ nghèo."}); err != nil {
		f.Fatal(err)
	}
	r, err := Export(ctx, cm.st, store.System, cm.sg, cm.dir, ExportOptions{})
	if err != nil {
		f.Fatal(err)
	}
	importAt(f, pv, r.Path)
	fr, err := Export(ctx, pv.st, store.System, pv.sg, pv.dir, ExportOptions{})
	if err != nil {
		f.Fatal(err)
	}
	sealed, err := os.ReadFile(fr.Path)
	if err != nil {
		f.Fatal(err)
	}
	inner, err := open(WithKey(centre.st, centre.sg), sealed, DefaultLimits)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := readForward(ctx, centre.st, inner, DefaultLimits, true); err != nil {
		f.Fatalf("the seed forwarding batch is refused: %v", err)
	}
	f.Add(inner)
	f.Add([]byte("PK\x05\x06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := readForward(ctx, centre.st, b, DefaultLimits, true)
		if err != nil {
			return
		}
		if got.Office.ID != pv.self.ID || got.Forward == nil {
			t.Fatalf("accepted a forwarding batch from %s", got.Office.Code)
		}
		for _, ib := range got.Forward.Batches {
			if ib.Office.ID != cm.self.ID {
				t.Fatalf("accepted a unit batch of %s", ib.Office.Code)
			}
		}
	})
}

// forgeForwardAs is a forwarding batch signed by from, vouching for unit
// (with the unit's real keys) and carrying nothing else.
func forgeForwardAs(t *testing.T, from, centre, unit *office) []byte {
	t.Helper()
	keys, err := unit.st.OfficeKeys(context.Background(), unit.self.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := &ForwardManifest{Format: ForwardFormat, Office: ManifestOffice{ID: from.self.ID, Code: from.self.Code, Name: from.self.Name},
		To: ManifestOffice{ID: centre.self.ID, Code: centre.self.Code, Name: centre.self.Name}, KeyID: from.sg.KeyID(), Seq: 9,
		PrevSHA256: fmt.Sprintf("%064d", 8), CreatedAt: time.Now().UTC().Format(timeLayout), Mergers: []ForwardMerger{}, Batches: []ForwardRef{},
		Units: unitEnrollments([]store.UnitKeys{{Office: unit.self, Keys: keys}}, time.Now().UTC().Format(timeLayout))}
	mb, err := marshalCanonical(m)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := writeZip([]member{{ManifestName, mb}, {SignatureName, from.sg.signText(mb, m.trustedComment(SHA256Hex(mb)))}})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal(signed, []string{centre.sg.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

// forwardWith is a forwarding batch signed by from, the next in its chain
// to centre (plan), vouching for plan's units and carrying the given unit
// batches (office id, signed zip).
func forwardWith(t *testing.T, from, centre *office, plan store.ForwardPlan, batches [][2]any) []byte {
	t.Helper()
	now := time.Now().UTC().Format(timeLayout)
	m := &ForwardManifest{Format: ForwardFormat, Office: ManifestOffice{ID: from.self.ID, Code: from.self.Code, Name: from.self.Name},
		To: ManifestOffice{ID: centre.self.ID, Code: centre.self.Code, Name: centre.self.Name}, KeyID: from.sg.KeyID(), Seq: plan.Seq,
		PrevSHA256: plan.PrevSHA256, CreatedAt: now, Mergers: []ForwardMerger{}, Batches: []ForwardRef{}, Units: unitEnrollments(plan.Units, now)}
	var members []member
	for i, b := range batches {
		data := b[1].([]byte)
		var man struct {
			Seq int64 `json:"seq"`
		}
		mb, _ := peekManifest(data, DefaultLimits)
		if err := json.Unmarshal(mb, &man); err != nil {
			t.Fatal(err)
		}
		name := forwardMemberName(i)
		m.Batches = append(m.Batches, ForwardRef{Name: name, Office: b[0].(string), Seq: man.Seq, Size: int64(len(data)), SHA256: SHA256Hex(data)})
		members = append(members, member{name, data})
	}
	mb, err := marshalCanonical(m)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := writeZip(append(append([]member{{ManifestName, mb}}, members...), member{SignatureName, from.sg.signText(mb, m.trustedComment(SHA256Hex(mb)))}))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal(signed, []string{centre.sg.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}
