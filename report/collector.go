package report

import (
	"danvan/internal/domain"
	"strconv"
	"strings"

	"danvan/store"
	"danvan/store/vn"
)

// The collecting office's documents: the models and the dossier roll-ups
// over its units, and the completeness of their reports. They take the
// store's roll-ups as they are, so what is printed is what the screen
// shows.

// By says how a roll-up is laid out: one row per unit, or per field.
type By string

const (
	ByUnit  By = "unit"
	ByField By = "field"
)

// unitLabel is a unit's name, with the units merged into it.
func unitLabel(o domain.Office, members []string) string {
	if len(members) == 0 {
		return o.Name
	}
	return p("collector.merged_note", args{"Name": o.Name, "Members": strings.Join(members, ", ")})
}

// RollupModelsDocument is "Tổng hợp mô hình, điển hình": by unit, the
// four fields and the total of each unit, or by field, the totals with the
// baseline year beside; always the sentences with the change since the
// baseline. A year without models prints zeros said to be "chưa có số
// liệu", never an empty page.
func RollupModelsDocument(m Meta, r store.ModelsRollup, by By) (*Document, error) {
	year := strconv.Itoa(r.Year)
	var blocks []Block
	if r.NoData {
		blocks = append(blocks, Paragraph{Text: p("collector.models.none", args{"Year": year}), Bold: true})
	} else {
		var byField []string
		for _, f := range modelFields {
			byField = append(byField, p("summary.models.field", args{"Field": strings.ToLower(fieldTitle(f)), "N": vn.FormatInt(int64(r.ByField[domain.Field(f)]))}))
		}
		blocks = append(blocks, Paragraph{Text: p("collector.models.main", args{"Year": year, "Units": vn.FormatInt(int64(len(r.Units))),
			"Total": vn.FormatInt(int64(r.Total)), "Models": vn.FormatInt(int64(r.Models)), "Exemplars": vn.FormatInt(int64(r.Exemplars)),
			"ByField": strings.Join(byField, ", ")})})
	}
	if r.Baseline > 0 {
		key, diff := "collector.models.same", r.Change()
		switch {
		case diff > 0:
			key = "collector.models.up"
		case diff < 0:
			key, diff = "collector.models.down", -diff
		}
		blocks = append(blocks, Paragraph{Text: p(key, args{"Base": strconv.Itoa(r.Baseline), "BaseTotal": vn.FormatInt(int64(r.BaseTot)), "Diff": vn.FormatInt(int64(diff))})})
	}
	blocks = append(blocks, Paragraph{Text: p("collector.models.active", args{"Year": year}), Italic: true, Plain: true})
	if by == ByField {
		in := SummaryInput{Year: r.Year, Baseline: r.Baseline}
		for _, f := range modelFields {
			in.Fields = append(in.Fields, FieldCount{Field: f, Now: int64(r.ByField[domain.Field(f)]), Base: int64(r.BaseByField[domain.Field(f)])})
		}
		t := fieldTable(in)
		t.Name = p("collector.models.fields_sheet")
		blocks = append(blocks, TableBlock{t})
	} else {
		blocks = append(blocks, TableBlock{modelsByUnitTable(r)})
	}
	orient := Landscape
	if by == ByField {
		orient = Portrait
	}
	return &Document{
		Orientation: orient,
		Header:      m.header(p("symbol.report")),
		Kind:        p("doc.report"),
		Subject:     []string{p("collector.models.subject")},
		Subtitle:    p("period.year", args{"Year": year}),
		Blocks:      blocks,
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Stamp:       m.stamp(year, r),
		Title:       p("collector.models.subject") + " " + year,
	}, nil
}

