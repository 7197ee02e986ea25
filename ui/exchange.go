package ui

import (
	"danvan/internal/domain"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

func init() {
	registerScreen(screenDef{ID: "exchange", Order: 50, TitleKey: "nav.exchange", Icon: theme.IconNameMailSend,
		New: func(a *App) screen { return newExchangeScreen(a) }})
	registerDashboardCard(30, newExchangeCard)
}

// exchangeScreen (Trao đổi dữ liệu) writes signed batches for the
// collecting office and reads its receipts back.
type exchangeScreen struct {
	a *App
	// ask puts a yes/no question (dialog.ShowConfirm); tests answer it.
	ask func(title, msg string, yes func())

	unsent, acks *widget.Label
	keyState     *widget.Label
	encState     *widget.Label // whether the next batch is encrypted, and to whom
	clear        bool          // it would go in clear: asked before exporting
	clearMsg     string
	pass         *keyEntry // the signing-key passphrase, asked for while the key is locked
	full         *widget.Check
	extra        *keyEntry // a second folder (USB stick) for a copy
	exportB      *widget.Button
	lockB        *widget.Button
	progress     *widget.ProgressBar
	result       *widget.Label
	receiptB     *widget.Button
	receiptRes   *widget.Label
	history      *widget.Label
	send         *sendPanel
	dests        *destinationsPanel

	// first key, for an office set up without one
	newPass, newPass2 *keyEntry
	createB           *widget.Button
	createBox         *fyne.Container
	exportBox         *fyne.Container
}

func newExchangeScreen(a *App) *exchangeScreen {
	s := &exchangeScreen{a: a}
	s.ask = func(title, msg string, yes func()) {
		a.confirm(title, msg, func(ok bool) {
			if ok {
				yes()
			}
		})
	}
	return s
}

func (s *exchangeScreen) content() fyne.CanvasObject {
	wrap := func(l *widget.Label) *widget.Label { l.Wrapping = fyne.TextWrapWord; return l }
	s.unsent = widget.NewLabel("")
	s.acks = wrap(widget.NewLabel(""))
	s.keyState = widget.NewLabel("")
	s.encState = wrap(widget.NewLabel(""))
	s.pass = newSecretEntry()
	s.pass.SetPlaceHolder(i18n.T("exchange.passphrase"))
	s.pass.OnSubmitted = func(string) { s.onExport() }
	s.full = widget.NewCheck(i18n.T("exchange.full"), nil)
	s.extra = newKeyEntry(false)
	s.extra.SetPlaceHolder(i18n.T("exchange.extra_hint"))
	pick := widget.NewButtonWithIcon(i18n.T("exchange.choose_folder"), theme.FolderOpenIcon(), s.onPickFolder)
	s.exportB = widget.NewButtonWithIcon(i18n.T("exchange.export"), theme.MailSendIcon(), s.onExport)
	s.exportB.Importance = widget.HighImportance
	s.lockB = widget.NewButtonWithIcon(i18n.T("exchange.lock"), theme.VisibilityOffIcon(), s.onLock)
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.result = wrap(widget.NewLabel(""))
	s.result.TextStyle = fyne.TextStyle{Monospace: true}
	s.receiptB = widget.NewButtonWithIcon(i18n.T("exchange.import_receipt"), theme.DownloadIcon(), s.onPickReceipt)
	s.receiptRes = wrap(widget.NewLabel(""))
	s.history = wrap(widget.NewLabel(""))
	s.history.TextStyle = fyne.TextStyle{Monospace: true}

	s.newPass = newSecretEntry()
	s.newPass.SetPlaceHolder(i18n.T("exchange.new_passphrase"))
	s.newPass2 = newSecretEntry()
	s.newPass2.SetPlaceHolder(i18n.T("exchange.new_passphrase_again"))
	s.createB = widget.NewButtonWithIcon(i18n.T("exchange.create_key"), theme.ContentAddIcon(), s.onCreateKey)
	s.createB.Importance = widget.HighImportance
	s.createBox = container.NewVBox(wrap(widget.NewLabel(i18n.T("exchange.no_key"))), s.newPass, s.newPass2, s.createB)

	s.send = newSendPanel(s.a, s.refresh)
	sendBox := s.send.content()
	s.dests = newDestinationsPanel(s.a, s.refresh)
	destBox := s.dests.content()
	s.exportBox = container.NewVBox(
		s.unsent, s.acks, s.encState, s.keyState,
		container.NewBorder(nil, nil, nil, s.lockB, s.pass),
		s.full,
		container.NewBorder(nil, nil, widget.NewLabel(i18n.T("exchange.extra")), pick, s.extra),
		s.exportB, s.progress, s.result,
	)
	// The export first, where it always was; then where the batches go.
	body := container.NewVBox(
		widget.NewCard(i18n.T("exchange.export_title"), i18n.T("exchange.export_sub"), container.NewVBox(s.createBox, s.exportBox)),
		widget.NewCard(i18n.T("exchange.send_title"), i18n.T("exchange.send_sub"), sendBox),
		widget.NewCard(i18n.T("exchange.dest_title"), i18n.T("exchange.dest_sub"), destBox),
		widget.NewCard(i18n.T("exchange.receipt_title"), i18n.T("exchange.receipt_sub"), container.NewVBox(s.receiptB, s.receiptRes)),
		widget.NewCard(i18n.T("exchange.history_title"), "", s.history),
	)
	s.refresh()
	return container.NewVScroll(body)
}

func (s *exchangeScreen) onShow() { s.refresh() }

// refresh reloads the counts, the receipts' news and the key's state.
func (s *exchangeScreen) refresh() {
	var n int
	var sent []store.SentBatch
	var keyErr error
	var lastSent time.Time
	var clear bool
	var without []domain.Office
	var dests []destState
	s.a.Background(func() error {
		var err error
		if n, err = s.a.St.UnsentChanges(s.a.Ctx()); err != nil {
			return err
		}
		if dests, sent, err = loadDestinations(s.a); err != nil {
			return err
		}
		ds := make([]store.Destination, len(dests))
		for i, d := range dests {
			ds[i] = d.Dest
		}
		clear, without = dsync.ClearOf(ds)
		_, keyErr = s.a.St.SelfKey(s.a.Ctx())
		if len(dests) > 0 { // the primary's, as before destinations
			lastSent = dests[0].Last
		}
		return nil
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.unsent.SetText(i18n.T("status.unsent", i18n.Args{"Count": vn.FormatInt(int64(n))}))
		if len(dests) > 1 {
			s.acks.Hide() // each destination says its own, above
		} else {
			s.acks.Show()
			s.acks.SetText(i18n.AckLine(dsync.Summarize(sent).Parts()))
		}
		s.history.SetText(historyText(sent, dests))
		s.send.show(sent, lastSent, len(dests) > 1)
		s.dests.show(dests)
		s.showEncryption(clear, without, dests)
		if keyErr != nil {
			s.createBox.Show()
			s.exportBox.Hide()
		} else {
			s.createBox.Hide()
			s.exportBox.Show()
		}
		s.showKeyState()
	})
}

// showEncryption says whether the next batch is encrypted, and to whom;
// in clear, it says so as a warning, and the export asks first.
func (s *exchangeScreen) showEncryption(clear bool, without []domain.Office, dests []destState) {
	names := func(offices []domain.Office) string {
		var out []string
		for _, o := range offices {
			out = append(out, o.Code+" — "+o.Name)
		}
		return strings.Join(out, "; ")
	}
	s.clear = clear
	switch {
	case clear && len(without) == 0:
		s.clearMsg = i18n.T("exchange.enc_no_collector")
	case clear:
		s.clearMsg = i18n.T("exchange.enc_clear", i18n.Args{"Offices": names(without)})
	}
	if clear {
		s.encState.Importance = widget.WarningImportance
		s.encState.SetText(s.clearMsg)
		return
	}
	var to []domain.Office
	for _, d := range dests {
		if d.Dest.Recipient != "" {
			to = append(to, d.Dest.Office)
		}
	}
	s.encState.Importance = widget.SuccessImportance
	s.encState.SetText(i18n.T("exchange.enc_on", i18n.Args{"Offices": names(to)}))
}

func (s *exchangeScreen) showKeyState() {
	if s.a.signing().Unlocked() {
		s.keyState.SetText(i18n.T("exchange.key_open"))
		s.pass.Hide()
		s.lockB.Enable()
	} else {
		s.keyState.SetText(i18n.T("exchange.key_locked"))
		s.pass.Show()
		s.lockB.Disable()
	}
}

func (s *exchangeScreen) onLock() {
	s.a.signing().Lock()
	s.pass.SetText("")
	s.showKeyState()
}

func (s *exchangeScreen) onPickFolder() {
	s.a.pickFolder(func(p string) { s.extra.SetText(p) })
}

// onExport writes the batch; one that would go in clear is asked about
// first, in words.
func (s *exchangeScreen) onExport() {
	if s.clear {
		s.ask(i18n.T("exchange.clear_title"), s.clearMsg+"\n\n"+i18n.T("exchange.clear_ask"), s.export)
		return
	}
	s.export()
}

// export opens the key if needed, writes the batch and shows where.
func (s *exchangeScreen) export() {
	pass := s.pass.Text
	full := s.full.Checked
	extra := strings.TrimSpace(s.extra.Text)
	s.exportB.Disable()
	s.progress.SetValue(0)
	s.progress.Show()
	s.result.SetText(i18n.T("exchange.working"))
	var results []dsync.ExportResult
	var multi bool
	s.a.Background(func() error {
		sg, err := s.a.withSigner(pass)
		if err != nil {
			return err
		}
		dests, err := s.a.St.Destinations(s.a.Ctx())
		if err != nil {
			return err
		}
		multi = len(dests) > 1
		results, err = dsync.ExportEach(s.a.Ctx(), s.a.St, s.a.Actor, sg, s.a.St.Dir(), dsync.ExportOptions{
			Full: full, Extra: extra,
			Progress: func(done, total int) {
				fyne.Do(func() { s.progress.SetValue(float64(done) / float64(total)) })
			},
		})
		return err
	}, func(err error) {
		s.exportB.Enable()
		s.progress.Hide()
		s.pass.SetText("")
		s.showKeyState()
		if errors.Is(err, dsync.ErrNothingToExport) { // nothing wrong: nothing to send
			s.result.SetText(i18n.Err(err))
			return
		}
		if err != nil && len(results) == 0 {
			s.result.SetText("")
			s.a.ShowError(err)
			return
		}
		var lines []string
		for _, res := range results {
			m := res.Manifest
			args := i18n.Args{"Seq": m.Seq, "Records": vn.FormatInt(int64(m.Counts.Total())),
				"Path": res.Path, "Hash": dsync.ShortHash(res.SHA256), "Dest": res.Dest.Office.Code}
			args["Count"] = vn.FormatInt(int64(res.Forwarded))
			switch {
			case m.Format == dsync.ForwardFormat:
				lines = append(lines, i18n.T("batch.forwarded", args))
			case multi:
				lines = append(lines, i18n.T("exchange.exported_to", args))
			default:
				lines = append(lines, i18n.T("exchange.exported", args))
			}
			for _, miss := range res.Missing {
				lines = append(lines, i18n.T("batch.forward_missing", i18n.Args{"Batch": miss}))
			}
			if res.Encrypted {
				lines = append(lines, i18n.T("exchange.exported_encrypted"))
			} else {
				lines = append(lines, i18n.T("exchange.exported_clear"))
			}
			if res.ExtraPath != "" {
				lines = append(lines, i18n.T("exchange.copied", i18n.Args{"Path": res.ExtraPath}))
			}
		}
		s.result.SetText(strings.Join(lines, "\n"))
		if err != nil {
			s.a.ShowError(err)
		}
		s.refresh()
		s.a.RefreshStatus()
	})
}

func (s *exchangeScreen) onCreateKey() {
	p1, p2 := s.newPass.Text, s.newPass2.Text
	if p1 != p2 {
		s.a.ShowError(errPassMismatch)
		return
	}
	s.createB.Disable()
	var km store.KeyMaterial
	s.a.Background(func() error {
		var err error
		if km, err = dsync.GenerateKey(nil, p1); err != nil {
			return err
		}
		return s.a.St.CreateSelfKey(s.a.Ctx(), s.a.Actor, km)
	}, func(err error) {
		s.createB.Enable()
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.newPass.SetText("")
		s.newPass2.SetText("")
		s.result.SetText(i18n.T("batch.key_created", i18n.Args{"Fingerprint": dsync.Fingerprint(km.KeyID)}))
		s.refresh()
	})
}

func (s *exchangeScreen) onPickReceipt() {
	s.a.pickFile(nil, s.importReceipt)
}

// importReceipt verifies a receipt and marks the batches it confirms.
func (s *exchangeScreen) importReceipt(path string) {
	s.receiptB.Disable()
	var rcpt *dsync.Receipt
	var res store.AckResult
	s.a.Background(func() error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rcpt, res, err = dsync.ImportReceipt(s.a.Ctx(), s.a.St, s.a.Actor, filepath.Base(path), data)
		return err
	}, func(err error) {
		s.receiptB.Enable()
		if err != nil {
			s.receiptRes.SetText(i18n.T("batch.file_problem", i18n.Args{"File": filepath.Base(path), "Reason": i18n.Err(err)}))
			return
		}
		text, mismatch := i18n.ReceiptLines(rcpt.From.Code, res)
		if mismatch != "" {
			text += "\n" + mismatch
		}
		s.receiptRes.SetText(text)
		s.refresh()
	})
}

