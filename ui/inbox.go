package ui

import (
	"errors"
	"path/filepath"
	"sort"
	"strings"

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
	registerScreen(screenDef{ID: "inbox", Order: 70, TitleKey: "nav.inbox", Icon: theme.IconNameDownload, Collector: true,
		New: func(a *App) screen { return newInboxScreen(a) }})
}

// inboxItem is one file the clerk brought, with what checking it found.
type inboxItem struct {
	path   string
	res    dsync.FileResult
	state  string // "checked", "imported", "quarantined", "replay"
	detail string // the problem, or where the file went, in words
}

// inboxScreen (Hộp thư đến) takes batch files dropped onto the window or
// picked from a folder or USB stick, verifies each as a dry run, shows what
// importing would do, and on "Nhập" applies the valid ones. Refused files
// go to the data folder's quarantine/ with a .txt saying why; receipts for
// the senders are written to receipts/ and, when chosen, to a folder that
// can be carried back.
type inboxScreen struct {
	a       *App
	items   []*inboxItem
	busy    bool
	skipped []string // files of the folders picked that are not batches, said after the check

	intro    *widget.Label
	table    *widget.Table
	progress *widget.ProgressBar
	status   *widget.Label
	pass     *keyEntry
	carry    *keyEntry
	filesB   *widget.Button
	folderB  *widget.Button
	importB  *widget.Button
	clearB   *widget.Button
	waitingB *widget.Button // the batches set aside until their office was enrolled
	quarB    *widget.Button // every refused batch set aside (inbox_quarantine.go)
}

func newInboxScreen(a *App) *inboxScreen { return &inboxScreen{a: a} }

var inboxCols = []tableCol{
	{"collector.inbox.col.file", 230}, {"collector.col.unit", 150}, {"collector.inbox.col.seq", 50},
	{"collector.inbox.col.new", 60}, {"collector.inbox.col.updated", 75}, {"collector.inbox.col.unchanged", 80},
	{"collector.inbox.col.older", 60}, {"collector.inbox.col.rejected", 70}, {"collector.inbox.col.problem", 420},
}

func (s *inboxScreen) content() fyne.CanvasObject {
	s.intro = widget.NewLabel(i18n.T("collector.inbox.intro"))
	s.intro.Wrapping = fyne.TextWrapWord
	s.filesB = widget.NewButtonWithIcon(i18n.T("collector.inbox.pick_file"), theme.FileIcon(), s.onPickFile)
	s.folderB = widget.NewButtonWithIcon(i18n.T("collector.inbox.pick_folder"), theme.FolderOpenIcon(), s.onPickFolder)
	s.importB = widget.NewButtonWithIcon(i18n.T("collector.inbox.import"), theme.DownloadIcon(), s.onImport)
	s.importB.Importance = widget.HighImportance
	s.clearB = widget.NewButtonWithIcon(i18n.T("collector.inbox.clear"), theme.ContentClearIcon(), s.onClear)
	s.waitingB = widget.NewButtonWithIcon(i18n.T("collector.inbox.waiting", i18n.Args{"Count": "…"}), theme.HistoryIcon(), s.onWaiting)
	s.waitingB.Disable()
	s.quarB = widget.NewButtonWithIcon(i18n.T("collector.inbox.quarantine", i18n.Args{"Count": "…"}), theme.WarningIcon(), s.onQuarantine)
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.pass = newSecretEntry()
	s.pass.SetPlaceHolder(i18n.T("collector.inbox.passphrase"))
	s.pass.OnSubmitted = func(string) { s.recheckLocked() }
	s.carry = newKeyEntry(false)
	s.carry.SetPlaceHolder(i18n.T("collector.inbox.carry_hint"))
	carryB := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), s.onPickCarry)
	s.table = newTextTable(inboxCols, func() int { return len(s.items) }, s.cell)
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.items) && s.items[id.Row].detail != "" {
			it := s.items[id.Row]
			s.a.inform(filepath.Base(it.path), it.detail)
		}
		s.table.UnselectAll()
	}
	s.a.Win.SetOnDropped(s.onDropped)
	s.updateButtons()
	top := container.NewVBox(s.intro,
		container.NewHBox(s.filesB, s.folderB, s.waitingB, s.clearB),
		// The quarantine's button sits beside the flexible entry, so the
		// page still fits 1024 px in every language.
		container.NewBorder(nil, nil, widget.NewLabel(i18n.T("collector.inbox.carry")), container.NewHBox(carryB, s.quarB), s.carry))
	bottom := container.NewVBox(s.progress, s.status,
		container.NewBorder(nil, nil, nil, s.importB, s.pass))
	return container.NewBorder(top, bottom, nil, nil, s.table)
}

