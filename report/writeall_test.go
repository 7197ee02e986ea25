package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"danvan/store"
)

// seedStoreModels imports n models through the interchange import, spread
// over the ten years up to 2024 the way `danvan dev seed models` spreads
// them, so that the 2024 list and summary hold all of them that count.
func seedStoreModels(t testing.TB, st *store.Store, n int) {
	t.Helper()
	header := []string{"Loại", "Tên mô hình", "Lĩnh vực", "Năm đăng ký", "Đơn vị đăng ký", "Địa bàn", "Người phụ trách", "Nội dung thực hiện", "Kinh phí (đồng)", "Trạng thái"}
	works := []string{"Nuôi cá lồng", "Trồng khoai lang", "Trồng bưởi đỏ", "Camera an ninh", "Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật"}
	fields := []string{"Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"}
	bodies := []string{"Đảng ủy", "UBND", "MTTQ", "Hội Phụ nữ", "Hội Nông dân"}
	rows := make([][]string, n)
	for i := range rows {
		kind := "Mô hình"
		if i%3 == 2 {
			kind = "Điển hình"
		}
		rows[i] = []string{kind, fmt.Sprintf("%s, nhóm %d xã Suối Hoa", works[i%len(works)], i+1),
			fields[i%len(fields)], strconv.Itoa(2024 - i%10), bodies[i%len(bodies)],
			fmt.Sprintf("xóm %d, xã Suối Hoa", i%40+1), "Bùi Văn Thắng",
			"Hướng dẫn hộ nghèo làm theo mô hình, hỗ trợ giống và kỹ thuật.",
			strconv.Itoa(1_000_000 * (i%150 + 1)), []string{"Đã đăng ký", "Đang thực hiện"}[i%2]}
	}
	res, err := st.ImportModels(context.Background(), store.System, header, rows, nil, store.ModelImportOptions{})
	if err != nil || res.Created != n {
		t.Fatalf("ImportModels: %v, created %d of %d, problems %v", err, res.Created, n, res.Problems)
	}
}

func TestWriteAll(t *testing.T) {
	st := setUpStore(t)
	saveSeedTally(t, st)
	seedStoreModels(t, st, 30)
	ctx := context.Background()
	date := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	job := func(k Kind, period string, f Format) Job {
		req := Request{Kind: k, Period: period, Date: date}
		return Job{Request: req, Format: f, Path: filepath.Join(dir, FileName(req, f))}
	}
	for _, tc := range []struct {
		name string
		jobs []Job
		fail []bool // which jobs must fail
	}{
		{"summary and models", []Job{job(KindSummary, "2024-Y", PDF), job(KindModels, "2024-Y", PDF)}, []bool{false, false}},
		{"three formats at once", []Job{job(KindTally, "2024-Y", XLSX), job(KindModels, "2024", CSV), job(KindSummary, "2024-Y", PDF)}, []bool{false, false, false}},
		{"one fails, the others are written", []Job{job(KindModels, "2010", PDF), job(KindTally, "2024-Y", PDF)}, []bool{true, false}},
		{"no period", []Job{job(KindSummary, "", PDF)}, []bool{true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := WriteAll(ctx, st, tc.jobs)
			if len(errs) != len(tc.jobs) {
				t.Fatalf("%d results for %d jobs", len(errs), len(tc.jobs))
			}
			for i, j := range tc.jobs {
				fi, statErr := os.Stat(j.Path)
				if tc.fail[i] {
					if errs[i] == nil || statErr == nil {
						t.Errorf("%s: err %v, file left: %v", j.Request.Kind, errs[i], statErr == nil)
					}
					continue
				}
				if errs[i] != nil || statErr != nil || fi.Size() == 0 {
					t.Errorf("%s: err %v, stat %v", j.Request.Kind, errs[i], statErr)
				}
			}
		})
	}
	t.Run("side by side as one by one", func(t *testing.T) {
		// The summary and the list share one read of the models; each must
		// print what it prints when built alone.
		jobs := []Job{job(KindSummary, "2024-Y", PDF), job(KindModels, "2024-Y", PDF)}
		for i, err := range WriteAll(ctx, st, jobs) {
			if err != nil {
				t.Fatalf("%s: %v", jobs[i].Request.Kind, err)
			}
		}
		for _, j := range jobs {
			doc, err := Build(ctx, st, j.Request)
			if err != nil {
				t.Fatal(err)
			}
			alone, _ := writePDF(t, doc, "alone-"+string(j.Request.Kind))
			if a, b := pdfText(t, alone), pdfText(t, j.Path); a != b {
				t.Errorf("%s differs when written beside another report:\n%s\n---\n%s", j.Request.Kind, a, b)
			}
		}
	})
	t.Run("the failure says what failed", func(t *testing.T) {
		errs := WriteAll(ctx, st, []Job{job(KindModels, "2010", PDF), job(KindSummary, "", PDF)})
		var nd *NoDataError
		var np *PeriodRequiredError
		if !errors.As(errs[0], &nd) || !errors.As(errs[1], &np) {
			t.Errorf("errs = %v", errs)
		}
	})
	t.Run("a cancelled run writes nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		j := job(KindTally, "2024-Q1", PDF)
		if errs := WriteAll(cctx, st, []Job{j}); !errors.Is(errs[0], context.Canceled) {
			t.Errorf("err = %v", errs[0])
		}
		if _, err := os.Stat(j.Path); err == nil {
			t.Error("a cancelled job wrote its file")
		}
	})
}

// BenchmarkSummaryAndModelsPDF is P6 in process: the summary and the list
// of 1.000 models read from a store and written as PDF files side by side,
// the way `danvan report summary models --out DIR` writes them after the
// store is open.
func BenchmarkSummaryAndModelsPDF(b *testing.B) {
	st := setUpStore(b)
	saveSeedTally(b, st)
	seedStoreModels(b, st, 1000)
	ctx := context.Background()
	dir := b.TempDir()
	var jobs []Job
	for _, k := range []Kind{KindSummary, KindModels} {
		req := Request{Kind: k, Period: "2024-Y", Baseline: 2019, Date: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
		jobs = append(jobs, Job{Request: req, Format: PDF, Path: filepath.Join(dir, FileName(req, PDF))})
	}
	b.ResetTimer()
	for b.Loop() {
		for i, err := range WriteAll(ctx, st, jobs) {
			if err != nil {
				b.Fatalf("%s: %v", jobs[i].Request.Kind, err)
			}
		}
	}
}
