//go:build !windows

package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"fmt"
	"sort"
	"syscall"
	"testing"
	"time"
)

// seedModels writes n varied models straight into the table in one
// transaction: the benchmarks measure reading, not n separate saves.
func seedModels(tb testing.TB, s *Store, n int) {
	tb.Helper()
	ctx := context.Background()
	self, err := s.SelfOffice(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	crops := []string{"Nuôi cá lồng", "Trồng khoai lang", "Nuôi dê", "Trồng bưởi đỏ", "Trồng mía tím", "Camera an ninh", "Tổ hòa giải", "Câu lạc bộ Phụ nữ", "Đường hoa", "Thắp sáng đường quê"}
	places := []string{"Mãn Đức", "Suối Hoa", "Phú Vinh", "Phú Cường", "Mỹ Hòa", "Quyết Chiến", "Phong Phú", "Tử Nê", "Thanh Hối", "Ngọc Mỹ", "Đông Lai", "Vân Sơn", "Nhân Mỹ", "Lỗ Sơn", "Ngổ Luông", "Gia Mô"}
	people := []string{"Bùi Văn Thắng", "Đinh Thị Hoa", "Quách Văn Đức", "Lò Thị Mai", "Hà Văn Sơn"}
	now := time.Now().UTC()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < n; i++ {
			m := domain.Model{
				ID: NewID(), OwnerOfficeID: self.ID, Kind: []domain.ModelKind{domain.KindModel, domain.KindExemplar}[i%2],
				Name:  fmt.Sprintf("%s xóm %d xã %s", crops[i%len(crops)], i/160, places[(i/7)%len(places)]),
				Field: domain.Fields[i%4], Year: 2015 + i%11, Body: domain.Bodies[i%len(domain.Bodies)], BodyOther: "",
				Location: "xóm " + fmt.Sprint(i%40), PersonName: people[i%len(people)], Content: "Nội dung",
				Status: domain.ModelStatuses[i%5], Revision: 1, ChangeSeq: int64(i + 1), CreatedAt: now, UpdatedAt: now,
			}
			if m.Body == domain.BodyOther {
				m.BodyOther = "Chi hội"
			}
			if err := putModel(ctx, tx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

var benchStore *Store

func benchSeeded(b *testing.B) *Store {
	if benchStore == nil {
		s, err := Open(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		st := domain.DefaultSettings()
		st.CollectorName = "Ban Dân vận"
		if _, err := s.Setup(context.Background(), SetupInput{Office: domain.Office{Code: "TL", Name: "Tân Lạc", Kind: domain.KindHuyen, Role: domain.RoleCommune}, Settings: st}); err != nil {
			b.Fatal(err)
		}
		n := 100_000
		if testing.Short() { // scripts/bench.sh --tiny: the pipeline, not the figure
			n = 2_000
		}
		seedModels(b, s, n)
		benchStore = s
	}
	return benchStore
}

// reportP95 reports the 95th percentile of the wall times, and the
// process CPU time per operation: on a shared machine the wall time
// includes waiting for a core, the CPU time is the work itself.
func reportP95(b *testing.B, d []time.Duration) {
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpuStart)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	if len(d) == 0 {
		return
	}
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkSearchModels is the search box over 100.000 models: the first
// page of matches and their count, diacritics ignored. Goal: p95 ≤ 50 ms.
func BenchmarkSearchModels(b *testing.B) {
	s := benchSeeded(b)
	ctx := context.Background()
	queries := []string{"suoi hoa", "Nuôi dê", "thang", "dong lai", "camera xom 3", "không có gì như thế", "bưởi", "ngo luong", "a"}
	var d []time.Duration
	b.ResetTimer()
	cpuStart = cpuTime()
	for i := 0; i < b.N; i++ {
		f := ModelFilter{Query: queries[i%len(queries)], Limit: 100}
		start := time.Now()
		if _, err := s.SearchModels(ctx, f); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountModels(ctx, f); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
	}
	reportP95(b, d)
}

// BenchmarkModelsFirstPage is opening the screen over 100.000 models: the
// four counts, the total and the first page. Goal ≤ 300 ms.
func BenchmarkModelsFirstPage(b *testing.B) {
	s := benchSeeded(b)
	ctx := context.Background()
	var d []time.Duration
	b.ResetTimer()
	cpuStart = cpuTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.CountModelsByField(ctx, ModelFilter{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountModels(ctx, ModelFilter{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.SearchModels(ctx, ModelFilter{Limit: 100}); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
	}
	reportP95(b, d)
}

// BenchmarkModelsFilteredPage is a filtered list deep into the 100.000.
func BenchmarkModelsFilteredPage(b *testing.B) {
	s := benchSeeded(b)
	ctx := context.Background()
	var d []time.Duration
	b.ResetTimer()
	cpuStart = cpuTime()
	for i := 0; i < b.N; i++ {
		f := ModelFilter{Field: domain.Fields[i%4], Status: domain.ModelStatuses[i%5], Limit: 100, Offset: 5000}
		start := time.Now()
		if _, err := s.SearchModels(ctx, f); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountModels(ctx, f); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
	}
	reportP95(b, d)
}

var cpuStart time.Duration

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
