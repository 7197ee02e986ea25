package cli

import (
	"bytes"
	"danvan/internal/stocktool"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The files an officer exports, opened and saved by the spreadsheets
// officers use (LibreOffice and Gnumeric, in their default en-US locale,
// which is what mangles Vietnamese files), then imported back: the stored
// figures must be the same. These run the real programs; make test
// requires them (DANVAN_INTEROP=required), elsewhere they are skipped.

// stockTool finds a stock program, or skips (fails under make test).
func stockTool(t *testing.T, name, pkg string) string { return stocktool.Path(t, name, pkg) }

// spreadsheet opens a file and saves it in the same format, as a person
// who opens an export, looks, and presses Save does.
type spreadsheet struct {
	name   string
	resave func(t *testing.T, in string) string
}

func gnumeric(t *testing.T) spreadsheet {
	bin := stockTool(t, "ssconvert", "gnumeric")
	return spreadsheet{"Gnumeric", func(t *testing.T, in string) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), filepath.Base(in))
		cmd := exec.Command(bin, in, out)
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ssconvert %s: %v\n%s", in, err, b)
		}
		return out
	}}
}

func libreOffice(t *testing.T) spreadsheet {
	bin := stockTool(t, "soffice", "libreoffice-calc-nogui")
	profile := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "lo-profile"))
	return spreadsheet{"LibreOffice", func(t *testing.T, in string) string {
		t.Helper()
		dir := t.TempDir()
		args := []string{"-env:UserInstallation=" + profile, "--headless"}
		if strings.HasSuffix(in, ".csv") {
			// Comma-separated, double quotes, UTF-8: what Calc's CSV
			// dialog offers for a file that starts with a BOM.
			args = append(args, "--infilter=CSV:44,34,76", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76")
		} else {
			args = append(args, "--convert-to", strings.TrimPrefix(filepath.Ext(in), "."))
		}
		args = append(args, "--outdir", dir, in)
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME="+t.TempDir())
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %s: %v\n%s", in, err, b)
		}
		out := filepath.Join(dir, filepath.Base(in))
		if _, err := os.Stat(out); err != nil {
			t.Fatalf("soffice wrote no %s", out)
		}
		return out
	}}
}

func viRun(t *testing.T, args ...string) string {
	t.Helper()
	return viRunExit(t, 0, args...)
}

