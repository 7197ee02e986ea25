package ui

import (
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
)

func init() {
	registerSettingsSection(35, "published.title", func(a *App) fyne.CanvasObject { return newPublishedSettings(a).content() })
}

// publishedSettings is the settings a collecting office sends down to its
// units (issue 28): it signs them here; a unit applies the file it got,
// after seeing what changes.
type publishedSettings struct {
	a        *App
	pass     *keyEntry
	publishB *widget.Button
	applyB   *widget.Button
	result   *widget.Label
	offers   *fyne.Container // the settings files waiting in settings-inbox/
}

func newPublishedSettings(a *App) *publishedSettings { return &publishedSettings{a: a} }

func (p *publishedSettings) content() fyne.CanvasObject {
	p.result = widget.NewLabel("")
	p.result.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(i18n.T("published.hint"))
	hint.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(hint)
	if p.a.Self.Role == domain.RoleCollector {
		p.pass = newSecretEntry()
		p.pass.SetPlaceHolder(i18n.T("exchange.passphrase"))
		p.publishB = widget.NewButtonWithIcon(i18n.T("published.publish"), theme.DocumentSaveIcon(), p.onPublish)
		box.Add(container.NewBorder(nil, nil, nil, p.publishB, p.pass))
	}
	p.applyB = widget.NewButtonWithIcon(i18n.T("published.apply"), theme.DownloadIcon(), func() { p.a.pickFile([]string{".zip"}, p.preview) })
	box.Add(container.NewHBox(p.applyB))
	p.offers = container.NewVBox()
	box.Add(p.offers)
	box.Add(p.result)
	// Only an office that sends its tallies somewhere gets settings from
	// there.
	p.applyB.Hide()
	var dests []store.Destination
	var waiting []offered
	p.a.Background(func() (err error) {
		if dests, err = p.a.St.Destinations(p.a.Ctx()); err != nil {
			return err
		}
		waiting = offeredSettings(p.a)
		return nil
	}, func(err error) {
		for _, d := range dests {
			if err == nil && d.Receives(domain.DataTallies) {
				p.applyB.Show()
			}
		}
		p.showOffers(waiting)
	})
	return box
}

func (p *publishedSettings) onPublish() {
	p.a.saveFile(p.a.Self.Code+"-settings.zip", []string{".zip"}, p.publishTo)
}

// publishTo signs this office's settings and field list into path.
func (p *publishedSettings) publishTo(path string) {
	pass := p.pass.Text
	var doc *dsync.SettingsDoc
	p.publishB.Disable()
	p.a.Background(func() error {
		sg, err := p.a.withSigner(pass)
		if err != nil {
			return err
		}
		var data []byte
		if data, doc, err = dsync.PublishSettings(p.a.Ctx(), p.a.St, p.a.Actor, sg, p.a.St.Dir(), time.Now()); err != nil {
			return err
		}
		os.Remove(path) // the save dialog made it empty; the atomic write must not refuse it
		return dsync.WriteFileAtomic(filepath.Dir(path), filepath.Base(path), data)
	}, func(err error) {
		p.publishB.Enable()
		p.pass.SetText("")
		if err != nil {
			discardEmpty(path)
			p.result.SetText("")
			p.a.ShowError(err)
			return
		}
		p.result.SetText(path + "\n" + i18n.T("settings.published", i18n.Args{"Version": doc.Version, "Fields": len(doc.Fields)}))
	})
}

