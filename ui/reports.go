package ui

import (
	"danvan/internal/domain"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/report"
)

func init() {
	registerScreen(screenDef{ID: "reports", Order: 40, TitleKey: "nav.reports", Icon: theme.IconNameDocumentPrint,
		New: func(a *App) screen { return newReportsScreen(a) }})
}

// reportsScreen (Báo cáo) prints the office's reports in the Decree 30
// layout and saves them as PDF, XLSX or CSV. Building runs off the UI
// goroutine; the window shows a progress bar meanwhile.
type reportsScreen struct {
	a *App

	kind     *widget.Select
	period   *periodPicker
	periodW  fyne.CanvasObject // the picker's controls, in two rows
	by       *widget.Select    // a roll-up's rows: by unit or by field
	baseline *keyEntry
	number   *keyEntry
	names    *widget.Check // the models list prints the responsible persons' names
	format   *widget.RadioGroup
	printB   *widget.Button
	saveB    *widget.Button
	progress *widget.ProgressBarInfinite
	result   *widget.Label
	noSigner *widget.Label // said when Cài đặt has no signer: reports would print without a signature block
	preview  *canvas.Image

	kinds []report.Kind // in the order of kind's options
	// lastPDF is the file "In" wrote last.
	lastPDF string
	shown   int // previews shown, to name each image apart
}

func newReportsScreen(a *App) *reportsScreen { return &reportsScreen{a: a} }

func (s *reportsScreen) content() fyne.CanvasObject {
	var labels []string
	collector := s.a.Self.Role == domain.RoleCollector
	for _, k := range report.Kinds {
		// A collecting office prints its units' figures; its own list
		// and form would be empty.
		own := k == report.KindSummary || k == report.KindTally || k == report.KindModels
		if !report.Available(k) || report.ForCollector(k) && !collector || own && collector {
			continue
		}
		s.kinds = append(s.kinds, k)
		labels = append(labels, i18n.T("report.kind."+string(k)))
	}
	s.kind = widget.NewSelect(labels, func(string) { s.onKind() })
	cutoff := s.a.Settings.CutoffDay
	s.period = newPeriodPicker(cutoff, domain.PeriodOf(domain.PeriodYear, time.Now(), cutoff), func(domain.PeriodSpec) {}, s.a.ShowError)
	s.periodW = s.period.stacked()
	s.by = widget.NewSelect([]string{i18n.T("report.by.unit"), i18n.T("report.by.field")}, nil)
	s.by.SetSelectedIndex(0)
	s.baseline = newKeyEntry(false)
	s.baseline.SetPlaceHolder(i18n.T("report.baseline.hint"))
	s.number = newKeyEntry(false)
	s.number.SetPlaceHolder(i18n.T("report.number.hint"))
	s.names = widget.NewCheck(i18n.T("report.names.check"), nil)
	s.names.SetChecked(s.a.Settings.ListPersonal(s.a.Self.Role) != domain.PersonalNone)
	s.format = widget.NewRadioGroup([]string{"PDF", "XLSX", "CSV"}, nil)
	s.format.Horizontal = true
	s.format.Required = true
	s.format.SetSelected("PDF")
	s.printB = widget.NewButtonWithIcon(i18n.T("report.print"), theme.DocumentPrintIcon(), s.onPrint)
	s.printB.Importance = widget.HighImportance
	s.saveB = widget.NewButtonWithIcon(i18n.T("report.save"), theme.DocumentSaveIcon(), s.onSave)
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.result = widget.NewLabel("")
	s.result.Wrapping = fyne.TextWrapWord
	s.preview = canvas.NewImageFromResource(nil)
	s.preview.FillMode = canvas.ImageFillContain
	s.preview.SetMinSize(fyne.NewSize(200, 283))
	s.preview.Hide()
	if len(labels) > 0 {
		s.kind.SetSelectedIndex(0)
	}

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("report.field.kind"), s.kind),
		widget.NewFormItem(i18n.T("report.field.period"), s.periodW),
		widget.NewFormItem(i18n.T("report.field.by"), s.by),
		widget.NewFormItem(i18n.T("report.field.baseline"), s.baseline),
		widget.NewFormItem(i18n.T("report.field.number"), s.number),
		widget.NewFormItem(i18n.T("report.field.personal"), s.names),
		widget.NewFormItem(i18n.T("report.field.format"), s.format),
	)
	intro := widget.NewLabel(i18n.T("report.intro"))
	intro.Wrapping = fyne.TextWrapWord
	s.noSigner = widget.NewLabel(i18n.T("report.no_signer"))
	s.noSigner.Wrapping = fyne.TextWrapWord
	s.noSigner.Importance = widget.WarningImportance
	s.onShow()
	left := container.NewVBox(
		intro, form,
		container.NewHBox(s.printB, s.saveB),
		s.noSigner, // beside what In and Lưu say: the document they write will be unsigned
		s.progress, s.result,
	)
	paper := container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)), container.NewPadded(container.NewCenter(s.preview)))
	split := container.NewHSplit(container.NewVScroll(left), paper)
	split.Offset = 0.55
	return split
}

// onShow says again whether the reports will be signed: Cài đặt may have
// changed since the page was built.
func (s *reportsScreen) onShow() {
	show(s.noSigner, s.a.Settings.SignerName == "")
}

func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

func (s *reportsScreen) selected() report.Kind {
	i := s.kind.SelectedIndex()
	if i < 0 || i >= len(s.kinds) {
		return ""
	}
	return s.kinds[i]
}

