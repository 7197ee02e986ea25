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
	"danvan/store"
	dsync "danvan/sync"
)

func init() {
	registerSettingsSection(30, "keys.title", func(a *App) fyne.CanvasObject { return newKeySettings(a).content() })
}

// keySettings shows this office's public key and fingerprint, writes its
// enrollment file and enrolls the office at the other end.
type keySettings struct {
	a           *App
	fingerprint *widget.Label
	public      *widget.Label
	recipient   *widget.Label // a collecting office's encryption key, which communes encrypt to
	pass        *keyEntry
	exportB     *widget.Button
	enrollB     *widget.Button
	result      *widget.Label
}

func newKeySettings(a *App) *keySettings { return &keySettings{a: a} }

func (k *keySettings) content() fyne.CanvasObject {
	k.fingerprint = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	// A selectable label, not a disabled entry: people copy the key into
	// `minisign -P`, and a greyed-out field reads as "not available".
	k.public = widget.NewLabel("")
	k.public.TextStyle = fyne.TextStyle{Monospace: true}
	k.public.Selectable = true
	k.public.Wrapping = fyne.TextWrapBreak
	k.recipient = widget.NewLabel("")
	k.recipient.TextStyle = fyne.TextStyle{Monospace: true}
	k.recipient.Selectable = true
	k.recipient.Wrapping = fyne.TextWrapBreak
	k.pass = newSecretEntry()
	k.pass.SetPlaceHolder(i18n.T("exchange.passphrase"))
	k.exportB = widget.NewButtonWithIcon(i18n.T("keys.export_enrollment"), theme.DocumentSaveIcon(), k.onExport)
	k.enrollB = widget.NewButtonWithIcon(i18n.T("keys.enroll"), theme.ContentAddIcon(), k.onEnroll)
	k.result = widget.NewLabel("")
	k.result.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(i18n.T("keys.hint"))
	hint.Wrapping = fyne.TextWrapWord
	km, err := k.a.St.SelfKey(k.a.Ctx())
	if err != nil {
		k.fingerprint.Wrapping = fyne.TextWrapWord
		k.fingerprint.SetText(i18n.Err(err))
		k.exportB.Disable()
	} else {
		k.fingerprint.SetText(dsync.Fingerprint(km.KeyID))
		k.public.SetText(km.PublicKey)
		k.showRecipient(km.Recipient)
	}
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("keys.fingerprint"), k.fingerprint),
		widget.NewFormItem(i18n.T("keys.public"), k.public),
	)
	if k.a.Self.Role == domain.RoleCollector {
		form.Append(i18n.T("keys.recipient"), k.recipient)
	}
	return container.NewVBox(hint, form, container.NewBorder(nil, nil, nil, k.exportB, k.pass), k.enrollB, k.result)
}

// showRecipient shows the encryption key, or that it is made when the
// signing key is next unlocked (an office set up before encryption).
func (k *keySettings) showRecipient(r string) {
	if r == "" {
		k.recipient.TextStyle = fyne.TextStyle{}
		k.recipient.SetText(i18n.T("keys.no_recipient"))
		return
	}
	k.recipient.TextStyle = fyne.TextStyle{Monospace: true}
	k.recipient.SetText(r)
}

func (k *keySettings) onExport() {
	k.a.saveFile(k.a.Self.Code+"-enrollment.zip", []string{".zip"}, k.exportTo)
}

// exportTo signs and writes the enrollment file.
func (k *keySettings) exportTo(path string) {
	pass := k.pass.Text
	var fp, recipient string
	k.a.Background(func() error {
		if err := k.a.Actor.MayExport(store.ExportEnrollment); err != nil {
			return err
		}
		sg, err := k.a.withSigner(pass)
		if err != nil {
			return err
		}
		data, err := dsync.ExportEnrollmentFrom(k.a.Ctx(), k.a.St, sg, k.a.St.Dir(), time.Now())
		if err != nil {
			return err
		}
		fp, recipient = dsync.Fingerprint(sg.KeyID()), sg.Recipient()
		os.Remove(path) // the save dialog made it empty; the atomic write must not refuse it
		if err := dsync.WriteFileAtomic(filepath.Dir(path), filepath.Base(path), data); err != nil {
			return err
		}
		return k.a.St.RecordExport(k.a.Ctx(), k.a.Actor, store.ExportEnrollment, path, 1)
	}, func(err error) {
		k.pass.SetText("")
		if err != nil {
			discardEmpty(path)
			k.result.SetText("")
			k.a.ShowError(err)
			return
		}
		msg := path + "\n" + i18n.T("batch.enrollment_written", i18n.Args{"Fingerprint": fp})
		if recipient != "" && k.a.Self.Role == domain.RoleCollector {
			k.showRecipient(recipient)
			msg += "\n" + i18n.T("keys.enrollment_encrypts")
		}
		k.result.SetText(msg)
	})
}

func (k *keySettings) onEnroll() {
	k.a.pickFile(nil, k.enrollFrom)
}

