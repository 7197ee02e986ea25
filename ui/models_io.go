package ui

import (
	"danvan/internal/domain"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/report/modelsfile"
	"danvan/store"
	"danvan/store/vn"
)

// onExport asks how much personal data the file may carry (the office's
// setting first), then where to write, and writes every model (the filters
// are for looking, an export is the whole register).
func (s *modelsScreen) onExport() {
	personal := newPersonalSelect(s.a.Settings.ListPersonal(s.a.Self.Role))
	note := widget.NewLabel(i18n.T("models.export.personal_note"))
	note.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(widget.NewLabel(i18n.T("field.personal_in_lists")), personal, note)
	d := dialog.NewCustomConfirm(i18n.T("models.export"), i18n.T("models.export.choose_file"), i18n.T("common.cancel"),
		form, func(ok bool) {
			if !ok {
				return
			}
			p := personal.value()
			s.a.saveFile("mo-hinh-dan-van-kheo.xlsx", []string{".xlsx", ".csv"}, func(path string) { s.exportTo(path, p) })
		}, s.a.Win)
	s.a.show(d)
	d.Resize(fyne.NewSize(min(560, s.a.Win.Canvas().Size().Width-40), d.MinSize().Height+40))
}

func (s *modelsScreen) exportTo(path string, personal domain.Personal) {
	var n int
	s.exportB.Disable()
	s.bg(func() error {
		var err error
		n, err = modelsfile.Export(s.a.Ctx(), s.a.St, s.a.Actor, store.ModelFilter{}, path, personal)
		return err
	}, func(err error) {
		s.exportB.Enable()
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.a.inform(i18n.T("models.export"), i18n.T("models.exported", i18n.Args{"Count": vn.FormatInt(int64(n)), "File": path})+"\n"+i18n.T("cli.personal."+string(personal)))
	})
}

func (s *modelsScreen) onImport() {
	s.a.pickFile([]string{".xlsx", ".csv"}, s.importFrom)
}

// importFrom checks the whole file first (a dry run) and shows what it
// would do and every problem; the officer then imports, imports the valid
// rows only (the others go to a file beside it), or cancels.
func (s *modelsScreen) importFrom(path string) {
	var res store.ModelImportResult
	s.importB.Disable()
	s.bg(func() error {
		var err error
		res, _, err = modelsfile.Import(s.a.Ctx(), s.a.St, s.a.Actor, path, store.ModelImportOptions{DryRun: true, SkipInvalid: true})
		return err
	}, func(err error) {
		s.importB.Enable()
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.showImportPreview(path, res)
	})
}

// rejectsPath is where the rows that were not imported are written: beside
// the file, with "-loi" added to its name.
func rejectsPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-loi.csv"
}

func problemLine(p store.RowProblem) string {
	return i18n.T("models.import.problem", i18n.Args{"Line": p.Line, "Column": p.Column, "Reason": i18n.T("err."+p.Code, p.Args)})
}

func (s *modelsScreen) showImportPreview(path string, res store.ModelImportResult) {
	summary := widget.NewLabel(i18n.T("models.cli.dry_run", i18n.Args{
		"Created": vn.FormatInt(int64(res.Created)), "Updated": vn.FormatInt(int64(res.Updated)),
		"Unchanged": vn.FormatInt(int64(res.Unchanged)), "Rejected": vn.FormatInt(int64(len(res.Rejected)))}))
	summary.Wrapping = fyne.TextWrapWord
	var lines []string
	for _, r := range res.Repaired {
		lines = append(lines, i18n.RepairLine(r))
	}
	for _, p := range res.Problems {
		lines = append(lines, problemLine(p))
	}
	problems := widget.NewLabel(strings.Join(lines, "\n"))
	problems.Wrapping = fyne.TextWrapWord
	var dlg *dialog.CustomDialog
	all := widget.NewButton(i18n.T("models.import_all"), func() { dlg.Hide(); s.runImport(path, false) })
	all.Importance = widget.HighImportance
	valid := widget.NewButton(i18n.T("models.import_valid", i18n.Args{"File": filepath.Base(rejectsPath(path))}), func() { dlg.Hide(); s.runImport(path, true) })
	cancel := widget.NewButton(i18n.T("common.cancel"), func() { dlg.Hide() })
	if len(res.Problems) > 0 {
		all.Disable()
	} else {
		valid.Hide()
	}
	if res.Created+res.Updated == 0 {
		valid.Disable()
		all.Disable()
	}
	body := container.NewBorder(summary, container.NewHBox(all, valid, cancel), nil, nil, container.NewVScroll(problems))
	dlg = dialog.NewCustomWithoutButtons(i18n.T("models.import_title", i18n.Args{"File": filepath.Base(path)}), body, s.a.Win)
	dlg.Resize(fyne.NewSize(760, 480))
	s.a.show(dlg)
}

func (s *modelsScreen) runImport(path string, skipInvalid bool) {
	var res store.ModelImportResult
	s.importB.Disable()
	s.bg(func() error {
		r, t, err := modelsfile.Import(s.a.Ctx(), s.a.St, s.a.Actor, path, store.ModelImportOptions{SkipInvalid: skipInvalid})
		res = r
		if err != nil {
			return err
		}
		if len(res.Rejected) > 0 {
			return modelsfile.WriteRejects(rejectsPath(path), t, res, i18n.T("models.import.problem_column"), func(p store.RowProblem) string {
				return i18n.T("err."+p.Code, p.Args)
			})
		}
		return nil
	}, func(err error) {
		s.importB.Enable()
		if err != nil {
			s.a.ShowError(err)
			return
		}
		msg := i18n.T("models.cli.imported", i18n.Args{
			"Created": vn.FormatInt(int64(res.Created)), "Updated": vn.FormatInt(int64(res.Updated)),
			"Unchanged": vn.FormatInt(int64(res.Unchanged)), "Rejected": vn.FormatInt(int64(len(res.Rejected)))})
		if len(res.Rejected) > 0 {
			msg += "\n" + i18n.T("models.cli.rejects_written", i18n.Args{"Rows": fmt.Sprint(len(res.Rejected)), "File": rejectsPath(path)})
		}
		s.a.inform(i18n.T("models.import"), msg)
		s.reload()
		s.a.RefreshStatus()
	})
}
