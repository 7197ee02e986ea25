package sheet

import (
	"bytes"
	"strconv"
	"strings"

	"danvan/store/vn"

	"github.com/xuri/excelize/v2"
)

// ReadXLSX reads the first sheet of a workbook. Cells come back as the
// officer typed them: numbers unformatted ("25723", not "25,723" in
// excelize's English format), and cells formatted as dates as dd/mm/yyyy.
func ReadXLSX(data []byte) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil && strings.Contains(err.Error(), "unzip size exceeds") { // excelize has no error value for it
		return nil, fileErr(ErrTooLarge, 0, err.Error())
	}
	if err != nil {
		return nil, fileErr(ErrNotXLSX, 0, err.Error())
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileErr(ErrEmpty, 0, "no sheet")
	}
	name := sheets[0]
	// A first pass streams the sheet and only counts: a table past the
	// bounds is refused before the second pass asks for cell formats,
	// which loads the whole sheet into memory.
	if err := countXLSX(f, name); err != nil {
		return nil, err
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fileErr(ErrNotXLSX, 0, err.Error())
	}
	defer rows.Close()
	d := dateStyles{f: f, known: map[int]bool{}}
	t := &Table{}
	rowNum := 0
	first := true
	for rows.Next() {
		rowNum++
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileErr(ErrNotXLSX, rowNum, err.Error())
		}
		if first {
			if isBlank(rec) {
				continue // a title row left empty above the header
			}
			first = false
			t.Header = rec
			continue
		}
		if isBlank(rec) {
			continue
		}
		for c, v := range rec {
			rec[c] = d.convert(name, c, rowNum, v)
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, rowNum)
	}
	if err := rows.Error(); err != nil {
		return nil, fileErr(ErrNotXLSX, rowNum, err.Error())
	}
	if first {
		return nil, fileErr(ErrEmpty, 0, "")
	}
	return finish(t)
}

// countXLSX streams a sheet and refuses it past the table's bounds.
func countXLSX(f *excelize.File, name string) error {
	rows, err := f.Rows(name)
	if err != nil {
		return fileErr(ErrNotXLSX, 0, err.Error())
	}
	defer rows.Close()
	var n cellCount
	line := 0
	for rows.Next() {
		line++
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fileErr(ErrNotXLSX, line, err.Error())
		}
		if err := n.add(rec, line); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fileErr(ErrNotXLSX, line, err.Error())
	}
	return nil
}

// dateStyles remembers which cell styles are date formats, so that a date
// cell (kept by Excel as a serial number) reads as dd/mm/yyyy.
type dateStyles struct {
	f     *excelize.File
	known map[int]bool
}

func (d *dateStyles) convert(sheet string, col, row int, v string) string {
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial <= 0 || serial > 2958465 {
		return v
	}
	cell, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return v
	}
	id, err := d.f.GetCellStyle(sheet, cell)
	if err != nil || id == 0 {
		return v
	}
	isDate, ok := d.known[id]
	if !ok {
		isDate = d.isDateStyle(id)
		d.known[id] = isDate
	}
	if !isDate {
		return v
	}
	tm, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return v
	}
	return vn.FormatDate(tm)
}

func (d *dateStyles) isDateStyle(id int) bool {
	st, err := d.f.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	if st.CustomNumFmt != nil {
		return looksLikeDateFormat(*st.CustomNumFmt)
	}
	n := st.NumFmt
	return (n >= 14 && n <= 22) || (n >= 45 && n <= 47) || (n >= 27 && n <= 36) || (n >= 50 && n <= 58)
}

// looksLikeDateFormat reports whether a custom number format shows a date:
// it has d, m or y outside quoted text and [colour] brackets.
func looksLikeDateFormat(code string) bool {
	quoted, bracket := false, false
	for _, r := range strings.ToLower(code) {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '[':
			bracket = true
		case r == ']':
			bracket = false
		case bracket:
		case r == 'd' || r == 'y':
			return true
		}
	}
	return false
}