func (s *inboxScreen) cell(r, c int) string {
	if r < 0 || r >= len(s.items) {
		return ""
	}
	it := s.items[r]
	res := it.res
	if c == 0 {
		return filepath.Base(it.path)
	}
	if res.Batch == nil {
		if c == len(inboxCols)-1 {
			if errors.Is(res.Err, dsync.ErrNeedKey) { // the whole sentence opens on a click
				return i18n.T("collector.inbox.locked_cell")
			}
			return firstLine(it.detail)
		}
		return ""
	}
	m := res.Batch.Manifest
	counts := res.Import.Counts
	if res.Err != nil && c >= 3 && c <= 7 {
		return "" // refused: no counts to show
	}
	switch c {
	case 1:
		return m.Office.Code + " — " + m.Office.Name
	case 2:
		return vn.FormatInt(m.Seq)
	case 3:
		return vn.FormatInt(int64(counts.New))
	case 4:
		return vn.FormatInt(int64(counts.Updated))
	case 5:
		return vn.FormatInt(int64(counts.Unchanged))
	case 6:
		return vn.FormatInt(int64(counts.Older))
	case 7:
		return vn.FormatInt(int64(counts.Rejected))
	case 8:
		return firstLine(it.detail)
	}
	return ""
}

func (s *inboxScreen) updateButtons() {
	ready, waiting := 0, 0
	for _, it := range s.items {
		if it.state == "checked" {
			waiting++
			if it.res.Err == nil {
				ready++
			}
		}
	}
	for _, b := range []*widget.Button{s.filesB, s.folderB, s.clearB} {
		if s.busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if s.busy || waiting == 0 {
		s.importB.Disable()
	} else {
		s.importB.Enable()
	}
	s.importB.SetText(i18n.T("collector.inbox.import_n", i18n.Args{"Count": vn.FormatInt(int64(ready))}))
}

// onDropped takes files and folders dropped anywhere on the window.
func (s *inboxScreen) onDropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) > 0 {
		s.a.Navigate("inbox")
		s.add(paths)
	}
}

func (s *inboxScreen) onPickFile() {
	s.a.pickFile([]string{".zip", ".age"}, func(p string) { s.add([]string{p}) })
}

// onPickFolder takes every batch file of a folder or USB stick.
func (s *inboxScreen) onPickFolder() {
	s.a.pickFolder(func(p string) { s.add([]string{p}) })
}

func (s *inboxScreen) onPickCarry() {
	s.a.pickFolder(func(p string) { s.carry.SetText(p) })
}

func (s *inboxScreen) onClear() {
	s.items = nil
	s.status.SetText("")
	s.table.Refresh()
	s.updateButtons()
}

// onShow counts the batches waiting for their office to be enrolled: the
// Đơn vị page may have enrolled one since.
func (s *inboxScreen) onShow() {
	var ready []string
	var others, quarantined int
	s.a.Background(func() (err error) {
		if ready, others, err = dsync.WaitingFiles(s.a.Ctx(), s.a.St, s.a.St.Dir()); err != nil {
			return err
		}
		quarantined, err = dsync.QuarantinedCount(s.a.St.Dir())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.quarB.SetText(i18n.T("collector.inbox.quarantine", i18n.Args{"Count": vn.FormatInt(int64(quarantined))}))
		s.waitingB.SetText(i18n.T("collector.inbox.waiting", i18n.Args{"Count": vn.FormatInt(int64(len(ready)))}))
		if others > 0 {
			s.waitingB.SetText(i18n.T("collector.inbox.waiting_of", i18n.Args{"Count": vn.FormatInt(int64(len(ready))), "All": vn.FormatInt(int64(len(ready) + others))}))
		}
		if len(ready) > 0 && !s.busy {
			s.waitingB.Enable()
		} else {
			s.waitingB.Disable()
		}
	})
}

// onWaiting checks the waiting batches whose office is enrolled now, as
// files brought in; "Nhập" then imports them, which releases them.
func (s *inboxScreen) onWaiting() {
	var paths []string
	s.a.Background(func() (err error) {
		paths, _, err = dsync.WaitingFiles(s.a.Ctx(), s.a.St, s.a.St.Dir())
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		if len(paths) > 0 {
			s.add(paths)
		}
	})
}

