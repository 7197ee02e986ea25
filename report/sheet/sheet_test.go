package sheet

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		header []string
		rows   [][]string
		lines  []int
	}{
		{"comma no BOM", "a,b\n1,2\n", []string{"a", "b"}, [][]string{{"1", "2"}}, []int{2}},
		{"comma with BOM", "\xef\xbb\xbfTên,Năm\r\nSuối Hoa,2024\r\n", []string{"Tên", "Năm"}, [][]string{{"Suối Hoa", "2024"}}, []int{2}},
		{"semicolon", "Tên;Số\nA;25.723\nB;1,5\n", []string{"Tên", "Số"}, [][]string{{"A", "25.723"}, {"B", "1,5"}}, []int{2, 3}},
		{"quoted separator and new line", "a;b\n\"x;y\";\"dòng 1\ndòng 2\"\nz;w\n", []string{"a", "b"}, [][]string{{"x;y", "dòng 1\ndòng 2"}, {"z", "w"}}, []int{2, 4}},
		{"quoted comma header", "\"a,b\";c;d\n1;2;3\n", []string{"a,b", "c", "d"}, [][]string{{"1", "2", "3"}}, []int{2}},
		{"blank rows skipped", "a,b\n,\n\n1,2\n;\n", []string{"a", "b"}, [][]string{{"1", "2"}, {";"}}, []int{4, 5}},
		{"NFD header", norm.NFD.String("Tên mô hình") + "\nx\n", []string{"Tên mô hình"}, [][]string{{"x"}}, []int{2}},
		{"short rows kept", "a,b,c\n1\n", []string{"a", "b", "c"}, [][]string{{"1"}}, []int{2}},
		{"header only", "a,b\n", []string{"a", "b"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read([]byte(tt.in), CSV)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Header, tt.header) {
				t.Errorf("header = %q, want %q", got.Header, tt.header)
			}
			if !reflect.DeepEqual(got.Rows, tt.rows) {
				t.Errorf("rows = %q, want %q", got.Rows, tt.rows)
			}
			if !reflect.DeepEqual(got.Lines, tt.lines) {
				t.Errorf("lines = %v, want %v", got.Lines, tt.lines)
			}
		})
	}
}

func TestReadBadFiles(t *testing.T) {
	zipNotXLSX := []byte("PK\x03\x04garbage that is not a zip at all")
	tests := []struct {
		name   string
		in     []byte
		format Format
		want   error
	}{
		{"empty", nil, CSV, ErrEmpty},
		{"only BOM and spaces", []byte("\xef\xbb\xbf  \n\n"), CSV, ErrEmpty},
		{"binary", []byte("a,b\n\x00\x01\x02\xff"), CSV, ErrBinary},
		{"latin-1 / TCVN3", []byte("T\xean,N\xe3m\n"), CSV, ErrEncoding},
		{"bad quotes", []byte("a,b\n\"x\"y,1\n"), CSV, ErrMalformed},
		{"empty header", []byte(",,\n1,2,3\n"), CSV, ErrNoHeader},
		{"xlsx that is not a zip", []byte("a,b\n1,2\n"), XLSX, ErrNotXLSX},
		{"broken zip", zipNotXLSX, CSV, ErrNotXLSX},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.in, tt.format)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatal("not a *FileError")
			}
			if code, _ := fe.MessageCode(); code == "" {
				t.Error("no message code")
			}
		})
	}
}

func TestBadLineReported(t *testing.T) {
	_, err := Read([]byte("a,b\n1,2\n3,\xff\n"), CSV)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 3 {
		t.Fatalf("error = %v, want encoding problem on line 3", err)
	}
}

func sample() *Table {
	return &Table{
		Header: []string{"Tên", "Số hồ sơ", "Tỉ lệ", "Điện thoại", "Ghi chú"},
		Kinds:  []Kind{Text, Integer, Percent, Text, Text},
		Rows: [][]string{
			{"Suối Hoa", "25723", "99,08%", "0912345678", "dòng 1\ndòng 2"},
			{"Có \"ngoặc\"; chấm phẩy, phẩy", "0", "0,01%", "", " cách đầu"},
		},
	}
}

func TestCSVRoundTrip(t *testing.T) {
	in := sample()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), bom) {
		t.Error("CSV written without a BOM")
	}
	got, err := Read(buf.Bytes(), CSV)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Header, in.Header) || !reflect.DeepEqual(got.Rows, in.Rows) {
		t.Errorf("round trip:\n got %q %q\nwant %q %q", got.Header, got.Rows, in.Header, in.Rows)
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	in := sample()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xlsx")
	if err := WriteFile(path, in); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := sample()
	want.Rows[0][2] = "0.9908" // percent cells read back as the stored ratio
	want.Rows[1][2] = "0.0001"
	if !reflect.DeepEqual(got.Header, want.Header) || !reflect.DeepEqual(got.Rows, want.Rows) {
		t.Errorf("round trip:\n got %q %q\nwant %q %q", got.Header, got.Rows, want.Header, want.Rows)
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	typ, _ := f.GetCellType("Sheet1", "B2")
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 type = %v, want a number", typ)
	}
	sid, _ := f.GetCellStyle("Sheet1", "B2")
	st, _ := f.GetStyle(sid)
	if st == nil || st.NumFmt != numFmtThousands {
		t.Errorf("B2 number format = %+v, want %d (#,##0)", st, numFmtThousands)
	}
	if v, _ := f.GetCellValue("Sheet1", "B2", excelize.Options{RawCellValue: true}); v != "25723" {
		t.Errorf("B2 raw = %q", v)
	}
	if v, _ := f.GetCellValue("Sheet1", "D2"); v != "0912345678" {
		t.Errorf("phone lost its leading zero: %q", v)
	}
	panes, err := f.GetPanes("Sheet1")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
	w, _ := f.GetColWidth("Sheet1", "A")
	if w < 8 || w > 60 {
		t.Errorf("column A width %v", w)
	}
}

