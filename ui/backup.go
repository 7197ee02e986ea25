package ui

import (
	dsync "danvan/sync"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
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

// confirmRestore says what a restore does before doing it; when the
// backup is older than the last batch sent, it says that too, and asks for
// the signing passphrase to take back from the sent batches what the
// backup lacks (unless the key is open already).
func (s *backupSection) confirmRestore(path string) {
	var behind store.ChainBehind
	s.a.Background(func() (err error) {
		behind, err = s.a.St.RestoreBehind(s.a.ctx, path)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		text := widget.NewLabel(i18n.T("safety.backup.confirm", i18n.Args{"File": filepath.Base(path)}))
		text.Wrapping = fyne.TextWrapWord
		body := container.NewVBox(text)
		pass := newSecretEntry()
		if behind.Behind() {
			warn := widget.NewLabel(i18n.T("safety.backup.behind", i18n.Args{"Backup": behind.BackupSeq, "Current": behind.CurrentSeq,
				"Date": vn.FormatDate(behind.CurrentAt)}))
			warn.Wrapping = fyne.TextWrapWord
			warn.Importance = widget.WarningImportance
			body.Add(warn)
			if !s.a.signing().Unlocked() {
				pass.SetPlaceHolder(i18n.T("safety.backup.recover_pass"))
				body.Add(widget.NewLabel(i18n.T("safety.backup.recover_pass_label")))
				body.Add(pass)
			}
		}
		d := dialog.NewCustomConfirm(i18n.T("safety.backup.restore"), i18n.T("safety.backup.restore_do"), i18n.T("common.cancel"), body,
			func(ok bool) {
				if ok {
					s.restore(path, pass.Text, behind.Behind(), nil)
				}
			}, s.a.Win)
		s.a.show(d)
		d.Resize(fyne.NewSize(min(600, s.a.Win.Canvas().Size().Width-40), d.MinSize().Height+40))
	})
}

// restore replaces the data with the backup at path, then rebuilds every
// screen on the restored data; when the backup was behind the chain and the
// key is open (or pass opens it), what the backup lacks is taken back from
// the office's own sent batches. done (for tests) gets the result.
func (s *backupSection) restore(path, pass string, behind bool, done func(err error)) {
	s.restoreB.Disable()
	s.msg.SetText(i18n.T("safety.backup.working"))
	var before string
	var rec *store.RecoverResult
	var recErr error
	s.a.Background(func() (err error) {
		before, err = s.a.St.Restore(s.a.ctx, s.a.Actor, path)
		if err != nil || !behind {
			return err
		}
		// The restore is done; taking back is a second step that can fail
		// on its own (a wrong passphrase) and be run again.
		sg, err := s.a.unlockedSigner(pass)
		if err != nil || sg == nil {
			recErr = err
			return nil
		}
		r, _, err := dsync.RecoverSent(s.a.ctx, s.a.St, s.a.Actor, sg, s.a.St.Dir(), nil)
		rec, recErr = &r, err
		return nil
	}, func(err error) {
		s.restoreB.Enable()
		if err != nil {
			s.msg.SetText("")
			s.a.ShowError(err)
		} else {
			msg := i18n.T("safety.backup.restored", i18n.Args{"File": filepath.Base(path), "Before": filepath.Base(before)})
			switch {
			case recErr != nil:
				msg += "\n" + i18n.T("safety.backup.recover_failed", i18n.Args{"Reason": i18n.Err(recErr)})
			case rec != nil:
				msg += "\n" + i18n.T("batch.recover_done", i18n.Args{"Files": rec.Batches, "Linked": rec.Linked, "Next": rec.LastSeq + 1,
					"New": rec.Counts.New, "Updated": rec.Counts.Updated})
			case behind:
				msg += "\n" + i18n.T("safety.backup.recover_later")
			}
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