// historyText lists the batches written, newest first, at most 20; with
// several destinations each line starts with whom the batch went to.
func historyText(sent []store.SentBatch, dests []destState) string {
	if len(sent) == 0 {
		return i18n.T("batch.ack_none")
	}
	code := map[string]string{}
	if len(dests) > 1 {
		for _, d := range dests {
			code[d.Dest.Office.ID] = d.Dest.Office.Code + "  "
		}
	}
	sent = slices.Clone(sent)
	slices.SortStableFunc(sent, func(x, y store.SentBatch) int { return x.CreatedAt.Compare(y.CreatedAt) })
	var b strings.Builder
	for i := len(sent) - 1; i >= 0 && i >= len(sent)-20; i-- {
		x := sent[i]
		b.WriteString(code[x.Dest])
		ack := i18n.T("exchange.not_confirmed")
		if !x.AcknowledgedAt.IsZero() {
			ack = i18n.T("exchange.confirmed", i18n.Args{"Date": vn.FormatDate(x.AcknowledgedAt)})
		}
		fmt.Fprintf(&b, "%s  %s  %s  %s\n", x.FileName, vn.FormatDate(x.CreatedAt.In(time.Local)), dsync.ShortHash(x.SHA256), ack)
	}
	return strings.TrimRight(b.String(), "\n")
}

