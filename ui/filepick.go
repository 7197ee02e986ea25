package ui

import (
	"io"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// pickFile shows the open-file dialog, limited to the given extensions when
// any are named, and hands the chosen file's path to then. Cancelling does
// nothing; a dialog error is told to the person.
func (a *App) pickFile(exts []string, then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		then(path)
	}, a.Win)
	fileFilter(d, exts)
	a.show(d)
}

// pickFolder shows the open-folder dialog and hands the chosen folder's
// path to then.
func (a *App) pickFolder(then func(path string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		if u != nil {
			then(u.Path())
		}
	}, a.Win)
	d.Resize(fileDialogSize)
	a.show(d)
}

// saveFile shows the save dialog, proposing name and limited to exts, and
// hands the chosen path to then. Fyne's dialog has already created the file
// (empty) when then runs: writers replace it atomically, and call
// discardEmpty when they fail, so that no empty or partial file is left.
func (a *App) saveFile(name string, exts []string, then func(path string)) {
	if a.savePath != nil { // a test answers for the person at the dialog
		then(a.savePath(name))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		then(path)
	}, a.Win)
	d.SetFileName(name)
	fileFilter(d, exts)
	a.show(d)
}

// discardEmpty removes the file the save dialog created, if nothing was
// written into it.
func discardEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		os.Remove(path)
	}
}

// readFileLimited reads at most limit bytes of a file chosen by the person:
// a file from outside is read with a bound, and one cut short is refused
// by the parser that reads it.
func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
