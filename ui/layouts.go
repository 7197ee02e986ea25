package ui

import "fyne.io/fyne/v2"

// flowGrid lays cards out two to a row when the page is wide enough for
// two of the widest card, and one to a row otherwise. Fyne's adaptive grid
// always keeps two columns, so a page of cards needed twice the widest
// card and pushed the window past a 1024-pixel screen.
type flowGrid struct{ gap float32 }

func (g flowGrid) maxMin(objs []fyne.CanvasObject) (w float32) {
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	return w
}

func (g flowGrid) cols(objs []fyne.CanvasObject, width float32) int {
	if m := g.maxMin(objs); m > 0 && width >= 2*m+g.gap {
		return 2
	}
	return 1
}

func (g flowGrid) rows(objs []fyne.CanvasObject, cols int) [][]fyne.CanvasObject {
	var out [][]fyne.CanvasObject
	var cur []fyne.CanvasObject
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		cur = append(cur, o)
		if len(cur) == cols {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func (g flowGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	cols := g.cols(objs, size.Width)
	cellW := (size.Width - g.gap*float32(cols-1)) / float32(cols)
	y := float32(0)
	for _, row := range g.rows(objs, cols) {
		h := float32(0)
		for _, o := range row {
			h = max(h, o.MinSize().Height)
		}
		for i, o := range row {
			o.Move(fyne.NewPos(float32(i)*(cellW+g.gap), y))
			o.Resize(fyne.NewSize(cellW, h))
		}
		y += h + g.gap
	}
}

// MinSize is one column: the widest card, and every card's height.
func (g flowGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			s.Width = max(s.Width, m.Width)
			s.Height += m.Height
			n++
		}
	}
	if n > 1 {
		s.Height += g.gap * float32(n-1)
	}
	return s
}

// maxWidth centres its one object at most w wide, as tall as given: a form
// that reads well on a wide screen and still grows downwards when
// problems appear under its fields (a fixed-size box cut off the set-up's
// last fields and its button).
type maxWidth struct{ w float32 }

func (m maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, max(m.w, m.MinSize(objs).Width))
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (m maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}
