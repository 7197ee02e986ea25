package report

import (
	"strconv"
	"strings"

	"danvan/store/vn"
)

// ModelItem is one model or exemplar as the list prints it. Builders take
// plain values so that they do not depend on how the store keeps models.
type ModelItem struct {
	Name     string
	Exemplar bool   // điển hình rather than mô hình
	Field    string // one of the four field codes
	Unit     string // đơn vị đăng ký
	Place    string // địa bàn
	Person   string // người phụ trách
	Year     int    // năm đăng ký
	Status   string // printed status, e.g. "Đang thực hiện"
	Result   string // evaluation and recognition, as printed
}

// ModelList is the input of the yearly list.
type ModelList struct {
	Year  int
	Items []ModelItem
	// NoNames leaves the person column out: a list that leaves the office
	// without the responsible persons' names (domain.PersonalNone).
	NoNames bool
}

// personCol is the models list's column of the responsible person.
const personCol = 4

// ModelsDocument builds "Danh sách mô hình, điển hình “Dân vận khéo” năm …":
// landscape, grouped by field with a subtotal per field and a total.
func ModelsDocument(m Meta, in ModelList) (*Document, error) {
	if len(in.Items) == 0 {
		return nil, &NoDataError{Report: "models", Period: yearText(in.Year)}
	}
	t := &Table{
		Name:     p("models.sheet"),
		FontSize: 10.5,
		Columns: []Column{
			{Title: p("col.stt"), Width: 5, Align: Center},
			{Title: p("models.col.name"), Width: 30},
			{Title: p("models.col.kind"), Width: 8.5, Align: Center},
			{Title: p("models.col.unit"), Width: 13},
			{Title: p("models.col.person"), Width: 13},
			{Title: p("models.col.place"), Width: 11},
			{Title: p("models.col.year"), Width: 6, Align: Center},
			{Title: p("models.col.status"), Width: 13},
			{Title: p("models.col.result"), Width: 15},
		},
	}
	if in.NoNames {
		t.Columns = append(t.Columns[:personCol:personCol], t.Columns[personCol+1:]...)
		t.Columns[1].Width += 13 // the names get the room
	}
	byField := map[string][]ModelItem{}
	order := append([]string(nil), modelFields...)
	for _, it := range in.Items {
		if _, known := byField[it.Field]; !known && !contains(modelFields, it.Field) {
			order = append(order, it.Field)
		}
		byField[it.Field] = append(byField[it.Field], it)
	}
	stt, section := 0, 0
	var models, exemplars int
	for _, f := range order {
		items := byField[f]
		if len(items) == 0 {
			continue
		}
		section++
		t.Rows = append(t.Rows, Row{Kind: RowSection, Cells: []Cell{Text(roman(section) + ". " + strings.ToUpper(p("models.field_prefix")+" "+fieldTitle(f)))}})
		var fm, fe int
		for _, it := range items {
			stt++
			kind := p("kind.model")
			if it.Exemplar {
				kind = p("kind.exemplar")
				fe++
			} else {
				fm++
			}
			year := Text("")
			if it.Year > 0 {
				year = Ordinal(it.Year)
			}
			cells := []Cell{Ordinal(stt), Text(it.Name), Text(kind), Text(it.Unit), Text(it.Person), Text(it.Place), year, Text(it.Status), Text(it.Result)}
			if in.NoNames {
				cells = append(cells[:personCol:personCol], cells[personCol+1:]...)
			}
			t.Rows = append(t.Rows, Row{Cells: cells})
		}
		models += fm
		exemplars += fe
		t.Rows = append(t.Rows, Row{Kind: RowSubtotal, Cells: []Cell{
			Text(""), Text(p("models.subtotal", args{"Field": strings.ToLower(fieldTitle(f))}) + " (" +
				p("models.split", args{"Models": vn.FormatInt(int64(fm)), "Exemplars": vn.FormatInt(int64(fe))}) + ")"),
			Int(int64(fm + fe)),
		}})
	}
	t.Rows = append(t.Rows, Row{Kind: RowTotal, Cells: []Cell{
		Text(""), Text(p("total") + " (" +
			p("models.split", args{"Models": vn.FormatInt(int64(models)), "Exemplars": vn.FormatInt(int64(exemplars))}) + ")"),
		Int(int64(models + exemplars)),
	}})
	doc := &Document{
		Orientation: Landscape,
		Header:      m.header(p("symbol.list")),
		Kind:        p("doc.list"),
		Subject:     []string{p("models.subject", args{"Year": yearText(in.Year)})},
		Blocks:      []Block{TableBlock{t}},
		Signature:   m.signature(),
		Recipients:  m.recipients(),
		Stamp:       m.stamp(yearText(in.Year), in),
		Title:       p("models.title", args{"Year": yearText(in.Year)}),
	}
	return doc, nil
}

func yearText(y int) string {
	if y <= 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
