package ui

import (
	"danvan/internal/domain"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/report/sheet"
	"danvan/report/tallyfile"
	"danvan/store"
	"danvan/store/vn"
)

// The period's form as a spreadsheet (report/tallyfile, the same file as
// `danvan tallies export/import`): the officer exports the form, fills it
// in Excel or LibreOffice (or has it filled), and imports it back. The
// import is checked whole first and shown; nothing is stored until the
// officer says so, and then every row or none.

// fileButton is the page's "Tệp Excel" button: a menu of export and import.
func (s *talliesScreen) fileButton() *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(i18n.T("tally.ui.file"), theme.MenuDropDownIcon(), func() {
		s.a.showMenu(fyne.NewMenu("",
			fyne.NewMenuItem(i18n.T("tally.ui.export_file"), s.onExportFile),
			fyne.NewMenuItem(i18n.T("tally.ui.import_file"), s.onImportFile)), b)
	})
	return b
}

func (s *talliesScreen) onExportFile() {
	spec := s.spec
	name := "bieu-06-" + strings.ReplaceAll(spec.Code(), "..", "_") + ".xlsx"
	s.a.saveFile(name, []string{".xlsx", ".csv"}, func(path string) {
		var n int
		s.a.Background(func() (err error) {
			n, err = tallyfile.Export(s.a.Ctx(), s.a.St, s.a.Actor, path, &spec)
			return err
		}, func(err error) {
			if err != nil {
				discardEmpty(path)
				s.a.ShowError(err)
				return
			}
			s.a.inform(strings.TrimSuffix(i18n.T("tally.ui.export_file"), "…"), i18n.T("tally.cli.exported", i18n.Args{"Rows": vn.FormatInt(int64(n)), "File": path}))
		})
	})
}

func (s *talliesScreen) onImportFile() {
	if s.dirty {
		s.a.inform(i18n.T("tally.ui.import_file"), i18n.T("tally.ui.import_unsaved"))
		return
	}
	s.a.pickFile([]string{".xlsx", ".csv"}, s.importFrom)
}

// importFrom checks the whole file for the page's period (a dry run) and
// shows what importing would store.
func (s *talliesScreen) importFrom(path string) {
	spec := s.spec
	var batches []store.PeriodRows
	var res []store.SaveResult
	var problems []tallyfile.Problem
	s.a.Background(func() (err error) {
		t, err := sheet.ReadFile(path)
		if err != nil {
			return err
		}
		batches, res, problems, err = tallyfile.Import(s.a.Ctx(), s.a.St, s.a.Actor, t, &spec, true)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.showImportPreview(path, spec, batches, res, problems)
	})
}

func (s *talliesScreen) showImportPreview(path string, spec domain.PeriodSpec, batches []store.PeriodRows, res []store.SaveResult, problems []tallyfile.Problem) {
	var lines []string
	for _, p := range problems {
		lines = append(lines, i18n.Err(p))
	}
	rows, finals, drafts, cleared := 0, 0, 0, 0
	for _, r := range res {
		cleared += r.Cleared
		rows += r.Rows
		finals += r.Finals
		drafts += r.Rows - r.Finals
		for _, d := range r.Drafts {
			for _, p := range d.Problems {
				lines = append(lines, d.FieldName+": "+i18n.Err(p))
			}
		}
	}
	head := i18n.T("tally.ui.import_nothing", i18n.Args{"Count": vn.FormatInt(int64(len(problems)))})
	if len(problems) == 0 {
		head = i18n.T("tally.ui.import_preview", i18n.Args{"Period": periodLabel(spec), "Rows": vn.FormatInt(int64(rows)),
			"Finals": vn.FormatInt(int64(finals)), "Drafts": vn.FormatInt(int64(drafts))})
		if cleared > 0 {
			head += " " + i18n.T("tally.ui.import_clears", i18n.Args{"Count": vn.FormatInt(int64(cleared))})
		}
	}
	summary := widget.NewLabel(head)
	summary.Wrapping = fyne.TextWrapWord
	detail := widget.NewLabel(strings.Join(lines, "\n"))
	detail.Wrapping = fyne.TextWrapWord
	var dlg *dialog.CustomDialog
	importB := widget.NewButtonWithIcon(i18n.T("tally.ui.import_do", i18n.Args{"Rows": vn.FormatInt(int64(rows + cleared))}), theme.DownloadIcon(), func() {
		dlg.Hide()
		s.runImport(path, batches)
	})
	importB.Importance = widget.HighImportance
	if len(problems) > 0 || rows+cleared == 0 {
		importB.Disable()
	}
	cancel := widget.NewButton(i18n.T("common.cancel"), func() { dlg.Hide() })
	scroll := container.NewVScroll(detail)
	scroll.SetMinSize(fyne.NewSize(0, 200))
	dlg = dialog.NewCustomWithoutButtons(i18n.T("tally.ui.import_title", i18n.Args{"File": filepath.Base(path)}),
		container.NewBorder(summary, container.NewHBox(importB, cancel), nil, nil, scroll), s.a.Win)
	dlg.Resize(fyne.NewSize(min(720, s.a.Win.Canvas().Size().Width-40), 440))
	s.a.show(dlg)
}

// runImport stores the rows the preview showed (not the file read again:
// what is stored is what the officer saw) and shows the period again.
func (s *talliesScreen) runImport(path string, batches []store.PeriodRows) {
	s.a.Background(func() error {
		_, err := s.a.St.ImportTallies(s.a.Ctx(), s.a.Actor, batches, false)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.message.SetText(i18n.T("tally.ui.imported", i18n.Args{"File": filepath.Base(path)}))
		s.load()
		s.a.RefreshStatus()
	})
}