// add verifies the files (a folder gives its .zip files) as a dry run, off
// the UI goroutine, with the progress bar moving file by file.
func (s *inboxScreen) add(paths []string) {
	if s.busy {
		return
	}
	files, err := dsync.ExpandPaths(paths)
	if err != nil {
		s.a.ShowError(err)
		return
	}
	skipped := dsync.SkippedFiles(paths)
	if len(files) == 0 {
		msg := i18n.T("collector.inbox.no_files")
		if len(skipped) > 0 {
			msg += "\n" + i18n.T("batch.skipped_files", i18n.Args{"Count": len(skipped), "Files": vn.Printable(strings.Join(skipped, ", "))})
		}
		s.status.SetText(msg)
		return
	}
	s.skipped = skipped
	known := map[string]bool{}
	for _, it := range s.items {
		known[it.path] = true
	}
	var fresh []*inboxItem
	for _, f := range files {
		if !known[f] {
			fresh = append(fresh, &inboxItem{path: f})
		}
	}
	s.items = append(s.items, fresh...)
	s.run(fresh, true)
}

// run checks (dryRun) or imports the items, then shows the outcome.
func (s *inboxScreen) run(items []*inboxItem, dryRun bool) {
	s.busy = true
	s.updateButtons()
	s.progress.SetValue(0)
	s.progress.Show()
	key := "collector.inbox.checking"
	if !dryRun {
		key = "collector.inbox.importing"
	}
	s.status.SetText(i18n.T(key, i18n.Args{"Count": vn.FormatInt(int64(len(items)))}))
	s.table.Refresh()
	pass := s.pass.Text
	carry := strings.TrimSpace(s.carry.Text)
	var receipts []string
	var receiptErr error
	s.a.Background(func() error {
		// The key decrypts batches encrypted to this office; without it
		// they wait, marked, for the passphrase.
		key, err := s.a.unlockedSigner(pass)
		if err != nil {
			return err
		}
		senders := map[string]bool{}
		paths := make([]string, len(items))
		for i, it := range items {
			paths[i] = it.path
		}
		// Results come in the files' order, one for each. A check is the
		// import itself, rolled back at the end, and a refused file goes
		// to quarantine by the one policy of dsync (quarantine.go).
		i := 0
		opt := dsync.Options{DryRun: dryRun, Reason: i18n.Err, Key: key}
		dsync.ImportWith(s.a.Ctx(), s.a.St, s.a.Actor, s.a.St.Dir(), dsync.FileSources(paths), opt, func(res dsync.FileResult) {
			it := items[i]
			i++
			state, detail := describeResult(res, dryRun)
			if !dryRun && res.Err == nil && res.Batch != nil {
				senders[res.Batch.Office.ID] = true
			}
			done := float64(i) / float64(len(items))
			// The table reads the items on the UI goroutine; they change there.
			fyne.Do(func() {
				uiMu.Lock()
				defer uiMu.Unlock()
				it.res, it.state, it.detail = res, state, detail
				s.progress.SetValue(done)
				s.table.Refresh()
			})
		})
		if dryRun || len(senders) == 0 {
			return nil
		}
		sg, err := s.a.withSigner(pass)
		if err != nil {
			receiptErr = err
			return nil
		}
		ids := make([]string, 0, len(senders))
		for id := range senders {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			p, err := dsync.WriteCurrentReceipt(s.a.Ctx(), s.a.St, s.a.Actor, sg, s.a.St.Dir(), id, carry)
			if err != nil {
				receiptErr = err
				return nil
			}
			receipts = append(receipts, p)
		}
		return nil
	}, func(err error) {
		// busy clears last: tests wait on it.
		defer func() {
			s.busy = false
			s.updateButtons()
			if !dryRun {
				s.onShow() // what was released no longer waits
			}
		}()
		s.progress.Hide()
		s.pass.SetText("")
		s.table.Refresh()
		if err != nil {
			s.a.ShowError(err)
			return
		}
		msg := s.summary(dryRun, receipts, receiptErr)
		if dryRun && len(s.skipped) > 0 {
			msg += "\n" + i18n.T("batch.skipped_files", i18n.Args{"Count": len(s.skipped), "Files": vn.Printable(strings.Join(s.skipped, ", "))})
		}
		s.status.SetText(msg)
		if !dryRun {
			s.a.RefreshStatus()
		}
	})
}

