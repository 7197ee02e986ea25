package report

import (
	"strconv"
	"strings"

	"danvan/store/vn"
)

// FieldCount is the number of models and exemplars of one field in the
// report's year and in the baseline year.
type FieldCount struct {
	Field     string
	Now, Base int64
}

// SummaryInput is what "Báo cáo kết quả" is written from.
type SummaryInput struct {
	Period    Period
	Tally     []TallyRow // Biểu 06 rows of the period; empty when none was entered
	Missing   string     // the periods without figures, when Tally sums part of the range
	Year      int        // the models' year
	Baseline  int        // the year to compare with; 0 for none
	Fields    []FieldCount
	Models    int64 // mô hình in Year
	Exemplars int64 // điển hình in Year
}

// SummaryDocument builds "Báo cáo kết quả": sentences generated from the
// figures, the models by field with the change since the baseline year, a
// bar chart, and a section that lists every figure that does not add up.
// That section is always printed, so that a reader knows it was checked.
func SummaryDocument(m Meta, in SummaryInput) (*Document, error) {
	if len(in.Tally) == 0 && len(in.Fields) == 0 {
		return nil, &NoDataError{Report: "summary", Period: in.Period.Code}
	}
	area := wholeArea(m.Office.Kind)
	var blocks []Block
	var problems []string

	// I. Dossiers.
	blocks = append(blocks, Heading{Text: "I. " + p("summary.h.tally")})
	if len(in.Tally) == 0 {
		blocks = append(blocks, Paragraph{Text: p("summary.tally.none")})
	} else {
		total := sumRows(in.Tally)
		var mismatches []Mismatch
		for _, r := range in.Tally {
			for _, mm := range CheckTally(r) {
				mismatches = append(mismatches, mm)
				problems = append(problems, p("mismatch.row", args{"Field": r.Field})+mm.Sentence())
			}
		}
		if len(in.Tally) > 1 {
			for _, mm := range CheckTally(total) {
				problems = append(problems, p("mismatch.total")+mm.Sentence())
			}
		}
		if in.Missing != "" {
			blocks = append(blocks, Paragraph{Text: p("tally.partial", args{"Missing": in.Missing}), Bold: true})
		}
		blocks = append(blocks, tallySentences(area, total, len(mismatches) > 0)...)
	}

	// II. Models.
	blocks = append(blocks, Heading{Text: "II. " + p("summary.h.models")})
	if len(in.Fields) == 0 {
		blocks = append(blocks, Paragraph{Text: p("summary.models.none")})
	} else {
		blocks = append(blocks, modelSentences(area, in)...)
		blocks = append(blocks, TableBlock{fieldTable(in)})
		chart := BarChart{Title: p("summary.chart", args{"Year": strconv.Itoa(in.Year)})}
		for _, f := range in.Fields {
			chart.Labels = append(chart.Labels, fieldTitle(f.Field))
			chart.Values = append(chart.Values, f.Now)
		}
		blocks = append(blocks, chart)
	}

	// III. Figures that do not add up: listed, never hidden.
	blocks = append(blocks, Heading{Text: "III. " + p("summary.h.check")})
	if len(problems) == 0 {
		blocks = append(blocks, Paragraph{Text: p("summary.check.ok")})
	} else {
		blocks = append(blocks, Paragraph{Text: p("summary.check.intro", args{"Count": len(problems)})})
		for _, pr := range problems {
			blocks = append(blocks, Paragraph{Text: "- " + pr + ".", Bold: true})
		}
	}

	return &Document{
		Orientation: Portrait,
		Header:      m.header(p("symbol.report")),
		Kind:        p("doc.report"),
		Subject:     []string{p("summary.subject")},
		Subtitle:    in.Period.Line(),
		Blocks:      blocks,
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Stamp:       m.stamp(in.Period.Code, in),
		Title:       p("summary.title"),
	}, nil
}

