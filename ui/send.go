package ui

import (
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
	"danvan/sync/exchange"
)

// sendPanel is Gửi on the exchange screen: every batch of the outbox that
// no receipt covers goes to the collecting office over the network, with
// progress; what does not get through stays for the next press.
type sendPanel struct {
	a     *App
	after func() // the screen reloads what the receipts changed

	outbox, last, status *widget.Label
	progress             *widget.ProgressBar
	sendB                *widget.Button
}

func newSendPanel(a *App, after func()) *sendPanel {
	return &sendPanel{a: a, after: after}
}

func (p *sendPanel) content() fyne.CanvasObject {
	wrap := func(l *widget.Label) *widget.Label { l.Wrapping = fyne.TextWrapWord; return l }
	p.outbox = wrap(widget.NewLabel(""))
	p.last = wrap(widget.NewLabel(""))
	p.status = wrap(widget.NewLabel(""))
	p.progress = widget.NewProgressBar()
	p.progress.Hide()
	p.sendB = widget.NewButtonWithIcon(i18n.T("exchange.send"), theme.MailSendIcon(), p.onSend)
	p.sendB.Importance = widget.HighImportance
	return container.NewVBox(p.outbox, p.last,
		container.NewHBox(p.sendB), p.progress, p.status)
}

// show puts the outbox and the last good send on the panel; with several
// destinations each says its own in the list of destinations.
func (p *sendPanel) show(sent []store.SentBatch, last time.Time, multi bool) {
	if multi {
		p.outbox.Hide()
		p.last.Hide()
		return
	}
	p.outbox.Show()
	p.last.Show()
	p.outbox.SetText(outboxText(sent))
	p.last.SetText(lastSentText(last))
}

func (p *sendPanel) onSend() {
	p.sendB.Disable()
	p.progress.SetValue(0)
	p.progress.Show()
	p.status.SetText(i18n.T("exchange.sending"))
	var results []exchange.SendResult
	p.a.Background(func() error {
		var err error
		results, err = exchange.SendEach(p.a.Ctx(), p.a.St, p.a.Actor, p.a.St.Dir(), exchange.SendOptions{Progress: func(sp exchange.SendProgress) {
			line := sendProgressText(sp)
			fyne.Do(func() {
				if sp.Total > 0 {
					p.progress.SetValue(float64(sp.Done) / float64(sp.Total))
				}
				if line != "" {
					p.status.SetText(line)
				}
			})
		}})
		return err
	}, func(err error) {
		p.sendB.Enable()
		p.progress.Hide()
		if err != nil {
			p.status.SetText(i18n.Err(err))
			p.after()
			return
		}
		var lines []string
		for _, res := range results {
			var line string
			switch {
			case res.NoAddress:
				line = i18n.T("send.no_address_dest", i18n.Args{"Count": len(res.Pending)})
			case res.Err != nil:
				// Offline is no failure of the officer's: the batches wait.
				line = i18n.Err(res.Err)
			case len(res.Sent) == 0:
				line = i18n.T("send.nothing")
			default:
				line = i18n.T("exchange.sent_all", i18n.Args{"Count": len(res.Sent)})
			}
			if len(results) > 1 {
				line = res.Dest.Office.Code + ": " + line
			}
			lines = append(lines, line)
			if res.Settings != "" {
				lines = append(lines, i18n.T("send.new_settings", i18n.Args{"Code": res.SettingsDoc.From.Code, "Version": res.SettingsDoc.Version, "Path": res.Settings}))
			}
		}
		p.status.SetText(strings.Join(lines, "\n"))
		p.after()
		p.a.RefreshStatus()
	})
}

// sendProgressText is one progress line, as the command line says it.
func sendProgressText(sp exchange.SendProgress) string {
	key, a := sp.Line()
	if key == "" {
		return ""
	}
	if key == "send.wait" {
		a["Reason"] = i18n.Err(sp.Err)
	}
	return i18n.T(key, a)
}

// outboxText says what waits for a receipt: "Chờ gửi: 2 lô (lô 7–8)."
func outboxText(sent []store.SentBatch) string {
	st := dsync.Summarize(sent)
	if len(st.Pending) == 0 {
		return i18n.T("exchange.outbox_empty")
	}
	return i18n.T("exchange.outbox", i18n.Args{"Count": vn.FormatInt(int64(len(st.Pending))), "Seqs": store.SeqRanges(st.Pending)})
}

// lastSentText says when a batch last got through over the network.
func lastSentText(t time.Time) string {
	if t.IsZero() {
		return i18n.T("exchange.never_sent")
	}
	return i18n.T("exchange.last_sent", i18n.Args{"Date": vn.FormatDateTime(t.In(time.Local))})
}
