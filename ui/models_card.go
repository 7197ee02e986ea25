package ui

import (
	"danvan/internal/domain"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	registerDashboardCard(10, newModelsCard)
}

// modelsCard is the dashboard's "models by field" bar chart.
type modelsCard struct {
	a      *App
	bars   map[domain.Field]*canvas.Rectangle
	rows   map[domain.Field]*fyne.Container
	values map[domain.Field]*widget.Label
	total  *widget.Label
	chart  *barsLayout
}

func newModelsCard(a *App) fyne.CanvasObject {
	c := &modelsCard{a: a, bars: map[domain.Field]*canvas.Rectangle{}, rows: map[domain.Field]*fyne.Container{}, values: map[domain.Field]*widget.Label{}, chart: &barsLayout{}}
	rows := container.NewVBox()
	bar := theme.Color(theme.ColorNamePrimary)
	for _, f := range domain.Fields {
		r := canvas.NewRectangle(bar)
		c.bars[f] = r
		c.values[f] = widget.NewLabel("")
		row := container.New(&barLayout{card: c, field: f}, r)
		c.rows[f] = row
		name := widget.NewLabel(i18n.T("models.field." + string(f)))
		name.Truncation = fyne.TextTruncateEllipsis
		// Name on the left (fixed share), bar in the middle, count on the right.
		rows.Add(container.NewGridWithColumns(2, name, container.NewBorder(nil, nil, nil, c.values[f], row)))
	}
	c.total = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	open := widget.NewButton(i18n.T("models.open"), func() { a.Navigate("models") })
	card := widget.NewCard(i18n.T("models.card_title"), "", container.NewBorder(nil, container.NewHBox(c.total, layout.NewSpacer(), open), nil, nil, rows))
	c.load()
	return card
}

func (c *modelsCard) load() {
	var counts store.ModelCounts
	c.a.Background(func() error {
		var err error
		counts, err = c.a.St.CountModelsByField(c.a.Ctx(), store.ModelFilter{})
		return err
	}, func(err error) {
		if err != nil {
			c.total.SetText(i18n.Err(err))
			return
		}
		c.chart.counts = counts
		for _, f := range domain.Fields {
			c.values[f].SetText(vn.FormatInt(int64(counts.ByField[f])))
			c.rows[f].Refresh() // lays the bar out again at its new length
		}
		c.total.SetText(i18n.T("models.total", i18n.Args{"Count": vn.FormatInt(int64(counts.Total))}))
	})
}

// barsLayout holds the counts the bars are scaled to: the largest field
// fills the row.
type barsLayout struct{ counts store.ModelCounts }

func (b *barsLayout) fraction(f domain.Field) float32 {
	maxN := 0
	for _, n := range b.counts.ByField {
		maxN = max(maxN, n)
	}
	if maxN == 0 {
		return 0
	}
	return float32(b.counts.ByField[f]) / float32(maxN)
}

// barLayout sizes one bar to its share of the row's width.
type barLayout struct {
	card  *modelsCard
	field domain.Field
}

func (l *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := size.Width * l.card.chart.fraction(l.field)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height-theme.Padding()))
		o.Move(fyne.NewPos(0, theme.Padding()/2))
	}
}

func (l *barLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(60, 18) }