// tallySentences writes the dossier figures as prose, with the rates the
// form implies. When an identity fails the rates are still given (they are
// what was entered) but flagged, and the reader is sent to section III.
func tallySentences(area string, t TallyRow, flagged bool) []Block {
	n := func(c int) string { return vn.FormatInt(t.get(c)) }
	parts := func(key string, cols ...int) string {
		var sum int64
		a := args{}
		for _, c := range cols {
			sum += t.get(c)
			a["C"+strconv.Itoa(c)] = n(c)
			if !t.has(c) { // a blank column is not a zero
				a["C"+strconv.Itoa(c)] = p("summary.not_reported")
			}
		}
		if sum == 0 {
			return ""
		}
		return p(key, a)
	}
	rate := vn.FormatPercent(t.ProcessedRate())
	if flagged {
		rate += flagMark
	}
	out := []Block{Paragraph{Text: p("summary.tally.main", args{
		"Area":            area,
		"Received":        n(3),
		"ReceivedParts":   parts("summary.tally.received_parts", 4, 5, 6),
		"Processed":       n(7),
		"Rate":            rate,
		"ProcessedParts":  parts("summary.tally.processed_parts", 8, 9, 10),
		"InProgress":      n(11),
		"InProgressParts": parts("summary.tally.in_progress_parts", 12, 13),
	})}}
	out = append(out, Paragraph{Text: p("summary.tally.rates", args{
		"OnTime": vn.FormatPercent(t.OnTimeRate()), "Late": n(10), "LateRate": vn.FormatPercent(t.LateRate()),
	})})
	if flagged {
		out = append(out, Paragraph{Text: p("summary.tally.flagged"), Bold: true, Italic: true})
	}
	return out
}

func modelSentences(area string, in SummaryInput) []Block {
	var now, base int64
	var byField []string
	for _, f := range in.Fields {
		now += f.Now
		base += f.Base
		byField = append(byField, p("summary.models.field", args{"Field": strings.ToLower(fieldTitle(f.Field)), "N": vn.FormatInt(f.Now)}))
	}
	out := []Block{Paragraph{Text: p("summary.models.main", args{
		"Year": strconv.Itoa(in.Year), "Area": area, "Total": vn.FormatInt(now),
		"Models": vn.FormatInt(in.Models), "Exemplars": vn.FormatInt(in.Exemplars),
		"ByField": strings.Join(byField, ", "),
	})}}
	if in.Baseline > 0 {
		key := "summary.models.same"
		diff := now - base
		switch {
		case diff > 0:
			key = "summary.models.up"
		case diff < 0:
			key = "summary.models.down"
			diff = -diff
		}
		out = append(out, Paragraph{Text: p(key, args{"Base": strconv.Itoa(in.Baseline), "BaseTotal": vn.FormatInt(base), "Diff": vn.FormatInt(diff)})})
	}
	return out
}

// fieldTable is the models by field, with the baseline year beside.
func fieldTable(in SummaryInput) *Table {
	t := &Table{Name: p("summary.fields.sheet")}
	t.Columns = []Column{
		{Title: p("col.stt"), Width: 6, Align: Center},
		{Title: p("summary.fields.col.field"), Width: 34},
	}
	if in.Baseline > 0 {
		t.Columns = append(t.Columns, Column{Title: p("summary.fields.col.year", args{"Year": strconv.Itoa(in.Baseline)}), Width: 14, Align: Right})
	}
	t.Columns = append(t.Columns, Column{Title: p("summary.fields.col.year", args{"Year": strconv.Itoa(in.Year)}), Width: 14, Align: Right})
	if in.Baseline > 0 {
		t.Columns = append(t.Columns, Column{Title: p("summary.fields.col.change"), Width: 16, Align: Right})
	}
	var now, base int64
	row := func(kind RowKind, stt Cell, label string, n, b int64) {
		cells := []Cell{stt, Text(label)}
		if in.Baseline > 0 {
			cells = append(cells, Int(b))
		}
		cells = append(cells, Int(n))
		if in.Baseline > 0 {
			cells = append(cells, Change(n-b))
		}
		t.Rows = append(t.Rows, Row{Kind: kind, Cells: cells})
	}
	for i, f := range in.Fields {
		row(RowData, Ordinal(i+1), fieldTitle(f.Field), f.Now, f.Base)
		now += f.Now
		base += f.Base
	}
	row(RowTotal, Text(""), p("total"), now, base)
	return t
}
