package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
)

// The paper form's 13 columns: (1) STT, (2) lĩnh vực, then the 11 counts.
const (
	gridCols     = 13
	gridSTTWidth = 46
	gridNameMin  = 170
	gridNumMin   = 62
)

// gridColumnWidths shares width among the form's columns: STT fixed, the
// field name a fifth of the room (at least gridNameMin), the counts equal.
func gridColumnWidths(width float32) [gridCols]float32 {
	var w [gridCols]float32
	w[0] = gridSTTWidth
	name := max(gridNameMin, width*0.18)
	num := max(gridNumMin, (width-gridSTTWidth-name)/11)
	w[1] = name
	for i := 2; i < gridCols; i++ {
		w[i] = num
	}
	return w
}

// gridRowLayout lays one row of the form; spans[i] is how many of the 13
// columns object i covers, so the group headings line up with the cells.
type gridRowLayout struct{ spans []int }

func newGridRow(spans []int, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&gridRowLayout{spans: spans}, objs...)
}

func (l *gridRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := gridColumnWidths(size.Width)
	col := 0
	var x float32
	for i, o := range objs {
		span := 1
		if i < len(l.spans) {
			span = l.spans[i]
		}
		var width float32
		for c := col; c < col+span && c < gridCols; c++ {
			width += w[c]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(width, size.Height))
		x += width
		col += span
	}
}

func (l *gridRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(gridSTTWidth+gridNameMin+11*gridNumMin, h)
}

// tallyCell is one count of the grid: an entry with a frame drawn over it
// that turns red when a rule involving the cell fails. The frame is a
// plain rectangle, so taps and typing still reach the entry.
type tallyCell struct {
	entry *keyEntry
	frame *canvas.Rectangle
	box   *fyne.Container
	col   int
	bad   bool
}

func newTallyCell(col int) *tallyCell {
	c := &tallyCell{col: col, entry: newKeyEntry(false)}
	c.frame = canvas.NewRectangle(color.Transparent)
	c.frame.StrokeWidth = 2
	c.box = container.NewStack(c.entry, c.frame)
	return c
}

// setBad marks the cell as failing (or not).
func (c *tallyCell) setBad(bad bool) {
	if c.bad == bad {
		return
	}
	c.bad = bad
	if bad {
		c.frame.StrokeColor = theme.Color(theme.ColorNameError)
		c.frame.FillColor = withAlpha(theme.Color(theme.ColorNameError), 0x30)
	} else {
		c.frame.StrokeColor = color.Transparent
		c.frame.FillColor = color.Transparent
	}
	c.frame.Refresh()
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// tallyGridRow is one field's row of cells.
type tallyGridRow struct {
	field store.TallyField
	cells [14]*tallyCell // indexed by column number, 3..13
	state *widget.Label  // "nháp" / "chính thức"
	name  *widget.Label
}
