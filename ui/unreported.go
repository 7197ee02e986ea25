package ui

import (
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/report"
	"danvan/store"
)

// unreportedDialog is the reminder a collecting office sends: the units
// that have not reported one period of the matrix shown, as text to copy
// into an e-mail or a Zalo group, or as a PDF (issue 28).
type unreportedDialog struct {
	a      *App
	m      store.Completeness
	period *escSelect
	text   *widget.Entry
	copyB  *widget.Button
	pdfB   *widget.Button
	code   string // the period shown
}

// showUnreported opens the reminder for the matrix m, on the period whose
// report is owed now (or the last one of the matrix).
func showUnreported(a *App, m store.Completeness) {
	if len(m.Periods) == 0 {
		return
	}
	d := &unreportedDialog{a: a, m: m}
	names := make([]string, len(m.Periods))
	for i, p := range m.Periods {
		names[i] = i18n.PeriodName(p)
	}
	d.period = newEscSelect(names, func(string) { d.load() })
	d.text = widget.NewMultiLineEntry()
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetMinRowsVisible(10)
	d.copyB = widget.NewButtonWithIcon(i18n.T("unreported.copy"), theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(d.text.Text)
		d.copyB.SetText(i18n.T("unreported.copied"))
	})
	d.copyB.Importance = widget.HighImportance
	d.pdfB = widget.NewButtonWithIcon(i18n.T("unreported.pdf"), theme.DocumentPrintIcon(), d.onPDF)
	body := container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel(i18n.T("unreported.period")), nil, d.period),
		container.NewHBox(d.copyB, d.pdfB), nil, nil, d.text)
	dlg := dialog.NewCustom(i18n.T("unreported.title"), i18n.T("common.close"), body, a.Win)
	a.show(dlg)
	dlg.Resize(fyne.NewSize(720, 520))
	// The period owed now, else the last one of the year shown.
	set := a.Settings
	owed, _ := domain.NextDue(time.Now(), set.CutoffDay, set.DueWorkingDays)
	pick := len(m.Periods) - 1
	for i, p := range m.Periods {
		if p.Contains(owed.End) || p.Code() == owed.Code() {
			pick = i
			break
		}
	}
	d.period.SetSelectedIndex(pick) // loads
}

func (d *unreportedDialog) spec() domain.PeriodSpec {
	return d.m.Periods[max(0, d.period.SelectedIndex())]
}

// load writes the reminder of the period chosen.
func (d *unreportedDialog) load() {
	spec := d.spec()
	d.code = spec.Code()
	d.copyB.SetText(i18n.T("unreported.copy"))
	var text string
	d.a.Background(func() error {
		m, err := report.NewMeta(d.a.Ctx(), d.a.St, report.Request{Kind: report.KindUnreported, Period: spec.Code(), Date: time.Now()})
		if err != nil {
			return err
		}
		list, _ := d.m.Unreported(spec)
		text = report.UnreportedText(m, spec, list)
		return nil
	}, func(err error) {
		if err != nil {
			d.a.ShowError(err)
			return
		}
		d.text.SetText(text)
	})
}

func (d *unreportedDialog) onPDF() {
	code := d.code
	d.a.saveFile(d.a.Self.Code+"-chua-bao-cao-"+code+".pdf", []string{".pdf"}, func(path string) {
		d.a.Background(func() error {
			doc, err := report.Build(d.a.Ctx(), d.a.St, report.Request{Kind: report.KindUnreported, Period: code, Date: time.Now()})
			if err != nil {
				return err
			}
			os.Remove(path) // the save dialog made it empty
			return doc.WriteFile(path, report.PDF)
		}, func(err error) {
			if err != nil {
				discardEmpty(path)
				d.a.ShowError(err)
				return
			}
			d.a.inform(i18n.T("unreported.title"), i18n.T("report.cli.done", i18n.Args{"File": filepath.Base(path)}))
		})
	})
}
