package ui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
	"danvan/store/vn"
	"danvan/ui/i18n"
)

func init() {
	registerSettingsSection(50, "safety.backup.title", func(a *App) fyne.CanvasObject { return newBackupSection(a).content() })
}

// backupSection (Cài đặt › Sao lưu) backs up to a chosen folder or USB
// stick, restores from a file or from one of the automatic snapshots, and
// lists those snapshots.
type backupSection struct {
	a        *App
	backupB  *widget.Button
	restoreB *widget.Button
	msg      *widget.Label
	list     *fyne.Container
	snaps    []store.SnapshotInfo
}

func newBackupSection(a *App) *backupSection { return &backupSection{a: a} }

func (s *backupSection) content() fyne.CanvasObject {
	s.backupB = widget.NewButtonWithIcon(i18n.T("safety.backup.now"), theme.DocumentSaveIcon(), s.chooseFolder)
	s.backupB.Importance = widget.HighImportance
	s.restoreB = widget.NewButtonWithIcon(i18n.T("safety.backup.restore"), theme.HistoryIcon(), s.chooseFile)
	if !s.a.Actor.Can(store.PermRestore) {
		s.restoreB.Disable()
	}
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	s.list = container.NewVBox()
	intro := widget.NewLabel(i18n.T("safety.backup.intro"))
	intro.Wrapping = fyne.TextWrapWord
	s.reload()
	return container.NewVBox(
		intro,
		container.NewHBox(s.backupB, s.restoreB),
		s.msg,
		widget.NewLabelWithStyle(i18n.T("safety.backup.snapshots"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.list,
	)
}

// reload lists the automatic snapshots, newest first.
func (s *backupSection) reload() {
	var snaps []store.SnapshotInfo
	s.a.Background(func() (err error) {
		snaps, err = store.Snapshots(s.a.St.Dir())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.snaps = snaps
		s.list.Objects = nil
		if len(snaps) == 0 {
			s.list.Add(widget.NewLabel(i18n.T("common.none")))
		}
		for _, sn := range snaps {
			s.list.Add(s.snapshotRow(sn))
		}
		s.list.Refresh()
	})
}

func (s *backupSection) snapshotRow(sn store.SnapshotInfo) fyne.CanvasObject {
	text := i18n.T("safety.backup.row", i18n.Args{
		"At":     vn.FormatDateTime(sn.Time),
		"Reason": translated("safety.backup.reason."+sn.Reason, sn.Reason),
		"Size":   sizeText(sn.Size),
	})
	b := widget.NewButton(i18n.T("safety.backup.restore_this"), func() { s.confirmRestore(sn.Path) })
	if !s.a.Actor.Can(store.PermRestore) {
		b.Disable()
	}
	return container.NewHBox(widget.NewLabel(text), layout.NewSpacer(), b)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return vn.FormatDecimal(float64(n)/(1<<20), 1) + " MB"
	case n >= 1<<10:
		return vn.FormatInt(n>>10) + " KB"
	}
	return fmt.Sprintf("%d B", n)
}

func (s *backupSection) chooseFolder() {
	s.a.pickFolder(func(p string) { s.backupTo(p, nil) })
}

// backupTo writes a backup into folder; done (for tests) gets the result.
func (s *backupSection) backupTo(folder string, done func(path string, err error)) {
	s.backupB.Disable()
	s.msg.SetText(i18n.T("safety.backup.working"))
	var path string
	s.a.Background(func() error {
		path = filepath.Join(folder, s.a.St.BackupName(s.a.ctx))
		return s.a.St.BackupTo(s.a.ctx, s.a.Actor, path)
	}, func(err error) {
		s.backupB.Enable()
		if err != nil {
			s.msg.SetText("")
			s.a.ShowError(err)
		} else {
			s.msg.SetText(i18n.T("safety.backup.done", i18n.Args{"File": path}))
		}
		if done != nil {
			done(path, err)
		}
	})
}

func (s *backupSection) chooseFile() {
	s.a.pickFile([]string{".db"}, s.confirmRestore)
}

// confirmRestore says what a restore does before doing it.
func (s *backupSection) confirmRestore(path string) {
	s.a.confirm(i18n.T("safety.backup.restore"), i18n.T("safety.backup.confirm", i18n.Args{"File": filepath.Base(path)}),
		func(ok bool) {
			if ok {
				s.restore(path, nil)
			}
		})
}

// restore replaces the data with the backup at path, then rebuilds every
// screen on the restored data; done (for tests) gets the result.
func (s *backupSection) restore(path string, done func(err error)) {
	s.restoreB.Disable()
	s.msg.SetText(i18n.T("safety.backup.working"))
	var before string
	s.a.Background(func() (err error) {
		before, err = s.a.St.Restore(s.a.ctx, s.a.Actor, path)
		return err
	}, func(err error) {
		s.restoreB.Enable()
		if err != nil {
			s.msg.SetText("")
			s.a.ShowError(err)
		} else {
			msg := i18n.T("safety.backup.restored", i18n.Args{"File": filepath.Base(path), "Before": filepath.Base(before)})
			s.msg.SetText(msg)
			if s.a.shell != nil {
				// Every page shows data that has just been replaced.
				s.a.start("")
				s.a.Navigate("settings")
			}
			s.a.inform(i18n.T("safety.backup.restore"), msg)
		}
		if done != nil {
			done(err)
		}
		s.reload()
	})
}