// enrollFrom reads another office's enrollment file, shows its
// fingerprint and enrolls it once the person confirms it matches what they
// were told on the phone.
func (k *keySettings) enrollFrom(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		k.a.ShowError(err)
		return
	}
	e, err := dsync.ReadEnrollment(filepath.Base(path), data)
	if err != nil {
		k.result.SetText(i18n.T("batch.file_problem", i18n.Args{"File": filepath.Base(path), "Reason": i18n.Err(err)}))
		return
	}
	msg := i18n.T("keys.confirm", i18n.Args{"Code": e.Office.Code, "Name": e.Office.Name, "Fingerprint": dsync.Fingerprint(e.Current().KeyID)})
	if e.Office.Role != string(domain.RoleCollector) {
		k.a.confirm(i18n.T("keys.enroll"), msg, func(ok bool) {
			if ok {
				k.enroll(path, data, nil)
			}
		})
		return
	}
	// A collecting office: which kinds of data it collects from this one.
	// One that is enrolled already keeps what it receives unless changed.
	var dest store.Destination
	var known bool
	k.a.Background(func() error {
		d, err := k.a.St.Destination(k.a.Ctx(), e.Office.ID)
		dest, known = d, err == nil
		return nil
	}, func(error) { k.askKinds(path, data, msg, dest, known) })
}

// askKinds asks, for a collecting office's file, which kinds of data it
// collects from this office (those of dest when it is one already) and, at
// a collecting office, whether it is the office above, then enrolls it.
func (k *keySettings) askKinds(path string, data []byte, msg string, dest store.Destination, known bool) {
	kinds := domain.DataKinds
	if known {
		kinds = dest.Kinds
	}
	group := newKindsCheck(kinds)
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text)
	// At a collecting office, another collecting office is either the one
	// above, which it reports to, or one that reports to it (a province,
	// at the centre).
	above := true
	if k.a.Self.Role == domain.RoleCollector {
		above = known
		up, down := i18n.T("keys.enroll_above"), i18n.T("keys.enroll_below")
		dir := widget.NewRadioGroup([]string{up, down}, func(v string) {
			above = v == up
			if above {
				group.Enable()
			} else {
				group.Disable()
			}
		})
		dir.Required = true
		if above {
			dir.SetSelected(up)
		} else {
			dir.SetSelected(down)
		}
		body.Add(dir)
	}
	body.Add(widget.NewLabel(i18n.T("keys.enroll_kinds")))
	body.Add(group)
	dlg := dialog.NewCustomConfirm(i18n.T("keys.enroll"), i18n.T("keys.enroll_yes"), i18n.T("common.cancel"), body, func(ok bool) {
		if !ok {
			return
		}
		if above {
			k.enroll(path, data, pickedKinds(group))
		} else {
			k.enroll(path, data, nil)
		}
	}, k.a.Win)
	k.a.show(dlg)
	dlg.Resize(fyne.NewSize(560, dlg.MinSize().Height))
}

func (k *keySettings) enroll(path string, data []byte, kinds []string) {
	var res store.EnrollResult
	var e *dsync.Enrollment
	var dest store.Destination
	var offered string
	var offer *dsync.SettingsDoc
	k.a.Background(func() (err error) {
		if kinds != nil && len(kinds) == 0 {
			return errNoKinds
		}
		e, res, err = dsync.EnrollKinds(k.a.Ctx(), k.a.St, k.a.Actor, filepath.Base(path), data, "", kinds)
		if err == nil && kinds != nil {
			dest, _ = k.a.St.Destination(k.a.Ctx(), res.Office.ID)
		}
		if err == nil && e.Settings() != nil {
			// Kept aside to look at and apply, never applied unseen.
			offered, offer, _ = dsync.KeepOffered(k.a.Ctx(), k.a.St, k.a.St.Dir(), e.Settings())
		}
		return err
	}, func(err error) {
		if err != nil {
			k.result.SetText(i18n.T("batch.file_problem", i18n.Args{"File": filepath.Base(path), "Reason": i18n.Err(err)}))
			return
		}
		args := i18n.Args{"Code": res.Office.Code, "Name": res.Office.Name, "Fingerprint": dsync.Fingerprint(e.Current().KeyID)}
		switch {
		case res.New:
			k.result.SetText(i18n.T("batch.enrolled_new", args))
		case len(res.NewKeys) > 0:
			k.result.SetText(i18n.T("batch.enrolled_rotated", args))
		default:
			k.result.SetText(i18n.T("batch.enrolled_same", args))
		}
		if dest.Office.ID != "" {
			k.result.SetText(k.result.Text + "\n" + i18n.T("batch.destination_kinds", i18n.Args{"Code": dest.Office.Code, "Kinds": i18n.DataKindNames(dest.Kinds)}))
		}
		if offered != "" {
			k.result.SetText(k.result.Text + "\n" + i18n.T("send.new_settings", i18n.Args{"Code": offer.From.Code, "Version": offer.Version, "Path": offered}))
		}
	})
}

var errNoKinds = &uiError{code: "keys.no_kinds"}