func modelsByUnitTable(r store.ModelsRollup) *Table {
	t := &Table{Name: p("collector.models.sheet"), Columns: []Column{
		{Title: p("col.stt"), Width: 5, Align: Center},
		{Title: p("collector.col.unit"), Width: 30},
	}}
	for _, f := range modelFields {
		t.Columns = append(t.Columns, Column{Title: fieldTitle(f), Width: 12, Align: Right})
	}
	t.Columns = append(t.Columns, Column{Title: p("collector.col.total"), Width: 10, Align: Right})
	if r.Baseline > 0 {
		t.Columns = append(t.Columns,
			Column{Title: p("collector.col.year", args{"Year": strconv.Itoa(r.Baseline)}), Width: 10, Align: Right},
			Column{Title: p("collector.col.change"), Width: 11, Align: Right})
	}
	row := func(kind RowKind, stt Cell, label string, now map[domain.Field]int, total, base int) {
		cells := []Cell{stt, Text(label)}
		for _, f := range modelFields {
			cells = append(cells, Int(int64(now[domain.Field(f)])))
		}
		cells = append(cells, Int(int64(total)))
		if r.Baseline > 0 {
			cells = append(cells, Int(int64(base)), Change(int64(total-base)))
		}
		t.Rows = append(t.Rows, Row{Kind: kind, Cells: cells})
	}
	for i, u := range r.Units {
		label := unitLabel(u.Office, u.Members)
		if u.Total == 0 && u.BaseTot == 0 {
			label = p("collector.no_data_row", args{"Name": label})
		}
		row(RowData, Ordinal(i+1), label, u.Now, u.Total, u.BaseTot)
	}
	total := p("total")
	if r.NoData {
		total = p("collector.no_data_row", args{"Name": total})
	}
	row(RowTotal, Text(""), total, r.ByField, r.Total, r.BaseTot)
	return t
}

// RollupTallyDocument is Biểu 06 summed over the units: by field (the
// form's rows, with the rates) or by unit (one row per unit), followed by
// every identity that fails in any unit's rows of the period. Units with
// no data print zeros marked "chưa có số liệu".
func RollupTallyDocument(m Meta, r store.TallyRollup, by By) (*Document, error) {
	period := Period{Code: r.Spec.Code(), From: r.Spec.Start, To: r.Spec.End}
	var blocks []Block
	blocks = append(blocks,
		Paragraph{Text: p("tally.reporting_unit", args{"Name": m.Office.Name}), Plain: true},
		Paragraph{Text: p("tally.unit"), Plain: true, Italic: true})
	if r.NoData {
		blocks = append(blocks, Paragraph{Text: p("collector.tally.none"), Bold: true})
	}
	if by == ByUnit {
		blocks = append(blocks, Heading{Text: p("collector.tally.heading_units")}, TableBlock{tallyByUnitTable(r, m.Settings.CutoffDay)})
	} else {
		var rows []TallyRow
		for _, f := range r.ByField {
			rows = append(rows, TallyRow{Field: f.FieldName, Counts: f.Counts})
		}
		in := TallyInput{Period: period, Rows: rows}
		if len(rows) == 0 {
			// Every column reported as 0, so the form prints zeros.
			var zero domain.Counts
			for c := domain.FirstCol; c <= domain.LastCol; c++ {
				zero[c] = domain.V(0)
			}
			in.Rows = []TallyRow{{Field: p("collector.no_data"), Counts: zero}}
		}
		t, _ := tallyTable(in)
		blocks = append(blocks, Heading{Text: p("collector.tally.heading_fields")}, TableBlock{t},
			Heading{Text: p("rates.heading")}, TableBlock{ratesTable(in)})
	}
	blocks = append(blocks, Heading{Text: p("collector.tally.heading_failures")})
	failures := tallyFailures(r)
	if len(failures) == 0 {
		blocks = append(blocks, Paragraph{Text: p("collector.tally.failures_none")})
	}
	for _, f := range failures {
		blocks = append(blocks, Paragraph{Text: "- " + f, Plain: true})
	}
	return &Document{
		Orientation: Landscape,
		FormCode:    p("tally.form_code"),
		Header:      m.header(p("symbol.report")),
		Kind:        p("doc.report"),
		Subject:     []string{p("collector.tally.subject")},
		Subtitle:    period.Line(),
		Blocks:      blocks,
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Stamp:       m.stamp(period.Code, r.ByField),
		Title:       p("collector.tally.subject") + " " + period.Code,
	}, nil
}

