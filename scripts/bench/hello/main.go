// Command hello is the floor of the P1 cold-start measure in
// scripts/bench.sh: the smallest Fyne program that paints a window of the
// same size as danvan's, built by the same toolchain in the same run.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("danvan.bench.hello")
	w := a.NewWindow("hello")
	w.SetContent(widget.NewLabel("Xin chào"))
	w.Resize(fyne.NewSize(1200, 760))
	w.ShowAndRun()
}
