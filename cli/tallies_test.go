package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/report/sheet"
)

// talliesInit sets up a commune folder without accounts and returns it.
func talliesInit(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	code, _, stderr := safetyRun(t, "--data", dir, "init", "--office-name", "UBND xã Suối Hoa", "--office-code", "SH",
		"--kind", "xa", "--role", "commune", "--collector-name", "Ban Dân vận")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	return dir
}

func writeCSV(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "so-lieu.csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const tallyHeader = "Kỳ báo cáo;Lĩnh vực;(3);(4);(5);(6);(7);(8);(9);(10);(11);(12);(13)\n"

func TestTalliesImportPublishedFigures(t *testing.T) {
	dir := talliesInit(t)
	file := writeCSV(t, tallyHeader+"2023-04-15..2024-04-14;Hộ tịch;25.723;;;;25.487;;;20;326;;\n")
	code, out, stderr := safetyRun(t, "--data", dir, "tallies", "import", file)
	if code != ExitRule {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitRule, stderr)
	}
	if want := "Tổng tiếp nhận (3) = 25.723 nhưng đã giải quyết (7) + đang giải quyết (11) = 25.813, lệch 90"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if !strings.Contains(out, "0 chính thức, 1 lưu nháp") {
		t.Errorf("stdout = %q", out)
	}
	// The draft was kept: check reports it without failing.
	code, out, _ = safetyRun(t, "--data", dir, "check")
	if code != ExitOK || !strings.Contains(out, "[nháp] SH 2023-04-15..2024-04-14, Hộ tịch: Tổng tiếp nhận (3) = 25.723") || !strings.Contains(out, "lệch 90") {
		t.Errorf("check: exit %d\n%s", code, out)
	}
	// Export writes the computed figures back in the same layout.
	xlsx := filepath.Join(t.TempDir(), "ra.xlsx")
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "export", xlsx); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	tab, err := sheet.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 1 || tab.Cell(0, 0) != "2023-04-15..2024-04-14" || tab.Cell(0, 1) != "Hộ tịch" || strings.ReplaceAll(tab.Cell(0, 2), ".", "") != "25723" {
		t.Errorf("exported %v / %v", tab.Header, tab.Rows)
	}
}

func TestTalliesImportBadInput(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"negative", "2024-M04;Hộ tịch;;-5;1;0;1;1;0;0;0;0;0\n", "Dòng 3, cột (4): \"-5\" là số âm"},
		{"letters", "2024-M04;Hộ tịch;;5x;1;0;1;1;0;0;0;0;0\n", "\"5x\" không phải số nguyên"},
		{"too large", "2024-M04;Hộ tịch;;1.000.000.001;1;0;1;1;0;0;0;0;0\n", "quá lớn"},
		{"wrong dots", "2024-M04;Hộ tịch;;2.5723;1;0;1;1;0;0;0;0;0\n", "dấu chấm hàng nghìn đặt sai chỗ"},
		{"unknown field", "2024-M04;Thuế;;1;1;0;1;1;0;0;0;0;1\n", "không có lĩnh vực \"Thuế\""},
		{"unknown period", "2024-M13;Hộ tịch;;1;1;0;1;1;0;0;0;0;1\n", "\"2024-M13\" không phải kỳ báo cáo"},
		{"twice", "2024-M04;Hộ tịch;;1;1;0;1;1;0;0;1;1;0\n2024-M04;ho tich;;1;1;0;1;1;0;0;1;1;0\n", "Dòng 4: lĩnh vực Hộ tịch kỳ tháng 4/2024 đã có ở dòng 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := talliesInit(t)
			// A good row first: it must not be stored either.
			file := writeCSV(t, tallyHeader+"2024-M04;Chứng thực;;1;1;0;1;1;0;0;1;1;0\n"+tt.body)
			code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", file)
			if code != ExitRule || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "chưa nhập dòng nào") {
				t.Fatalf("exit %d, stderr:\n%s\nwant %q", code, stderr, tt.want)
			}
			_, out, _ := safetyRun(t, "--data", dir, "check")
			if !strings.Contains(out, "Đã kiểm tra 0 dòng") {
				t.Errorf("something was stored: %s", out)
			}
		})
	}
}