// newExchangeCard is the dashboard's view of the exchange: unsent changes,
// what each collecting office has confirmed, and the next report due.
func newExchangeCard(a *App) fyne.CanvasObject {
	unsent := widget.NewLabel(i18n.T("common.loading"))
	acks, outbox, last, due := widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{acks, outbox, last, due} {
		l.Wrapping = fyne.TextWrapWord
	}
	var n int
	var sent []store.SentBatch
	var dests []destState
	a.Background(func() error {
		var err error
		if n, err = a.St.UnsentChanges(a.Ctx()); err != nil {
			return err
		}
		dests, sent, err = loadDestinations(a)
		return err
	}, func(err error) {
		if err != nil {
			unsent.SetText(i18n.Err(err))
			return
		}
		unsent.SetText(i18n.T("status.unsent", i18n.Args{"Count": vn.FormatInt(int64(n))}))
		due.SetText(nextDueText(a.Settings, time.Now()))
		if len(dests) > 1 {
			// One short paragraph for each destination.
			var parts []string
			for _, d := range dests {
				parts = append(parts, d.Dest.Office.Code+": "+i18n.T("status.unsent", i18n.Args{"Count": vn.FormatInt(int64(d.Unsent))})+
					". "+outboxText(d.Sent)+" "+i18n.AckLine(dsync.Summarize(d.Sent).Parts()))
			}
			acks.SetText(strings.Join(parts, "\n"))
			outbox.Hide()
			last.Hide()
			return
		}
		var lastSent time.Time
		if len(dests) == 1 {
			lastSent = dests[0].Last
		}
		acks.SetText(i18n.AckLine(dsync.Summarize(sent).Parts()))
		// What waits in the outbox and when the network last took a batch.
		outbox.SetText(outboxText(sent))
		last.SetText(lastSentText(lastSent))
	})
	go1 := widget.NewButton(i18n.T("exchange.open"), func() { a.Navigate("exchange") })
	return widget.NewCard(i18n.T("nav.exchange"), "", container.NewVBox(unsent, due, acks, outbox, last, go1))
}

var errPassMismatch = &uiError{code: "exchange.pass_mismatch"}

type uiError struct{ code string }

func (e *uiError) Error() string                         { return "ui: " + e.code }
func (e *uiError) MessageCode() (string, map[string]any) { return e.code, nil }