// describeResult says what happened to one file in words.
func describeResult(r dsync.FileResult, dryRun bool) (state, detail string) {
	if r.Err != nil {
		detail = i18n.Err(r.Err)
		switch {
		case dryRun, errors.Is(r.Err, dsync.ErrNeedKey): // waits for the passphrase, not set aside
			return "checked", detail
		case r.QuarantineErr != nil:
			return "quarantined", detail + "\n" + i18n.T("collector.inbox.quarantine_failed", i18n.Args{"Detail": i18n.Err(r.QuarantineErr)})
		case r.Quarantined:
			key := "collector.inbox.quarantined"
			if r.OriginalKept {
				key = "collector.inbox.quarantined_copy"
			}
			return "quarantined", detail + "\n" + i18n.T(key, i18n.Args{"Path": r.QuarantinedAs})
		}
		return "quarantined", detail
	}
	m := r.Batch.Manifest
	var lines []string
	switch {
	case r.Chain.State == store.ChainReplay:
		state = "replay"
		lines = append(lines, i18n.T("batch.replay", i18n.Args{"Office": m.Office.Code, "Seq": m.Seq}))
	case dryRun:
		state = "checked"
		lines = append(lines, i18n.T("collector.inbox.valid"))
	default:
		state = "imported"
		lines = append(lines, i18n.T("collector.inbox.imported"))
	}
	if r.Chain.State == store.ChainGap {
		lines = append(lines, i18n.T("batch.gap", i18n.Args{"Office": m.Office.Code, "Seqs": store.SeqRanges(r.Chain.Missing)}))
	}
	for _, rj := range r.Import.Rejections {
		lines = append(lines, i18n.T("batch.record_rejected", i18n.Args{"Kind": rj.Kind, "ID": rj.ID, "Reason": i18n.T("batch.reject." + rj.Reason)}))
	}
	return state, strings.Join(lines, " ")
}

func (s *inboxScreen) summary(dryRun bool, receipts []string, receiptErr error) string {
	var ok, bad, replay int
	for _, it := range s.items {
		switch {
		case errors.Is(it.res.Err, dsync.ErrNeedKey): // not refused: waiting for the key, counted apart
		case it.res.Err != nil:
			bad++
		case it.state == "replay":
			replay++
		default:
			ok++
		}
	}
	locked := ""
	if n := len(s.locked()); n > 0 {
		locked = "\n" + i18n.T("collector.inbox.need_key", i18n.Args{"Count": vn.FormatInt(int64(n))})
	}
	if dryRun {
		return i18n.T("collector.inbox.checked", i18n.Args{"OK": ok, "Bad": bad, "Replay": replay}) + locked
	}
	msg := i18n.T("collector.inbox.done", i18n.Args{"OK": ok, "Bad": bad, "Replay": replay}) + locked
	switch {
	case receiptErr != nil:
		msg += "\n" + i18n.T("collector.inbox.no_receipts", i18n.Args{"Reason": i18n.Err(receiptErr)})
	case len(receipts) > 0:
		msg += "\n" + i18n.T("collector.inbox.receipts", i18n.Args{"Count": vn.FormatInt(int64(len(receipts))), "Folder": filepath.Dir(receipts[0])})
	}
	return msg
}

// locked are the items that are encrypted and waited for the key.
func (s *inboxScreen) locked() []*inboxItem {
	var out []*inboxItem
	for _, it := range s.items {
		if errors.Is(it.res.Err, dsync.ErrNeedKey) {
			out = append(out, it)
		}
	}
	return out
}

// recheckLocked checks again, with the passphrase just typed, the files
// that could not be read without it.
func (s *inboxScreen) recheckLocked() {
	if todo := s.locked(); len(todo) > 0 && !s.busy {
		s.run(todo, true)
	}
}

// onImport applies every checked file: valid batches are imported, each in
// one transaction; refused ones go to quarantine. Files already handled
// are left alone.
func (s *inboxScreen) onImport() {
	var todo []*inboxItem
	for _, it := range s.items {
		if it.state == "checked" {
			todo = append(todo, it)
		}
	}
	if len(todo) == 0 {
		s.status.SetText(i18n.T("collector.inbox.nothing"))
		return
	}
	s.run(todo, false)
}

// firstLine is what a table cell shows of a longer text; the whole text
// opens when the row is clicked.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