// viRunExit runs danvan in Vietnamese and wants the exit code: a tallies
// import that keeps a row as a draft exits 1, having stored what it says.
func viRunExit(t *testing.T, want int, args ...string) string {
	t.Helper()
	code, out, stderr := safetyRun(t, append([]string{"--lang", "vi"}, args...)...)
	if code != want {
		t.Fatalf("danvan %s: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
	}
	return out + stderr
}

// A models list with what spreadsheets damage: phone numbers with a
// leading zero (mobile and 02x landline), dd/mm/yyyy dates of days under
// 13, a thousands-dotted amount, quotes and a separator inside a name.
const roundTripModels = "Tên mô hình;Lĩnh vực;Loại;Năm đăng ký;Đơn vị đăng ký;Người phụ trách;Điện thoại;Nội dung thực hiện;Kinh phí (đồng);Thời gian bắt đầu;Trạng thái;Kết quả đánh giá;Cấp công nhận;Số quyết định công nhận;Ngày công nhận\n" +
	"\"Nuôi cá lồng; sông Đà\";Kinh tế;Mô hình;2024;Hội Nông dân;Bùi Văn Thắng;0989001103;\"Hướng dẫn \"\"hộ nghèo\"\"\";1.500.000;10/06/2024;Được công nhận;Tốt;Cấp xã;12/QĐ-UBND;05/01/2025\n" +
	"Camera an ninh xóm Bưa;Quốc phòng - an ninh;Điển hình;2025;Công an xã;Hà Thị Lan;0212 3856 123;Lắp camera;0;01/03/2025;Đang thực hiện;;;;\n" +
	"Dân vận khéo ở khu dân cư;Xây dựng hệ thống chính trị;Mô hình;2026;MTTQ;Lò Thị Mai;;Họp dân;25.000.000;13/02/2026;Đã đăng ký;;;;\n"

// The published figures of 2024-M04 corrected, and a draft row with
// columns left blank (not reported, which must stay blank, not become 0).
const roundTripTallies = "Kỳ báo cáo;Lĩnh vực;(3);(4);(5);(6);(7);(8);(9);(10);(11);(12);(13)\n" +
	"2024-M04;Hộ tịch;25.723;12.000;13.723;0;25.487;20.000;5.467;20;236;230;6\n" +
	"2024-M04;Đất đai;120;100;20;;100;;;;20;20;0\n" +
	"2024-M05;Hộ tịch;1.200;700;264;236;1.000;900;90;10;200;200;0\n"

func roundTripOffice(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	viRun(t, "--data", dir, "init", "--office-name", "UBND xã Suối Hoa", "--office-code", "SH",
		"--kind", "xa", "--role", "commune", "--collector-name", "Ban Tuyên giáo và Dân vận Tỉnh ủy")
	return dir
}

func TestSpreadsheetRoundTrips(t *testing.T) {
	readers := []spreadsheet{libreOffice(t), gnumeric(t)}
	src := roundTripOffice(t)
	viRun(t, "--data", src, "models", "import", writeCSV(t, roundTripModels))
	viRunExit(t, 1, "--data", src, "tallies", "import", writeCSV(t, roundTripTallies))
	want := map[string][]byte{}
	for _, kind := range []string{"models", "tallies"} {
		p := filepath.Join(t.TempDir(), kind+".csv")
		viRun(t, "--data", src, kind, "export", p)
		want[kind], _ = os.ReadFile(p)
	}
	unchanged := regexp.MustCompile(`thêm mới 0, cập nhật 0, không đổi (\d+), bỏ qua 0`)
	for _, r := range readers {
		for _, kind := range []string{"models", "tallies"} {
			for _, ext := range []string{"csv", "xlsx"} {
				t.Run(r.name+"/"+kind+"."+ext, func(t *testing.T) {
					exported := filepath.Join(t.TempDir(), kind+"."+ext)
					viRun(t, "--data", src, kind, "export", exported)
					saved := r.resave(t, exported)
					if kind == "models" && ext == "csv" && r.name == "Gnumeric" {
						// Gnumeric in en-US reads 10/06/2024 as 6 October
						// and writes 2024/10/06: the day and the month
						// cannot be told apart any more. The import says
						// so, names the way out, and stores nothing.
						code, out, stderr := safetyRun(t, "--lang", "vi", "--data", src, "models", "import", saved)
						if code != 1 || !strings.Contains(stderr, "viết năm trước") || !strings.Contains(stderr, "XLSX") || !strings.Contains(out+stderr, "Không nhập gì") {
							t.Fatalf("import of a month/day-swapped file: exit %d\n%s%s", code, out, stderr)
						}
						return
					}
					// Back into the office it came from: nothing changes.
					if kind == "models" {
						out := viRun(t, "--data", src, "models", "import", saved, "--dry-run")
						if m := unchanged.FindStringSubmatch(out); m == nil || m[1] != "3" {
							t.Fatalf("re-import of the saved file would change the office's models:\n%s", out)
						}
					}
					// Into a new office: the same stored records (the ids
					// travel in the Mã column), so the same export, byte
					// for byte.
					fresh := roundTripOffice(t)
					code := 0
					if kind == "tallies" {
						code = 1 // the draft row stays a draft
					}
					viRunExit(t, code, "--data", fresh, kind, "import", saved)
					again := filepath.Join(t.TempDir(), kind+".csv")
					viRun(t, "--data", fresh, kind, "export", again)
					got, _ := os.ReadFile(again)
					if !bytes.Equal(got, want[kind]) {
						t.Fatalf("%s after the round trip:\n%s\nwant:\n%s", kind, got, want[kind])
					}
				})
			}
		}
	}
}

// A report workbook prints as the PDF does: LibreOffice turns Biểu 06 into
// landscape A4 pages with all thirteen columns on the first page's width.
func TestReportWorkbookPrintsLandscapeOnePageWide(t *testing.T) {
	lo := stockTool(t, "soffice", "libreoffice-calc-nogui")
	pdfinfo := stockTool(t, "pdfinfo", "poppler-utils")
	pdftotext := stockTool(t, "pdftotext", "poppler-utils")
	dir := roundTripOffice(t)
	viRunExit(t, 1, "--data", dir, "tallies", "import", writeCSV(t, roundTripTallies))
	book := filepath.Join(t.TempDir(), "bieu-06.xlsx")
	viRun(t, "--data", dir, "report", "tally", "--period", "2024-M04", "--format", "xlsx", "--out", book)
	outDir := t.TempDir()
	cmd := exec.Command(lo, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(t.TempDir(), "p")), "--headless",
		"--convert-to", "pdf", "--outdir", outDir, book)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(outDir, "bieu-06.pdf")
	info, err := exec.Command(pdfinfo, "-f", "1", "-l", "1", pdf).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	size := regexp.MustCompile(`Page\s+1 size:\s+([\d.]+) x ([\d.]+)`).FindStringSubmatch(string(info))
	if size == nil {
		t.Fatalf("pdfinfo gave no page size:\n%s", info)
	}
	w, _ := strconv.ParseFloat(size[1], 64)
	h, _ := strconv.ParseFloat(size[2], 64)
	if w < 840 || w > 843 || h < 594 || h > 597 {
		t.Errorf("page 1 is %.0f × %.0f pt, want A4 landscape (842 × 595)", w, h)
	}
	text, err := exec.Command(pdftotext, "-layout", "-f", "1", "-l", "1", pdf, "-").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	page := string(text)
	// The title block, the last column's number and the row's last figure
	// are on page 1: the form was not cut into pages across its width.
	for _, want := range []string{"UBND XÃ SUỐI HOA", "Tháng 4 năm 2024", "(13)", "Hộ tịch"} {
		if !strings.Contains(page, want) {
			t.Errorf("page 1 lacks %q:\n%s", want, page)
		}
	}
	if !regexp.MustCompile(`Hộ tịch\s+25.723.*236\s+230\s+6`).MatchString(page) {
		t.Errorf("page 1 does not hold Hộ tịch's whole row:\n%s", page)
	}
}
