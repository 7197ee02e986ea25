package report

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"danvan/report/sheet"

	"github.com/xuri/excelize/v2"
)

// TestXLSXRoundTrip reads every sheet back and compares each cell with the
// table it came from: numbers must be numbers, text must be the same text.
func TestXLSXRoundTrip(t *testing.T) {
	m := testMeta()
	models, _ := ModelsDocument(m, ModelList{Year: 2024, Items: sampleModels})
	tally, _ := TallyDocument(m, TallyInput{Period: seedPeriod(), Rows: seedTally()})
	summary, _ := SummaryDocument(m, SummaryInput{Period: seedPeriod(), Tally: cleanTally(), Year: 2024, Baseline: 2019, Fields: districtFields()})
	for _, tc := range []struct {
		name string
		doc  *Document
	}{{"models", models}, {"tally", tally}, {"summary", summary}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name+".xlsx")
			if err := tc.doc.WriteFile(path, XLSX); err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			tables := tc.doc.Tables()
			sheets := x.GetSheetList()
			if len(sheets) != len(tables) {
				t.Fatalf("sheets = %v, want %d", sheets, len(tables))
			}
			for ti, tb := range tables {
				compareSheet(t, x, sheets[ti], tb)
				// A title block names the office, the document and its
				// period; the sheet prints on A4 fitted to the width, with
				// the table's header on every page.
				var title []string
				for r := 1; r <= 4; r++ {
					v, _ := x.GetCellValue(sheets[ti], "A"+strconv.Itoa(r))
					title = append(title, v)
				}
				head := strings.Join(title, "|")
				if !strings.Contains(head, strings.ToUpper(m.Office.Name)) || tc.doc.Subtitle != "" && !strings.Contains(head, tc.doc.Subtitle) {
					t.Errorf("%s: title block %q lacks the office or the period %q", sheets[ti], head, tc.doc.Subtitle)
				}
				pl, err := x.GetPageLayout(sheets[ti])
				if err != nil || pl.Size == nil || *pl.Size != 9 || pl.FitToWidth == nil || *pl.FitToWidth != 1 ||
					(len(tb.Columns) > 6 || tc.doc.Orientation == Landscape) != (pl.Orientation != nil && *pl.Orientation == "landscape") {
					t.Errorf("%s: page layout %+v (%v)", sheets[ti], pl, err)
				}
				if names := x.GetDefinedName(); len(names) < len(tables) || !strings.Contains(names[0].RefersTo, "$") {
					t.Errorf("print titles = %+v", names)
				}
			}
			if p, _ := x.GetDocProps(); p.Creator != "danvan" || strings.HasPrefix(p.Created, "2006") {
				t.Errorf("document properties %+v", p)
			}
			if tc.name == "models" {
				// Widths fit the text: the names' column is wide, STT narrow.
				stt, _ := x.GetColWidth(sheets[0], "A")
				name, _ := x.GetColWidth(sheets[0], "B")
				if !(stt < 10 && name > 30) {
					t.Errorf("widths: STT %.1f, name %.1f", stt, name)
				}
			}
		})
	}
}

func compareSheet(t *testing.T, x *excelize.File, sheet string, tb *Table) {
	t.Helper()
	hr := tb.HeaderRows()
	// The table starts under the title block; the frozen rows end with its
	// header.
	panes, err := x.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit < hr {
		t.Fatalf("%s: panes = %+v (%v), want the header frozen", sheet, panes, err)
	}
	top := panes.YSplit - hr + 1
	// Header: the column titles sit in the last title row (before numbers).
	titleRow := top
	if len(tb.Groups) > 0 {
		titleRow = top + 1
	}
	for ci, c := range tb.Columns {
		ref, _ := excelize.CoordinatesToCellName(ci+1, titleRow)
		if _, grouped := groupOf(tb, ci); !grouped && len(tb.Groups) > 0 {
			ref, _ = excelize.CoordinatesToCellName(ci+1, top)
		}
		if got, _ := x.GetCellValue(sheet, ref); got != c.Title {
			t.Errorf("%s!%s header = %q, want %q", sheet, ref, got, c.Title)
		}
	}
	for ri, r := range tb.Rows {
		row := panes.YSplit + ri + 1
		if r.Kind == RowSection {
			ref, _ := excelize.CoordinatesToCellName(1, row)
			if got, _ := x.GetCellValue(sheet, ref); got != r.Cells[0].Text {
				t.Errorf("%s!%s = %q, want %q", sheet, ref, got, r.Cells[0].Text)
			}
			continue
		}
		for ci, c := range r.Cells {
			ref, _ := excelize.CoordinatesToCellName(ci+1, row)
			raw, _ := x.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
			typ, _ := x.GetCellType(sheet, ref)
			switch c.Kind {
			case CellInt, CellOrdinal:
				n, err := strconv.ParseInt(raw, 10, 64)
				if err != nil || n != int64(c.Num) || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					t.Errorf("%s!%s = %q (type %v), want the number %v", sheet, ref, raw, typ, c.Num)
				}
			case CellPercent:
				if !c.Valid() {
					if raw != "—" {
						t.Errorf("%s!%s = %q, want —", sheet, ref, raw)
					}
					continue
				}
				f, err := strconv.ParseFloat(raw, 64)
				if err != nil || math.Abs(f-c.Num) > 1e-12 {
					t.Errorf("%s!%s = %q, want the ratio %v", sheet, ref, raw, c.Num)
				}
			default:
				if raw != c.Text {
					t.Errorf("%s!%s = %q, want %q", sheet, ref, raw, c.Text)
				}
			}
		}
	}
}

// TestXLSXNumberFormat checks that counts carry the thousands format that
// a Vietnamese Excel shows as 25.723.
func TestXLSXNumberFormat(t *testing.T) {
	doc, _ := TallyDocument(testMeta(), TallyInput{Period: seedPeriod(), Rows: seedTally()})
	var buf bytes.Buffer
	if err := doc.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	panes, _ := x.GetPanes(sheet)
	ref, _ := excelize.CoordinatesToCellName(3, panes.YSplit+1)
	id, _ := x.GetCellStyle(sheet, ref)
	st, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.NumFmt != numFmtThousands {
		t.Errorf("NumFmt = %d, want %d (#,##0)", st.NumFmt, numFmtThousands)
	}
	// Formatted by excelize in its (English) locale: the grouping is there.
	if got, _ := x.GetCellValue(sheet, ref); got != "25,723" {
		t.Errorf("formatted = %q, want 25,723 (shown 25.723 by a Vietnamese Excel)", got)
	}
}

func TestCSV(t *testing.T) {
	doc, _ := TallyDocument(testMeta(), TallyInput{Period: seedPeriod(), Rows: seedTally()})
	path := filepath.Join(t.TempDir(), "b06.csv")
	if err := doc.WriteFile(path, CSV); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Fatalf("no UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The interchange reader takes it back as it was written.
	back, err := sheet.ReadCSV(data)
	if err != nil || len(back.Rows) != len(recs)-1 || back.Header[1] != recs[0][1] {
		t.Errorf("sheet.ReadCSV: %v, %d rows", err, len(back.Rows))
	}
	if got, want := recs[0][2], "Số hồ sơ nhận giải quyết: Tổng số"; got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	if got := strings.Join(recs[1][2:6], ","); got != "25723,9000,16500,223" {
		t.Errorf("row = %q", got)
	}
}