// onKind shows only the choices the chosen report uses.
func (s *reportsScreen) onKind() {
	k := s.selected()
	enable(s.baseline, k == report.KindSummary || k == report.KindRollupModels)
	enable(s.by, k == report.KindRollupTally || k == report.KindRollupModels)
	enable(s.names, k == report.KindModels)
	for _, w := range []fyne.Disableable{s.period.kind, s.period.num, s.period.year, s.period.from, s.period.to, s.period.apply} {
		enable(w, k != report.KindEnrollment)
	}
}

// request reads the form; a wrong number is said under the form.
func (s *reportsScreen) request() (report.Request, error) {
	req := report.Request{Kind: s.selected(), Period: s.period.spec.Code(), Date: time.Now()}
	if req.Kind == report.KindEnrollment {
		req.Period = ""
	}
	if s.by.SelectedIndex() == 1 {
		req.By = report.ByField
	}
	// A printed list carries no phone numbers; the names are the choice.
	req.Personal = domain.PersonalNames
	if !s.names.Checked {
		req.Personal = domain.PersonalNone
	}
	for _, f := range []struct {
		entry *keyEntry
		dst   *int
		key   string
	}{{s.baseline, &req.Baseline, "report.baseline.bad"}, {s.number, &req.Number, "report.number.bad"}} {
		text := strings.TrimSpace(f.entry.Text)
		if text == "" || f.entry.Disabled() {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			return req, errors.New(i18n.T(f.key))
		}
		*f.dst = n
	}
	return req, nil
}

func (s *reportsScreen) chosenFormat() report.Format {
	f, err := report.ParseFormat(s.format.Selected)
	if err != nil {
		return report.PDF
	}
	return f
}

// busy switches the buttons and the progress bar.
func (s *reportsScreen) busy(on bool) {
	if on {
		s.printB.Disable()
		s.saveB.Disable()
		s.progress.Show()
		s.progress.Start()
		s.result.SetText(i18n.T("report.working"))
		return
	}
	s.progress.Stop()
	s.progress.Hide()
	s.printB.Enable()
	s.saveB.Enable()
}

// onPrint writes the PDF into the data folder's reports/ and opens it in
// the system's viewer, from which the officer prints.
func (s *reportsScreen) onPrint() {
	req, err := s.request()
	if err != nil {
		s.result.SetText(err.Error())
		return
	}
	dir := filepath.Join(s.a.St.Dir(), "reports")
	name := report.FileName(req, report.PDF)
	path := filepath.Join(dir, name)
	var png []byte
	s.busy(true)
	s.a.Background(func() error {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return &report.WriteError{Path: dir, Err: err}
		}
		doc, err := report.Build(s.a.Ctx(), s.a.St, req)
		if err != nil {
			return err
		}
		if err := doc.WriteFile(path, report.PDF); err != nil {
			return err
		}
		png = previewPNG(path)
		return nil
	}, func(err error) {
		s.busy(false)
		if err != nil {
			s.result.SetText(i18n.Err(err))
			return
		}
		s.lastPDF = path
		s.result.SetText(i18n.T("report.printed", i18n.Args{"File": path}))
		s.showPreview(png)
		if u, err := url.Parse(storage.NewFileURI(path).String()); err == nil {
			if err := s.a.Fyne.OpenURL(u); err != nil {
				s.result.SetText(i18n.T("report.open_failed", i18n.Args{"File": path}))
			}
		}
	})
}

// onSave asks where to save, in the chosen format.
func (s *reportsScreen) onSave() {
	req, err := s.request()
	if err != nil {
		s.result.SetText(err.Error())
		return
	}
	format := s.chosenFormat()
	s.a.saveFile(report.FileName(req, format), []string{"." + string(format)}, func(path string) {
		s.saveTo(req, format, path)
	})
}

// saveTo builds the report and writes it to path.
func (s *reportsScreen) saveTo(req report.Request, format report.Format, path string) {
	s.busy(true)
	s.a.Background(func() error {
		doc, err := report.Build(s.a.Ctx(), s.a.St, req)
		if err == nil {
			err = doc.WriteFile(path, format)
		}
		if err != nil {
			if fi, statErr := os.Stat(path); statErr == nil && fi.Size() == 0 {
				os.Remove(path)
			}
		}
		return err
	}, func(err error) {
		s.busy(false)
		if err != nil {
			s.result.SetText(i18n.Err(err))
			return
		}
		s.result.SetText(i18n.T("report.saved", i18n.Args{"File": path}))
	})
}

// previewPNG renders the first page with poppler's pdftoppm when it is
// installed (it is not on Windows); nil when it is not. The image goes
// through a temporary folder that is removed at once.
func previewPNG(pdf string) []byte {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil
	}
	dir, err := os.MkdirTemp("", "danvan-preview-")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "page")
	if err := exec.Command(bin, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", pdf, out).Run(); err != nil {
		return nil
	}
	data, err := os.ReadFile(out + ".png")
	if err != nil {
		return nil
	}
	return data
}

func (s *reportsScreen) showPreview(png []byte) {
	if png == nil {
		s.preview.Hide()
		return
	}
	s.shown++
	s.preview.File = ""
	s.preview.Resource = fyne.NewStaticResource("preview-"+strconv.Itoa(s.shown)+".png", png)
	s.preview.Show()
	s.preview.Refresh()
}
