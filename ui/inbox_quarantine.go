package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store/vn"
	dsync "danvan/sync"
)

// The quarantine (batch format §5.1), as the clerk sees it: every refused
// batch set aside in the data folder's quarantine/, newest first, with when
// it came, from whom (for one that waits for its office to be enrolled) and
// why. Those whose office is enrolled now are taken in with one button, as
// `danvan batch import --waiting` does; importing them releases them.

var quarantineCols = []tableCol{
	{"collector.quarantine.col.at", 138}, {"collector.inbox.col.file", 180}, {"collector.col.unit", 145},
	{"collector.quarantine.col.state", 135}, {"collector.quarantine.col.reason", 272},
}

// onQuarantine reads the quarantine off the UI goroutine and shows it.
func (s *inboxScreen) onQuarantine() {
	var list []dsync.QuarantineEntry
	var all int
	s.a.Background(func() (err error) {
		list, all, err = dsync.Quarantined(s.a.Ctx(), s.a.St, s.a.St.Dir())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.showQuarantine(list, all)
	})
}

func (s *inboxScreen) showQuarantine(list []dsync.QuarantineEntry, all int) {
	ready := 0
	for _, q := range list {
		if q.Ready {
			ready++
		}
	}
	table := newTextTable(quarantineCols, func() int { return len(list) }, func(r, c int) string {
		if r < 0 || r >= len(list) {
			return ""
		}
		q := list[r]
		switch c {
		case 0:
			return vn.FormatDateTime(q.At)
		case 1:
			return q.Name
		case 2:
			if q.Office == "" {
				return "—"
			}
			return q.Office
		case 3:
			return i18n.T(q.StateKey())
		}
		return firstLine(q.Reason)
	})
	table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(list) {
			q := list[id.Row]
			s.a.inform(q.Name, vn.FormatDateTime(q.At)+"\n"+i18n.T(q.StateKey())+"\n\n"+q.Reason)
		}
		table.UnselectAll()
	}
	summary := i18n.T("batch.quarantine_none")
	if all > 0 {
		summary = i18n.T("collector.quarantine.summary", i18n.Args{"Count": vn.FormatInt(int64(all)), "Ready": vn.FormatInt(int64(ready))})
	}
	head := widget.NewLabel(summary)
	head.Wrapping = fyne.TextWrapWord
	var dlg dialog.Dialog
	importB := widget.NewButtonWithIcon(i18n.T("collector.quarantine.import", i18n.Args{"Count": vn.FormatInt(int64(ready))}), theme.DownloadIcon(), func() {
		dlg.Hide()
		s.onWaiting()
	})
	importB.Importance = widget.HighImportance
	if ready == 0 || s.busy {
		importB.Disable()
	}
	closeB := widget.NewButton(i18n.T("common.close"), func() { dlg.Hide() })
	dlg = dialog.NewCustomWithoutButtons(i18n.T("collector.quarantine.title"),
		container.NewBorder(head, container.NewHBox(importB, closeB), nil, nil, table), s.a.Win)
	dlg.Resize(fyne.NewSize(920, 540))
	s.a.show(dlg)
}
