package report

import (
	"strings"
)

// TallyInput is Biểu 06 for one period or range: one row per TTHC field,
// already combined over the range by the store's rules.
type TallyInput struct {
	Period Period
	Rows   []TallyRow
	// Missing names the periods of the range with no figures ("tháng
	// 4/2026, tháng 5/2026"); the rows then sum the periods that exist.
	Missing string
}

// tallyColumns are the 13 columns of Biểu số 06/VPCP/KSTT.
func tallyTable(in TallyInput) (*Table, []string) {
	t := &Table{
		Name:     p("tally.sheet"),
		Numbered: true,
		FontSize: 10.5,
		Columns: []Column{
			{Title: p("col.stt"), Width: 4, Align: Center},
			{Title: p("tally.col.2"), Width: 15},
		},
		Groups: []HeaderGroup{
			{Title: p("tally.group.received"), First: 2, Last: 5},
			{Title: p("tally.group.processed"), First: 6, Last: 9},
			{Title: p("tally.group.in_progress"), First: 10, Last: 12},
		},
	}
	for c := 3; c <= 13; c++ {
		t.Columns = append(t.Columns, Column{Title: p("tally.col." + itoa(c)), Width: 7, Align: Right})
	}
	var notes []string
	addRow := func(kind RowKind, stt Cell, label string, r TallyRow, prefix string) {
		bad := map[int]bool{}
		for _, m := range CheckTally(r) {
			for _, c := range m.Cols {
				bad[c] = true
			}
			if prefix != "" {
				notes = append(notes, prefix+m.Sentence()+".")
			}
		}
		cells := []Cell{stt, Text(label)}
		for c := 3; c <= 13; c++ {
			cell := Text("")
			if r.has(c) {
				cell = Int(r.get(c))
			}
			cell.Flag = bad[c]
			cells = append(cells, cell)
		}
		t.Rows = append(t.Rows, Row{Kind: kind, Cells: cells})
	}
	for i, r := range in.Rows {
		addRow(RowData, Ordinal(i+1), r.Field, r, p("mismatch.row", args{"Field": r.Field}))
	}
	totalPrefix := p("mismatch.total")
	if len(in.Rows) == 1 {
		totalPrefix = "" // the total repeats the only row; say it once
	}
	addRow(RowTotal, Text(""), p("total"), sumRows(in.Rows), totalPrefix)
	if len(notes) > 0 {
		t.Notes = append([]string{p("mismatch.intro")}, notes...)
	}
	return t, notes
}

// ratesTable gives, per field, the rates that the form's columns imply.
func ratesTable(in TallyInput) *Table {
	t := &Table{
		Name: p("rates.sheet"),
		Columns: []Column{
			{Title: p("col.stt"), Width: 4, Align: Center},
			{Title: p("tally.col.2"), Width: 22},
			{Title: p("rates.col.processed"), Width: 10, Align: Right},
			{Title: p("rates.col.processed_rate"), Width: 12, Align: Right},
			{Title: p("rates.col.on_time"), Width: 12, Align: Right},
			{Title: p("rates.col.late"), Width: 12, Align: Right},
		},
	}
	row := func(kind RowKind, stt Cell, label string, r TallyRow) {
		t.Rows = append(t.Rows, Row{Kind: kind, Cells: []Cell{
			stt, Text(label), Int(r.get(7)), Percent(r.ProcessedRate()), Percent(r.OnTimeRate()), Percent(r.LateRate()),
		}})
	}
	for i, r := range in.Rows {
		row(RowData, Ordinal(i+1), r.Field, r)
	}
	row(RowTotal, Text(""), p("total"), sumRows(in.Rows))
	return t
}

// TallyDocument builds Biểu 06 for a period or range: landscape, the 13
// columns, a totals row, the rates, and every broken identity marked in the
// table and written out under it.
func TallyDocument(m Meta, in TallyInput) (*Document, error) {
	if len(in.Rows) == 0 {
		return nil, &NoDataError{Report: "tally", Period: in.Period.Code}
	}
	t, _ := tallyTable(in)
	blocks := []Block{
		Paragraph{Text: p("tally.reporting_unit", args{"Name": m.Office.Name}), Plain: true},
		Paragraph{Text: p("tally.receiving_unit", args{"Name": m.Settings.CollectorName}), Plain: true},
		Paragraph{Text: p("tally.unit"), Plain: true, Italic: true},
	}
	if in.Missing != "" {
		blocks = append(blocks, Paragraph{Text: p("tally.partial", args{"Missing": in.Missing}), Bold: true})
	}
	blocks = append(blocks,
		TableBlock{t},
		Heading{Text: p("rates.heading")},
		TableBlock{ratesTable(in)},
	)
	return &Document{
		Orientation: Landscape,
		FormCode:    p("tally.form_code"),
		Header:      m.header(p("symbol.report")),
		Kind:        p("tally.kind"),
		Subject:     []string{p("tally.subject")},
		Subtitle:    in.Period.Line(),
		Blocks:      blocks,
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Stamp:       m.stamp(in.Period.Code, in),
		Title:       strings.TrimSpace(p("tally.kind") + " " + in.Period.Code),
	}, nil
}
