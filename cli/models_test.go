package cli

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/report/sheet"
	"danvan/store"
)

func modelsRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	inv, err := Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	inv.Stdout, inv.Stderr = &out, &errb
	return Run(context.Background(), inv), out.String(), errb.String()
}

func modelsInit(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	code, _, stderr := modelsRun(t, "--data", dir, "--lang", "vi", "init", "--office-name", "Huyện Tân Lạc", "--office-code", "TL",
		"--kind", "huyen", "--role", "commune", "--collector-name", "Ban Dân vận Tỉnh ủy")
	if code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	return dir
}

// seedCSV writes the seed district's 315 models (101 kinh tế, 184 văn hóa
// - xã hội, 25 quốc phòng - an ninh, 5 xây dựng hệ thống chính trị) the way
// a Vietnamese Excel saves them: BOM, ";" separators, header order changed.
func seedCSV(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("\xef\xbb\xbfTên mô hình;Lĩnh vực;Loại;Năm đăng ký;Đơn vị đăng ký;Người phụ trách;Nội dung thực hiện;Kinh phí (đồng);Trạng thái\r\n")
	fields := []struct {
		label string
		n     int
	}{{"Kinh tế", 101}, {"văn hoá – xã hội", 184}, {"Quoc phong - An ninh", 25}, {"Xây dựng hệ thống chính trị", 5}}
	units := []string{"Mãn Đức", "Suối Hoa", "Phú Vinh", "Phú Cường", "Mỹ Hòa", "Quyết Chiến", "Phong Phú", "Tử Nê", "Thanh Hối"}
	bodies := []string{"Đảng ủy", "UBND", "MTTQ", "Hội Phụ nữ", "Đoàn Thanh niên", "Hội Nông dân", "Hội Cựu chiến binh", "Công an xã"}
	n := 0
	for _, f := range fields {
		for i := 0; i < f.n; i++ {
			n++
			fmt.Fprintf(&b, "\"Mô hình %d; %s xã %s\";%s;%s;%d;%s;Người phụ trách %d;\"Nội dung %d\";%s;%s\r\n",
				i+1, f.label, units[n%len(units)], f.label, []string{"Mô hình", "Điển hình"}[n%2], 2019+n%6,
				bodies[n%len(bodies)], n, n, "1.500.000", []string{"Đã đăng ký", "Đang thực hiện"}[n%2])
		}
	}
	path := filepath.Join(dir, "tan-lac-2019-2024.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func countsIn(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  ") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return strings.Join(lines, "|")
}

const seedCounts = "Kinh tế: 101|Văn hóa - Xã hội: 184|Quốc phòng - An ninh: 25|Xây dựng hệ thống chính trị: 5|Tổng số: 315"

func TestModelsImportSeedDistrict(t *testing.T) {
	dir := modelsInit(t)
	work := t.TempDir()
	csv := seedCSV(t, work)

	code, out, stderr := modelsRun(t, "--data", dir, "models", "import", csv, "--dry-run")
	if code != 0 || !strings.Contains(out, "sẽ thêm mới 315") {
		t.Fatalf("dry run: %d %q %q", code, out, stderr)
	}
	code, out, stderr = modelsRun(t, "--data", dir, "models", "import", csv)
	if code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	if got := countsIn(out); got != seedCounts {
		t.Errorf("import counts = %q, want %q", got, seedCounts)
	}
	// Again: nothing new.
	code, out, _ = modelsRun(t, "--data", dir, "models", "import", csv)
	if code != 0 || !strings.Contains(out, "thêm mới 0, cập nhật 0, không đổi 315") {
		t.Errorf("re-import: %d %q", code, out)
	}
	for _, ext := range []string{"csv", "xlsx"} {
		t.Run(ext, func(t *testing.T) {
			exp := filepath.Join(work, "export."+ext)
			code, out, stderr := modelsRun(t, "--data", dir, "models", "export", exp)
			if code != 0 {
				t.Fatalf("export: %d %s", code, stderr)
			}
			if got := countsIn(out); got != seedCounts {
				t.Errorf("export counts = %q", got)
			}
			tb, err := sheet.ReadFile(exp)
			if err != nil {
				t.Fatal(err)
			}
			col := tb.Column(domain.ColField)
			byField := map[string]int{}
			for r := range tb.Rows {
				byField[tb.Cell(r, col)]++
			}
			if byField["Kinh tế"] != 101 || byField["Văn hóa - Xã hội"] != 184 || byField["Quốc phòng - An ninh"] != 25 || byField["Xây dựng hệ thống chính trị"] != 5 {
				t.Errorf("fields in the exported file = %v", byField)
			}
			// The export imports into a fresh folder unchanged.
			fresh := modelsInit(t)
			if code, _, stderr := modelsRun(t, "--data", fresh, "models", "import", exp); code != 0 {
				t.Fatalf("import of export: %s", stderr)
			}
			again := filepath.Join(work, "again."+ext)
			modelsRun(t, "--data", fresh, "models", "export", again)
			a, _ := sheet.ReadFile(exp)
			b, _ := sheet.ReadFile(again)
			if fmt.Sprint(a.Rows) != fmt.Sprint(b.Rows) {
				t.Error("export → import → export changed the rows")
			}
		})
	}
}

func TestModelsImportProblems(t *testing.T) {
	dir := modelsInit(t)
	work := t.TempDir()
	bad := filepath.Join(work, "bad.csv")
	os.WriteFile(bad, []byte("Loại,Tên mô hình,Lĩnh vực,Năm đăng ký,Đơn vị đăng ký,Người phụ trách,Nội dung thực hiện\n"+
		"Mô hình,Nuôi dê,Kinh tế,2024,UBND,Lò Văn A,Nuôi dê\n"+
		"Mô hình,Trồng mía,Thể thao,1899,UBND,Lò Văn B,Trồng mía\n"), 0o600)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string
		stored int
	}{
		{"all or nothing", []string{"models", "import", bad}, ExitRule,
			[]string{"Dòng 3, cột \"Lĩnh vực\"", "Dòng 3, cột \"Năm đăng ký\"", "Không nhập gì"}, 0},
		{"skip invalid", []string{"models", "import", bad, "--skip-invalid", filepath.Join(work, "rejects.csv")}, ExitOK,
			[]string{"Đã ghi 1 dòng lỗi"}, 1},
		{"no file", []string{"models", "import"}, ExitUsage, []string{"Cần đúng một tệp"}, 1},
		{"pdf", []string{"models", "export", filepath.Join(work, "x.pdf")}, ExitUsage, []string{".csv và .xlsx"}, 1},
		{"missing file", []string{"models", "import", filepath.Join(work, "none.csv")}, ExitOther, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := modelsRun(t, append([]string{"--data", dir}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
			st, err := store.Open(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := st.CountModels(context.Background(), store.ModelFilter{})
			st.Close()
			if n != tt.stored {
				t.Errorf("%d models stored, want %d", n, tt.stored)
			}
		})
	}
	rej, err := sheet.ReadFile(filepath.Join(work, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rej.Rows) != 1 || rej.Cell(0, 1) != "Trồng mía" || !strings.Contains(rej.Cell(0, 7), "Thể thao") {
		t.Errorf("rejects = %q %q", rej.Header, rej.Rows)
	}
}
