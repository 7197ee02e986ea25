package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

var bom = []byte("\xef\xbb\xbf")

// ReadCSV reads UTF-8 CSV, with or without a BOM. The separator is "," or
// ";" (a Vietnamese Excel saves with ";" because "," is its decimal mark),
// chosen by which one the header line holds more of outside quotes.
func ReadCSV(data []byte) (*Table, error) {
	data = bytes.TrimPrefix(data, bom)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileErr(ErrEmpty, 0, "")
	}
	if line, ok := binaryLine(data); ok {
		return nil, fileErr(ErrBinary, line, "NUL byte")
	}
	if !utf8.Valid(data) {
		return nil, fileErr(ErrEncoding, firstBadLine(data), "invalid UTF-8")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectSeparator(data)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	t := &Table{}
	first := true
	var n cellCount
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, fileErr(ErrMalformed, line, err.Error())
		}
		line, _ := r.FieldPos(0)
		if err := n.add(rec, line); err != nil {
			return nil, err
		}
		for i, v := range rec {
			rec[i] = oneBreak(v)
		}
		if first {
			first = false
			t.Header = rec
			continue
		}
		if isBlank(rec) {
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, line)
	}
	if first {
		return nil, fileErr(ErrEmpty, 0, "")
	}
	return finish(t)
}

// oneBreak writes every line break inside a cell as "\n". encoding/csv
// turns a quoted "\r\n" into "\n" but keeps a lone "\r", so "\r\r\n"
// would read as "\r\n" and, written and read again, as "\n": a cell
// must read the same however often it goes through a file.
func oneBreak(v string) string {
	if !strings.ContainsRune(v, '\r') {
		return v
	}
	return strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
}

// detectSeparator counts "," and ";" on the first line, ignoring quoted
// text.
func detectSeparator(data []byte) rune {
	commas, semis := 0, 0
	quoted := false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n':
			if semis > commas {
				return ';'
			}
			return ','
		case b == ',':
			commas++
		case b == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func binaryLine(data []byte) (int, bool) {
	i := bytes.IndexByte(data, 0)
	if i < 0 {
		return 0, false
	}
	return bytes.Count(data[:i], []byte("\n")) + 1, true
}

func firstBadLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}
