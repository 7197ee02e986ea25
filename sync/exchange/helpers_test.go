package exchange

import (
	"context"
	"crypto/sha256"
	"danvan/internal/domain"
	"path/filepath"
	"testing"
	"time"

	"danvan/store"
	dsync "danvan/sync"
)

// The exchange's tests need offices with keys, as the batch format's do
// (sync/helpers_test.go): a collecting office and its communes, each with a
// data folder, a store and an unlocked key.

func init() { dsync.KDFCost = dsync.FastKDF }

// seeded is a deterministic random source for keys.
type seeded struct {
	block [32]byte
	n     int
	buf   []byte
}

func (s *seeded) Read(p []byte) (int, error) {
	for i := range p {
		if len(s.buf) == 0 {
			s.n++
			h := sha256.Sum256(append(s.block[:], byte(s.n), byte(s.n>>8)))
			s.buf = h[:]
		}
		p[i], s.buf = s.buf[0], s.buf[1:]
	}
	return len(p), nil
}

const testPass = "mật khẩu ký 2026"

type office struct {
	dir  string
	st   *store.Store
	self domain.Office
	sg   *dsync.Signer
}

func mustOffice(tb testing.TB, code, name string, role domain.OfficeRole) *office {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), code)
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	km, err := dsync.GenerateKey(&seeded{block: sha256.Sum256([]byte("key of " + code))}, testPass)
	if err != nil {
		tb.Fatal(err)
	}
	sg, err := dsync.Unlock(km, testPass)
	if err != nil {
		tb.Fatal(err)
	}
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
	kind := domain.KindXa
	if role == domain.RoleCollector {
		kind = domain.KindHuyen
	}
	self, err := st.Setup(context.Background(), store.SetupInput{
		Office: domain.Office{Code: code, Name: name, Kind: kind, Role: role}, Settings: set, Key: &km})
	if err != nil {
		tb.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 1, 5, 2, 30, 0, 0, time.UTC) }
	return &office{dir: dir, st: st, self: self, sg: sg}
}

// enroll makes b know a (b imports a's enrollment file).
func enroll(tb testing.TB, a, b *office) {
	tb.Helper()
	ctx := context.Background()
	data, err := dsync.ExportEnrollment(ctx, a.st, a.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := dsync.Enroll(ctx, b.st, store.System, "x.zip", data, dsync.Fingerprint(a.sg.KeyID())); err != nil {
		tb.Fatal(err)
	}
}

// addModel registers a model at o.
func (o *office) addModel(t testing.TB, name string) domain.Model {
	t.Helper()
	m, err := o.st.SaveModel(context.Background(), store.System, domain.Model{
		Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy, Year: 2025, Body: domain.BodyFarmers,
		Location: "xóm Bưa", PersonName: "Bùi Văn Thắng", Content: "Hướng dẫn hộ nghèo.", Budget: 150_000_000,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (o *office) addTally(t testing.TB, period string, online int64) domain.PeriodSpec {
	t.Helper()
	ctx := context.Background()
	spec, err := domain.ParsePeriod(period, 15)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := o.st.TallyFields(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var c domain.Counts
	c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(online), domain.V(5), domain.V(0)
	c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(online), domain.V(4), domain.V(1)
	c[domain.ColWithin], c[domain.ColOverdue] = domain.V(0), domain.V(0)
	if _, err := o.st.SaveTallies(ctx, store.System, spec, []store.TallyInput{{FieldID: fs[0].ID, Counts: c, Final: true}}); err != nil {
		t.Fatal(err)
	}
	return spec
}