// TallyFailures writes each failing identity of the roll-up as a sentence
// naming the unit, the period and the field.
func TallyFailures(r store.TallyRollup) []string { return tallyFailures(r) }

func tallyFailures(r store.TallyRollup) []string {
	names := map[string]string{}
	for _, u := range r.Units {
		names[u.Office.ID] = u.Office.Name
	}
	var out []string
	for _, f := range r.Failures {
		unit := names[f.OfficeID]
		if unit == "" {
			unit = f.OfficeCode
		}
		sentence := ""
		if f.Problem.Identity == domain.IdentityMissing {
			sentence = p("collector.tally.missing", args{"Count": len(f.Problem.Missing)})
		} else {
			sentence = Mismatch{Rule: f.Problem.Identity, Left: f.Problem.Left, Right: f.Problem.Right}.Sentence()
		}
		draft := ""
		if !f.Final {
			draft = p("collector.tally.draft")
		}
		out = append(out, p("collector.tally.failure", args{"Unit": unit, "Period": f.Period, "Field": f.FieldName, "Draft": draft, "Sentence": sentence}))
	}
	return out
}

func tallyByUnitTable(r store.TallyRollup, cutoff int) *Table {
	var rows []TallyRow
	for _, u := range r.Units {
		label := unitLabel(u.Office, u.Members)
		c := u.Total
		if u.Partial && !u.NoData {
			// Summed from the periods it sent; the missing ones named.
			label = p("collector.partial_row", args{"Name": label, "Missing": missingText(u.Missing, cutoff)})
		}
		if u.NoData {
			label = p("collector.no_data_row", args{"Name": label})
			for col := domain.FirstCol; col <= domain.LastCol; col++ {
				c[col] = domain.V(0)
			}
		}
		rows = append(rows, TallyRow{Field: label, Counts: c})
	}
	t, _ := tallyTable(TallyInput{Rows: rows})
	t.Name = p("collector.tally.units_sheet")
	t.Columns[1].Title = p("collector.col.unit")
	t.Columns[1].Width = 22
	// The roll-up's own notes name "Lĩnh vực"; the failures section below
	// says which unit and field fail, so the table marks cells only.
	t.Notes = nil
	return t
}

// CompletenessDocument prints the matrix of units × periods with a legend
// and the counts of reports due, received, closed and on time.
func CompletenessDocument(m Meta, c store.Completeness) (*Document, error) {
	t := &Table{Name: p("collector.completeness.sheet"), FontSize: 9, Columns: []Column{
		{Title: p("col.stt"), Width: 4, Align: Center},
		{Title: p("collector.col.unit"), Width: 24},
	}}
	for _, ps := range c.Periods {
		t.Columns = append(t.Columns, Column{Title: PeriodShort(ps), Width: 5, Align: Center})
	}
	t.Columns = append(t.Columns, Column{Title: p("collector.col.closed"), Width: 7, Align: Right})
	for i, r := range c.Rows {
		cells := []Cell{Ordinal(i + 1), Text(r.Office.Name)}
		closed := 0
		for _, cell := range r.Cells {
			cells = append(cells, Text(CellMark(cell)))
			if cell.State == store.CellClosed {
				closed++
			}
		}
		cells = append(cells, Int(int64(closed)))
		t.Rows = append(t.Rows, Row{Kind: RowData, Cells: cells})
	}
	date := m.Date
	blocks := []Block{
		Paragraph{Text: p("collector.completeness.summary", args{"Date": vn.FormatDate(date), "Expected": vn.FormatInt(int64(c.Expected)),
			"Received": vn.FormatInt(int64(c.Received)), "Closed": vn.FormatInt(int64(c.Closed)), "Rate": vn.FormatPercent(c.Rate()),
			"OnTime": vn.FormatInt(int64(c.OnTime))})},
		TableBlock{t},
	}
	// Under the table on paper, and after it in a CSV or XLSX file too.
	t.Notes, t.NotesInCSV = []string{p("collector.completeness.legend")}, true
	code := strconv.Itoa(c.Year)
	return &Document{
		Orientation: Landscape,
		Header:      m.header(p("symbol.report")),
		Kind:        p("doc.report"),
		Subject:     []string{p("collector.completeness.subject")},
		Subtitle:    p("period.year", args{"Year": code}),
		Blocks:      blocks,
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Stamp:       m.stamp(code, c),
		Title:       p("collector.completeness.subject") + " " + code,
	}, nil
}