// preview reads a settings file and shows what applying it would change;
// the person applies it from there.
func (p *publishedSettings) preview(path string) {
	var doc *dsync.SettingsDoc
	var plan store.PublishedPlan
	p.a.Background(func() error {
		data, err := readFileLimited(path, 1<<20)
		if err != nil {
			return err
		}
		doc, plan, err = dsync.PlanSettings(p.a.Ctx(), p.a.St, filepath.Base(path), data)
		return err
	}, func(err error) {
		if err != nil {
			p.result.SetText(i18n.T("batch.file_problem", i18n.Args{"File": filepath.Base(path), "Reason": i18n.Err(err)}))
			return
		}
		args := i18n.Args{"Code": doc.From.Code, "Version": doc.Version, "Count": len(plan.Changes)}
		if len(plan.Changes) == 0 {
			// Nothing to look at: taken as read, so it is not offered again.
			if plan.Version > plan.LastVersion {
				p.apply(path)
			}
			p.result.SetText(i18n.T("settings.no_change", args))
			return
		}
		lines := widget.NewLabel(strings.Join(i18n.PublishedLines(plan.Changes), "\n"))
		lines.Wrapping = fyne.TextWrapWord
		head := widget.NewLabel(i18n.T("published.confirm", args))
		head.Wrapping = fyne.TextWrapWord
		scroll := container.NewVScroll(lines)
		scroll.SetMinSize(fyne.NewSize(0, 260))
		dlg := dialog.NewCustomConfirm(i18n.T("published.apply_title"), i18n.T("published.apply_yes"), i18n.T("common.cancel"),
			container.NewBorder(head, nil, nil, nil, scroll), func(ok bool) {
				if ok {
					p.apply(path)
				}
			}, p.a.Win)
		p.a.show(dlg)
		dlg.Resize(fyne.NewSize(640, 440))
	})
}

// apply applies the file, read again: what is applied is what is signed.
func (p *publishedSettings) apply(path string) {
	var doc *dsync.SettingsDoc
	var plan store.PublishedPlan
	var waiting []offered
	p.applyB.Disable()
	p.a.Background(func() error {
		data, err := readFileLimited(path, 1<<20)
		if err != nil {
			return err
		}
		if doc, plan, err = dsync.ApplySettings(p.a.Ctx(), p.a.St, p.a.Actor, filepath.Base(path), data); err != nil {
			return err
		}
		if filepath.Dir(path) == dsync.SettingsInbox(p.a.St.Dir()) {
			os.Remove(path) // applied: no longer waiting
		}
		waiting = offeredSettings(p.a)
		return p.a.ReloadSettings()
	}, func(err error) {
		p.showOffers(waiting)
		p.applyB.Enable()
		if err != nil {
			p.result.SetText(i18n.T("batch.file_problem", i18n.Args{"File": filepath.Base(path), "Reason": i18n.Err(err)}))
			return
		}
		p.result.SetText(i18n.T("settings.applied", i18n.Args{"Code": doc.From.Code, "Version": doc.Version, "Count": len(plan.Changes)}) +
			"\n" + strings.Join(i18n.PublishedLines(plan.Changes), "\n"))
		p.a.RefreshStatus()
	})
}

// showOffers puts a button for each settings file that came with an
// enrollment file or a send and is not applied yet, to see its changes.
func (p *publishedSettings) showOffers(waiting []offered) {
	p.offers.RemoveAll()
	for _, o := range waiting {
		path := o.path
		b := widget.NewButtonWithIcon(i18n.T("published.offered", i18n.Args{"Code": o.doc.From.Code, "Version": o.doc.Version}),
			theme.InfoIcon(), func() { p.preview(path) })
		b.Importance = widget.HighImportance
		p.offers.Add(b)
	}
}

// offered is a settings file waiting in settings-inbox/.
type offered struct {
	path string
	doc  *dsync.SettingsDoc
}

// offeredSettings lists the settings files in settings-inbox/ newer than
// the ones applied from their offices; off the UI goroutine.
func offeredSettings(a *App) []offered {
	dir := dsync.SettingsInbox(a.St.Dir())
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []offered
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".zip") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := readFileLimited(path, 1<<20)
		if err != nil {
			continue
		}
		if kept, doc, err := dsync.KeepOffered(a.Ctx(), a.St, a.St.Dir(), data); err == nil && kept != "" {
			out = append(out, offered{path: path, doc: doc})
		}
	}
	return out
}