func TestTalliesCloseAndCheck(t *testing.T) {
	dir := talliesInit(t)
	good := "2024-M03;Hộ tịch;;100;20;0;;50;40;2;;27;1\n"
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", writeCSV(t, tallyHeader+good)); code != ExitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if code, out, _ := safetyRun(t, "--data", dir, "tallies", "close", "--period", "2024-M03"); code != ExitOK || !strings.Contains(out, "Đã chốt kỳ 2024-M03 (15/02/2024 đến 14/03/2024)") {
		t.Fatalf("close: exit %d %s", code, out)
	}
	// A closed period refuses an import, wholly.
	again := writeCSV(t, tallyHeader+"2024-M04;Hộ tịch;;1;1;28;;1;1;0;;28;0\n2024-M03;Hộ tịch;;100;20;0;;50;40;2;;27;1\n")
	code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", again)
	if code != ExitRule || !strings.Contains(stderr, "Kỳ tháng 3/2024 đã chốt") {
		t.Fatalf("import into a closed period: exit %d: %s", code, stderr)
	}
	if _, out, _ := safetyRun(t, "--data", dir, "check"); !strings.Contains(out, "Đã kiểm tra 1 dòng") {
		t.Errorf("April was stored although the import was refused: %s", out)
	}
	// A draft with a failing identity blocks closing, and says why.
	bad := writeCSV(t, tallyHeader+"2024-M04;Hộ tịch;;10;10;28;;20;20;0;;10;0\n")
	if code, _, _ := safetyRun(t, "--data", dir, "tallies", "import", bad); code != ExitRule {
		t.Fatalf("failing row import: exit %d", code)
	}
	code, _, stderr = safetyRun(t, "--data", dir, "tallies", "close", "--period", "2024-M04")
	if code != ExitRule || !strings.Contains(stderr, "lệch 2") {
		t.Errorf("closing a failing period: exit %d: %s", code, stderr)
	}
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "reopen", "--period", "2024-M03", "--reason", "Sửa số liệu"); code != ExitOK {
		t.Fatalf("reopen: exit %d: %s", code, stderr)
	}
	// March edited to 30 in progress: April's final (6) = 28 no longer
	// follows, but April is a draft; make April final first.
	fix := writeCSV(t, tallyHeader+"2024-M04;Hộ tịch;;10;10;28;;20;20;0;;8;0\n")
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", fix); code != ExitOK {
		t.Fatalf("fixed import: exit %d: %s", code, stderr)
	}
	march := writeCSV(t, tallyHeader+"2024-M03;Hộ tịch;;100;23;0;;50;40;2;;30;1\n")
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", march); code != ExitOK {
		t.Fatalf("march import: exit %d: %s", code, stderr)
	}
	code, out, _ := safetyRun(t, "--data", dir, "check")
	if code != ExitRule || !strings.Contains(out, "[chính thức] SH 2024-M04, Hộ tịch: Kỳ trước chuyển qua (6) = 28 nhưng kỳ trước còn đang giải quyết (11) = 31, lệch 3") {
		t.Errorf("check after breaking continuity: exit %d\n%s", code, out)
	}
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "close", "--period", "2024-13"); code != ExitUsage || !strings.Contains(stderr, "không phải kỳ báo cáo") {
		t.Errorf("bad --period: exit %d %s", code, stderr)
	}
}

// The tallies file survives a spreadsheet: its headers are text ("Cột (3)"),
// its numbers plain digits; a file whose "(3)" a spreadsheet turned into -3
// imports as well, and so does one with thousands dots typed by a person.
func TestTalliesFileSurvivesSpreadsheets(t *testing.T) {
	dir := talliesInit(t)
	in := writeCSV(t, tallyHeader+"2024-M04;Hộ tịch;25.723;12.000;13.723;0;25.487;20.000;5.467;20;236;230;6\n")
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", in); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	out := filepath.Join(t.TempDir(), "t.csv")
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "export", out); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	data, _ := os.ReadFile(out)
	text := string(data)
	if !strings.Contains(text, "Cột (3),Cột (4)") || !strings.Contains(text, ",25723,12000,") || strings.Contains(text, "25.723") {
		t.Fatalf("exported:\n%s", text)
	}
	// What LibreOffice saves after opening the old headers: (3) became -3.
	mangled := writeCSV(t, "Kỳ báo cáo;Lĩnh vực;-3;-4;-5;-6;-7;-8;-9;-10;-11;-12;-13\n2024-M04;Hộ tịch;25723;12000;13723;0;25487;20000;5467;20;236;230;6\n")
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", mangled); code != 0 {
		t.Fatalf("import of -3 headers: %s", stderr)
	}
	if code, _, stderr := safetyRun(t, "--data", dir, "tallies", "import", out); code != 0 {
		t.Fatalf("import of the exported file: %s", stderr)
	}
}