// PeriodShort is a period's column title in the matrix: "T4", "Quý 2".
func PeriodShort(ps domain.PeriodSpec) string {
	return p("collector.period."+string(ps.Kind), args{"N": ps.N})
}

// CellMark is one cell of the matrix as printed: Đ, M, N, —, S, with *
// when it is past due and not closed.
func CellMark(c store.CompletenessCell) string {
	code, overdue := c.Mark()
	key := "collector.cell." + code
	if code == "on_time" || code == "late" {
		key = "collector.cell.closed_" + code
	}
	mark := p(key)
	if overdue {
		mark += p("collector.cell.overdue_mark")
	}
	return mark
}

// unreportedState says why a unit is on the list, as printed.
func unreportedState(u store.Unreported) string {
	if u.Cell.State == store.CellDraft {
		return p("collector.unreported.draft")
	}
	return p("collector.unreported.missing")
}

// UnreportedText is the list of units that have not reported period, as
// a message to paste into an e-mail or a Zalo group: who, and by when.
func UnreportedText(m Meta, spec domain.PeriodSpec, list []store.Unreported) string {
	a := args{"Period": Period{Code: spec.Code(), From: spec.Start, To: spec.End}.Label(), "Due": vn.FormatDate(spec.Due(m.Settings.DueWorkingDays)), "Date": vn.FormatDate(m.Date),
		"Office": m.Office.Name, "Count": vn.FormatInt(int64(len(list)))}
	if len(list) == 0 {
		return p("collector.unreported.none", a)
	}
	var b strings.Builder
	b.WriteString(p("collector.unreported.head", a))
	for i, u := range list {
		b.WriteString("\n")
		b.WriteString(p("collector.unreported.line", args{"N": i + 1, "Name": u.Office.Name, "Code": u.Office.Code, "State": unreportedState(u)}))
	}
	b.WriteString("\n")
	b.WriteString(p("collector.unreported.ask", a))
	return b.String()
}

// UnreportedDocument is the same list as a document to print or send.
func UnreportedDocument(m Meta, spec domain.PeriodSpec, list []store.Unreported) *Document {
	a := args{"Period": Period{Code: spec.Code(), From: spec.Start, To: spec.End}.Label(), "Due": vn.FormatDate(spec.Due(m.Settings.DueWorkingDays)), "Date": vn.FormatDate(m.Date),
		"Count": vn.FormatInt(int64(len(list)))}
	t := &Table{Name: p("collector.unreported.sheet"), Columns: []Column{
		{Title: p("col.stt"), Width: 6, Align: Center},
		{Title: p("collector.col.unit"), Width: 50},
		{Title: p("collector.col.code"), Width: 12, Align: Center},
		{Title: p("collector.unreported.col_state"), Width: 32},
	}}
	for i, u := range list {
		t.Rows = append(t.Rows, Row{Kind: RowData, Cells: []Cell{Ordinal(i + 1), Text(u.Office.Name), Text(u.Office.Code), Text(unreportedState(u))}})
	}
	blocks := []Block{Paragraph{Text: p("collector.unreported.summary", a)}}
	if len(list) > 0 {
		blocks = append(blocks, TableBlock{t})
	}
	return &Document{
		Header:     m.header(p("symbol.report")),
		Kind:       p("doc.report"),
		Subject:    []string{p("collector.unreported.subject")},
		Subtitle:   Period{Code: spec.Code(), From: spec.Start, To: spec.End}.Label(),
		Blocks:     blocks,
		Signature:  m.signature(),
		Recipients: m.recipients(),
		Stamp:      m.stamp(spec.Code(), list),
		Title:      p("collector.unreported.subject") + " " + spec.Code(),
	}
}
