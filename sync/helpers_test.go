package sync

import (
	"context"
	"crypto/sha256"
	"danvan/internal/domain"
	"path/filepath"
	"testing"
	"time"

	"danvan/store"
)

func init() { KDFCost = FastKDF }

// seeded is a deterministic random source, so that keys (and therefore
// vectors) can be made again byte for byte.
type seeded struct {
	block [32]byte
	n     int
	buf   []byte
}

func newSeeded(seed string) *seeded { return &seeded{block: sha256.Sum256([]byte(seed))} }

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

// mustKey makes a deterministic key and opens it.
func mustKey(tb testing.TB, seed string) (store.KeyMaterial, *Signer) {
	tb.Helper()
	km, err := GenerateKey(newSeeded(seed), testPass)
	if err != nil {
		tb.Fatal(err)
	}
	sg, err := Unlock(km, testPass)
	if err != nil {
		tb.Fatal(err)
	}
	return km, sg
}

// office is one installation in a test: its data folder, store and key.
type office struct {
	dir  string
	st   *store.Store
	self domain.Office
	sg   *Signer
}

func mustOffice(tb testing.TB, code, name string, role domain.OfficeRole) *office {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), code)
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	km, sg := mustKey(tb, "key of "+code)
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
	kind := domain.KindXa
	if role == domain.RoleCollector {
		kind = domain.KindHuyen
	}
	self, err := st.Setup(context.Background(), store.SetupInput{
		Office:   domain.Office{Code: code, Name: name, Kind: kind, Role: role},
		Settings: set,
		Key:      &km,
	})
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
	data, err := ExportEnrollment(ctx, a.st, a.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := Enroll(ctx, b.st, store.System, "x.zip", data, Fingerprint(a.sg.KeyID())); err != nil {
		tb.Fatal(err)
	}
}