func TestXLSXDatesAndFirstSheet(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Tên", "Ngày"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"X", 45296}) // 05/01/2024 (45292 is 01/01/2024)
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "B2", "B2", style)
	f.SetSheetRow("Sheet1", "A3", &[]any{"Y", 12.5})
	f.NewSheet("Khác")
	f.SetSheetRow("Khác", "A1", &[]any{"không đọc"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Read(buf.Bytes(), XLSX)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"X", "05/01/2024"}, {"Y", "12.5"}}
	if !reflect.DeepEqual(got.Rows, want) || got.Header[0] != "Tên" {
		t.Errorf("got %q %q, want rows %q", got.Header, got.Rows, want)
	}
	if !reflect.DeepEqual(got.Lines, []int{2, 3}) {
		t.Errorf("lines = %v", got.Lines)
	}
}

func TestWriteFileUnknownTypeLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	err := WriteFile(filepath.Join(dir, "x.pdf"), sample())
	if !errors.Is(err, ErrUnknownType) {
		t.Fatalf("error = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left %d files", len(ents))
	}
}

func TestLooksLikeDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy": true, `[Red]0.00`: false, `0" days"`: false, "#,##0": false, "yyyy-mm-dd": true,
	} {
		if got := looksLikeDateFormat(code); got != want {
			t.Errorf("looksLikeDateFormat(%q) = %v", code, got)
		}
	}
}

// FuzzReadCSV checks that no input makes the reader panic, and that what it
// accepts is written back and read again unchanged.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "\xef\xbb\xbfa;b\n\"x;y\";2\n", "\"q\"\"q\",\n", "a\n\"\n\"\n", "a,b\r\n1,\"2\r\n3\"\r\n", "\x00", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadCSV(data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FileError", err)
			}
			return
		}
		if len(tb.Rows) != len(tb.Lines) {
			t.Fatalf("%d rows, %d line numbers", len(tb.Rows), len(tb.Lines))
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tb); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(buf.Bytes())
		if err != nil {
			t.Fatalf("re-reading our own output: %v\n%q", err, buf.Bytes())
		}
		if !reflect.DeepEqual(back.Header, tb.Header) || !reflect.DeepEqual(back.Rows, tb.Rows) {
			t.Fatalf("round trip changed the table:\n got %q %q\nwant %q %q", back.Header, back.Rows, tb.Header, tb.Rows)
		}
	})
}

// TestReadCSVLineBreaksInCells: a line break inside a quoted cell reads as
// "\n" whichever way the file wrote it, so a cell reads the same after our
// own file carried it.
func TestReadCSVLineBreaksInCells(t *testing.T) {
	for _, tt := range []struct{ name, cell, want string }{
		{"windows", "xóm Bưa\r\nxã Suối Hoa", "xóm Bưa\nxã Suối Hoa"},
		{"unix", "xóm Bưa\nxã Suối Hoa", "xóm Bưa\nxã Suối Hoa"},
		{"old mac", "xóm Bưa\rxã Suối Hoa", "xóm Bưa\nxã Suối Hoa"},
		{"cr before crlf", "\r\r\n0", "\n0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb, err := ReadCSV([]byte("Địa bàn\r\n\"" + tt.cell + "\"\r\n"))
			if err != nil {
				t.Fatal(err)
			}
			if len(tb.Rows) != 1 || tb.Rows[0][0] != tt.want {
				t.Fatalf("rows %q, want [[%q]]", tb.Rows, tt.want)
			}
			var buf bytes.Buffer
			if err := WriteCSV(&buf, tb); err != nil {
				t.Fatal(err)
			}
			back, err := ReadCSV(buf.Bytes())
			if err != nil || back.Rows[0][0] != tt.want {
				t.Fatalf("after our own file: %q, %v", back.Rows, err)
			}
		})
	}
}

// A workbook danvan writes names danvan and prints on A4, fitted to the
// width, landscape when wide, with its header row on every page.
func TestWorkbookPrintSetup(t *testing.T) {
	tb := &Table{Header: []string{"Kỳ báo cáo", "Lĩnh vực", "Cột (3)", "Cột (4)", "Cột (5)", "Cột (6)", "Cột (7)"},
		Rows: [][]string{{"2024-M04", "Hộ tịch", "1", "1", "0", "0", "1"}}}
	path := filepath.Join(t.TempDir(), "b.xlsx")
	if err := WriteFile(path, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	props, err := f.GetDocProps()
	if err != nil || props.Creator != "danvan" || strings.HasPrefix(props.Created, "2006") {
		t.Errorf("properties %+v %v", props, err)
	}
	sheet := f.GetSheetList()[0]
	pl, err := f.GetPageLayout(sheet)
	// A fitToWidth of 1 is the format's default, so it is not written.
	if err != nil || pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth != nil && *pl.FitToWidth != 1 ||
		pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v %v", pl, err)
	}
	if sp, err := f.GetSheetProps(sheet); err != nil || sp.FitToPage == nil || !*sp.FitToPage {
		t.Errorf("not fitted to the page: %+v %v", sp, err)
	}
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "_xlnm.Print_Titles" && strings.HasSuffix(n.RefersTo, "!$1:$1") {
			found = true
		}
	}
	if !found {
		t.Errorf("no repeated header row: %+v", names)
	}
}
