package sync

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"os"
	"strconv"
	"testing"

	"danvan/store"
)

// BenchmarkCentreImport: the centre imports one batch of each of 3.321
// communes (10 model records each), as 34 provinces forward them (34
// encrypted forwarding batches, every commune signature checked, the
// communes enrolled by their province's word), against the same batches
// imported directly from communes already enrolled. One op is the whole
// country into a fresh centre; -short (or DANVAN_BENCH_UNITS) makes it
// smaller. scripts/bench.sh prints the two side by side (row P9).
func BenchmarkCentreImport(b *testing.B) {
	units, provinces := 3321, 34
	if testing.Short() {
		units, provinces = 40, 4
	}
	if n, err := strconv.Atoi(os.Getenv("DANVAN_BENCH_UNITS")); err == nil && n > 0 {
		units = n
	}
	type commune struct {
		off  domain.Office
		key  store.OfficeKey
		data []byte
	}
	communes := make([]commune, units)
	for i := range communes {
		_, sg := mustKey(b, fmt.Sprint("commune ", i))
		off := domain.Office{ID: fmt.Sprintf("%08x-2222-4222-8222-222222222222", i), Code: fmt.Sprintf("X%04d", i), Name: fmt.Sprint("UBND xã ", i),
			Kind: domain.KindXa, Role: domain.RoleCommune}
		plan := store.ExportPlan{Office: off, Key: store.KeyMaterial{KeyID: sg.KeyID()}, Seq: 1, Records: benchRecords(off.ID, 10, i)}
		data, _, err := BuildBatch(plan, sg, vecNow, nil)
		if err != nil {
			b.Fatal(err)
		}
		communes[i] = commune{off: off, key: store.OfficeKey{KeyID: sg.KeyID(), PublicKey: sg.PublicKey()}, data: data}
	}
	type prov struct {
		off domain.Office
		sg  *Signer
	}
	provs := make([]prov, provinces)
	for i := range provs {
		_, sg := mustKey(b, fmt.Sprint("province ", i))
		provs[i] = prov{off: domain.Office{ID: fmt.Sprintf("%08x-3333-4333-8333-333333333333", i), Code: fmt.Sprintf("T%02d", i),
			Name: fmt.Sprint("Ban Tuyên giáo và Dân vận Tỉnh ủy ", i), Kind: domain.KindTinh, Role: domain.RoleCollector}, sg: sg}
	}
	ctx := context.Background()
	fresh := func(b *testing.B) *office {
		b.Helper()
		b.StopTimer()
		defer b.StartTimer()
		return mustOffice(b, "TW", "Ban Tuyên giáo và Dân vận Trung ương", domain.RoleCollector)
	}
	importAll := func(b *testing.B, centre *office, srcs []Source) {
		n := 0
		ImportWith(ctx, centre.st, store.System, centre.dir, srcs, Options{Key: centre.sg}, func(r FileResult) {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Path, r.Err)
			}
			n++
		})
		if n != len(srcs) {
			b.Fatalf("%d of %d imported", n, len(srcs))
		}
	}

	b.Run("direct", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			centre := fresh(b)
			b.StopTimer()
			srcs := make([]Source, units)
			for j, c := range communes {
				if _, err := centre.st.EnrollOffice(ctx, store.System, store.Enrollment{Office: c.off, Keys: []store.OfficeKey{c.key}}); err != nil {
					b.Fatal(err)
				}
				srcs[j] = DataSource(c.off.Code+"-000001-20260105.zip", c.data)
			}
			b.StartTimer()
			importAll(b, centre, srcs)
		}
		b.ReportMetric(float64(units), "communes")
	})

	b.Run("forwarded", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			centre := fresh(b)
			b.StopTimer()
			srcs := make([]Source, provinces)
			for p, pv := range provs {
				if _, err := centre.st.EnrollOffice(ctx, store.System, store.Enrollment{Office: pv.off,
					Keys: []store.OfficeKey{{KeyID: pv.sg.KeyID(), PublicKey: pv.sg.PublicKey()}}}); err != nil {
					b.Fatal(err)
				}
				m := &ForwardManifest{Format: ForwardFormat, Office: ManifestOffice{ID: pv.off.ID, Code: pv.off.Code, Name: pv.off.Name},
					To: ManifestOffice{ID: centre.self.ID, Code: centre.self.Code, Name: centre.self.Name}, KeyID: pv.sg.KeyID(), Seq: 1,
					CreatedAt: vecNow.Format(timeLayout), Units: []Enrollment{}, Mergers: []ForwardMerger{}, Batches: []ForwardRef{}}
				var members []member
				for c := p; c < units; c += provinces {
					cm := communes[c]
					m.Units = append(m.Units, Enrollment{Format: EnrollmentFormat, Office: EnrollOffice{ID: cm.off.ID, Code: cm.off.Code,
						Name: cm.off.Name, Kind: string(cm.off.Kind), Role: string(cm.off.Role)}, CreatedAt: m.CreatedAt,
						Keys: []EnrollmentKey{{KeyID: cm.key.KeyID, PublicKey: cm.key.PublicKey}}})
					name := forwardMemberName(len(members))
					m.Batches = append(m.Batches, ForwardRef{Name: name, Office: cm.off.ID, Seq: 1, Size: int64(len(cm.data)), SHA256: SHA256Hex(cm.data)})
					members = append(members, member{name, cm.data})
				}
				mb, err := marshalCanonical(m)
				if err != nil {
					b.Fatal(err)
				}
				sig := pv.sg.signText(mb, m.trustedComment(SHA256Hex(mb)))
				signed, err := writeZip(append(append([]member{{ManifestName, mb}}, members...), member{SignatureName, sig}))
				if err != nil {
					b.Fatal(err)
				}
				sealed, err := seal(signed, []string{centre.sg.Recipient()})
				if err != nil {
					b.Fatal(err)
				}
				srcs[p] = DataSource(m.FileName(), sealed)
			}
			b.StartTimer()
			importAll(b, centre, srcs)
			b.StopTimer()
			if n, err := centre.st.CountModels(ctx, store.ModelFilter{}); err != nil || n != 10*units {
				b.Fatalf("the centre holds %d models, want %d (%v)", n, 10*units, err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(units), "communes")
	})
}
