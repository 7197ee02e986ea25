package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
)

// TestOpeningViewStops: the opening view's progress bar runs while it is
// shown and stops when the view is replaced; a bar left running keeps
// repainting the whole window (one core busy on an idle screen).
func TestOpeningViewStops(t *testing.T) {
	test.NewTempApp(t)
	if err := i18n.Use("vi"); err != nil {
		t.Fatal(err)
	}
	view, stop := newOpeningView()
	w := test.NewWindow(view)
	defer w.Close()
	var bar *widget.ProgressBarInfinite
	walk(view, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.ProgressBarInfinite); ok {
			bar = b
		}
	})
	if bar == nil || !bar.Running() {
		t.Fatalf("the opening view shows no running progress bar (%v)", bar)
	}
	if findLabel(view, "Đang mở dữ liệu") == nil {
		t.Error("the opening view does not say that the data is opening")
	}
	w.SetContent(widget.NewLabel("màn hình đầu"))
	stop()
	if bar.Running() {
		t.Error("the opening view's progress bar still runs after it was replaced")
	}
}
