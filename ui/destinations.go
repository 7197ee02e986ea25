package ui

import (
	"danvan/internal/domain"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

// destState is what the exchange page and the dashboard show of one
// destination: a collecting office this office reports to.
type destState struct {
	Dest   store.Destination
	Unsent int
	Sent   []store.SentBatch
	Last   time.Time // when a batch last got through over the network
}

// loadDestinations reads every destination's state, and every batch sent
// (read once, for the destinations and for the page's history); off the
// UI goroutine.
func loadDestinations(a *App) ([]destState, []store.SentBatch, error) {
	ctx := a.Ctx()
	dests, err := a.St.Destinations(ctx)
	if err != nil {
		return nil, nil, err
	}
	unsent, err := a.St.UnsentFor(ctx)
	if err != nil {
		return nil, nil, err
	}
	sent, err := a.St.SentBatches(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]destState, len(dests))
	for i, d := range dests {
		out[i] = destState{Dest: d, Unsent: unsent[d.Office.ID]}
		for _, b := range sent {
			if b.Dest == d.Office.ID {
				out[i].Sent = append(out[i].Sent, b)
			}
		}
		if out[i].Last, err = a.St.LastSendOK(ctx, d.Office.ID); err != nil {
			return nil, nil, err
		}
	}
	return out, sent, nil
}

// nextDueText says which report is owed next and by when.
func nextDueText(set domain.Settings, now time.Time) string {
	p, due := domain.NextDueOf(set.Periods()[0], now, set.CutoffDay, set.DueWorkingDays)
	return i18n.T("exchange.next_due", i18n.Args{"Date": vn.FormatDate(due), "Period": i18n.PeriodName(p)})
}

// destText is one destination in words: what it receives, what waits for
// it and what it has confirmed.
func destText(s destState) string {
	lines := []string{
		s.Dest.Office.Code + " — " + s.Dest.Office.Name,
		i18n.T("exchange.dest_receives", i18n.Args{"Kinds": i18n.DataKindNames(s.Dest.Kinds)}),
		i18n.T("status.unsent", i18n.Args{"Count": vn.FormatInt(int64(s.Unsent))}) + ". " + outboxText(s.Sent),
		i18n.AckLine(dsync.Summarize(s.Sent).Parts()),
	}
	if s.Dest.URL != "" {
		lines = append(lines, lastSentText(s.Last))
	}
	if s.Dest.Recipient == "" {
		lines = append(lines, i18n.T("exchange.dest_clear"))
	}
	return strings.Join(lines, "\n")
}

// destinationsPanel lists the destinations on the exchange page, each with
// a button that changes what it receives and where its server listens.
type destinationsPanel struct {
	a     *App
	after func()
	box   *fyne.Container
	due   *widget.Label
}

func newDestinationsPanel(a *App, after func()) *destinationsPanel {
	return &destinationsPanel{a: a, after: after}
}

func (p *destinationsPanel) content() fyne.CanvasObject {
	p.box = container.NewVBox()
	p.due = widget.NewLabel("")
	p.due.Wrapping = fyne.TextWrapWord
	return container.NewVBox(p.due, p.box)
}

func (p *destinationsPanel) show(all []destState) {
	p.due.SetText(nextDueText(p.a.Settings, time.Now()))
	p.box.RemoveAll()
	if len(all) == 0 {
		l := widget.NewLabel(i18n.T("exchange.no_destination"))
		l.Wrapping = fyne.TextWrapWord
		p.box.Add(l)
		return
	}
	for _, s := range all {
		l := widget.NewLabel(destText(s))
		l.Wrapping = fyne.TextWrapWord
		d := s.Dest
		edit := widget.NewButtonWithIcon(i18n.T("exchange.dest_edit"), theme.DocumentCreateIcon(), func() { p.edit(d) })
		p.box.Add(container.NewBorder(nil, nil, nil, container.NewVBox(edit), l))
		p.box.Add(widget.NewSeparator())
	}
}

// edit asks what a destination receives and its address, and saves it.
func (p *destinationsPanel) edit(d store.Destination) {
	kinds := newKindsCheck(d.Kinds)
	url := newKeyEntry(false)
	url.SetText(d.URL)
	url.SetPlaceHolder(i18n.T("field.collector_url.hint"))
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("exchange.dest_kinds"), kinds),
		widget.NewFormItem(i18n.T("field.collector_url"), url),
	)
	var dlg dialog.Dialog
	save := func() {
		picked := pickedKinds(kinds)
		addr := url.Text
		p.a.Background(func() error {
			return p.a.St.SetDestination(p.a.Ctx(), p.a.Actor, d.Office.ID, picked, addr)
		}, func(err error) {
			if err != nil {
				msg.SetText(i18n.Err(err))
				return
			}
			dlg.Hide()
			if d.Primary {
				_ = p.a.ReloadSettings()
			}
			p.after()
		})
	}
	title := i18n.T("exchange.dest_edit_title", i18n.Args{"Code": d.Office.Code})
	saveB := widget.NewButtonWithIcon(i18n.T("common.save"), theme.DocumentSaveIcon(), save)
	saveB.Importance = widget.HighImportance
	cancelB := widget.NewButtonWithIcon(i18n.T("common.cancel"), theme.CancelIcon(), func() { dlg.Hide() })
	// The dialog stays open while the store checks what was typed: a
	// mistake is shown in it, and fixed there.
	body := container.NewVBox(widget.NewLabel(d.Office.Name), form, msg, container.NewHBox(layout.NewSpacer(), cancelB, saveB))
	dlg = dialog.NewCustomWithoutButtons(title, body, p.a.Win)
	p.a.show(dlg)
	dlg.Resize(fyne.NewSize(560, dlg.MinSize().Height))
}

// newKindsCheck is a check box for each kind of data, those given ticked.
func newKindsCheck(ticked []string) *widget.CheckGroup {
	names := make([]string, len(domain.DataKinds))
	for i, k := range domain.DataKinds {
		names[i] = i18n.T("data." + k)
	}
	g := widget.NewCheckGroup(names, nil)
	for _, k := range ticked {
		g.Selected = append(g.Selected, i18n.T("data."+k))
	}
	return g
}

// pickedKinds is what a newKindsCheck has ticked, in DataKinds order.
func pickedKinds(g *widget.CheckGroup) []string {
	picked := []string{}
	for _, k := range domain.DataKinds {
		if slices.Contains(g.Selected, i18n.T("data."+k)) {
			picked = append(picked, k)
		}
	}
	return picked
}
