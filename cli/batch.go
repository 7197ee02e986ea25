package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

func init() {
	Register(Command{Group: "batch", Sub: "export", HelpKey: "cli.cmd.batch_export", Store: true, Run: runBatchExport})
	Register(Command{Group: "batch", Sub: "verify", HelpKey: "cli.cmd.batch_verify", Store: true, Reads: true, Run: runBatchVerify})
	Register(Command{Group: "batch", Sub: "import", HelpKey: "cli.cmd.batch_import", Store: true, Run: runBatchImport})
	Register(Command{Group: "batch", Sub: "quarantine", HelpKey: "cli.cmd.batch_quarantine", Store: true, Reads: true, Run: runBatchQuarantine})
	Register(Command{Group: "receipt", Sub: "import", HelpKey: "cli.cmd.receipt_import", Store: true, Run: runReceiptImport})
	Register(Command{Group: "receipt", Sub: "export", HelpKey: "cli.cmd.receipt_export", Store: true, Run: runReceiptExport})
}

func runBatchExport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("batch export")
	out := fs.String("out", "", "")
	full := fs.Bool("full", false, "")
	file := fs.String("passphrase-file", "", "")
	to := fs.String("to", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	dests, err := st.Destinations(ctx)
	if err != nil {
		return err
	}
	if *to != "" {
		if _, err := st.Destination(ctx, *to); err != nil {
			return usage("batch.no_destination", i18n.Args{"Code": vn.Printable(*to), "Codes": destinationCodes(dests)})
		}
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	sg, err := unlock(ctx, e, st, actor, *file)
	if err != nil {
		return err
	}
	if err := warnClear(ctx, e, st); err != nil {
		return err
	}
	results, err := dsync.ExportEach(ctx, st, actor, sg, e.DataDir, dsync.ExportOptions{To: *to, Full: *full, Extra: *out})
	if errors.Is(err, dsync.ErrNothingToExport) { // nothing to do is not a failure
		fmt.Fprintln(e.Stderr, i18n.Err(err))
		return nil
	}
	for _, res := range results {
		fmt.Fprintln(e.Stdout, res.Path)
		if res.ExtraPath != "" {
			fmt.Fprintln(e.Stdout, res.ExtraPath)
		}
		m := res.Manifest
		args := i18n.Args{"Seq": m.Seq, "Records": vn.FormatInt(int64(m.Counts.Total())), "Hash": dsync.ShortHash(res.SHA256),
			"Dest": res.Dest.Office.Code, "Count": vn.FormatInt(int64(res.Forwarded))}
		for _, miss := range res.Missing {
			e.Warnf("batch.forward_missing", i18n.Args{"Batch": miss})
		}
		if m.Format == dsync.ForwardFormat {
			e.Warnf("batch.forwarded", args)
		} else if len(dests) > 1 {
			e.Warnf("batch.exported_to", args)
		} else {
			e.Warnf("batch.exported", args)
		}
	}
	return err
}

// destinationCodes lists the destinations' codes for a message.
func destinationCodes(dests []store.Destination) string {
	if len(dests) == 0 {
		return i18n.T("common.none")
	}
	codes := make([]string, len(dests))
	for i, d := range dests {
		codes[i] = d.Office.Code
	}
	return strings.Join(codes, ", ")
}

// warnClear says, before a batch is written, that it will go in clear:
// no collecting office enrolled here has given an encryption key.
func warnClear(ctx context.Context, e *Env, st *store.Store) error {
	clear, without, err := dsync.ClearExport(ctx, st)
	if err != nil || !clear {
		return err
	}
	names := ""
	for i, o := range without {
		if i > 0 {
			names += ", "
		}
		names += o.Code
	}
	if names == "" {
		e.Warnf("batch.clear_no_collector")
	} else {
		e.Warnf("batch.clear_warning", i18n.Args{"Offices": names})
	}
	return nil
}

// problemLines prints why a file was refused, one reason per line.
func problemLine(e *Env, path string, err error) {
	fmt.Fprintln(e.Stderr, i18n.T("batch.file_problem", i18n.Args{"File": vn.Printable(filepath.Base(path)), "Reason": i18n.Err(err)}))
}

// chainLines says a batch's place in the chain in words: missing earlier
// batches, or already received.
func chainLine(e *Env, r dsync.FileResult) {
	m := r.Batch.Manifest
	switch r.Chain.State {
	case store.ChainGap:
		e.Warnf("batch.gap", i18n.Args{"Office": m.Office.Code, "Seqs": store.SeqRanges(r.Chain.Missing)})
	case store.ChainReplay:
		e.Warnf("batch.replay", i18n.Args{"Office": m.Office.Code, "Seq": m.Seq})
	}
}

func runBatchVerify(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("batch verify")
	file := fs.String("passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "batch verify FILE..."})
	}
	files, err := dsync.ExpandPaths(pos)
	if err != nil {
		return usage("cli.read_file", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	var sg *dsync.Signer
	if *file != "" {
		if sg, err = unlockAsUser(ctx, e, st, *file); err != nil {
			return err
		}
	}
	bad := 0
	for _, f := range files {
		r := dsync.VerifyFile(ctx, st, sg, f)
		if r.Err != nil {
			bad++
			problemLine(e, f, r.Err)
			continue
		}
		m := r.Batch.Manifest
		e.Printf("batch.verified", i18n.Args{"File": filepath.Base(f), "Office": m.Office.Code, "Seq": m.Seq,
			"Records": vn.FormatInt(int64(len(r.Batch.Records))), "Hash": dsync.ShortHash(r.Batch.SHA256)})
		chainLine(e, r)
	}
	if bad > 0 {
		return &RuleError{Count: bad}
	}
	return nil
}

func runBatchImport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("batch import")
	dry := fs.Bool("dry-run", false, "")
	file := fs.String("passphrase-file", "", "")
	waiting := fs.Bool("waiting", false, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 && !*waiting {
		return usage("cli.bad_usage", i18n.Args{"Detail": "batch import [--dry-run] FILE...|DIR | --waiting"})
	}
	files, err := dsync.ExpandPaths(pos)
	if err != nil {
		return usage("cli.read_file", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	if *waiting {
		// The batches set aside until their office was enrolled.
		more, _, err := dsync.WaitingFiles(ctx, st, e.DataDir)
		if err != nil {
			return err
		}
		if len(more) == 0 && len(pos) == 0 {
			e.Printf("batch.waiting_none")
			return nil
		}
		files = append(files, more...)
	}
	if skipped := dsync.SkippedFiles(pos); len(skipped) > 0 {
		e.Warnf("batch.skipped_files", i18n.Args{"Count": len(skipped), "Files": skippedList(skipped)})
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	var sg *dsync.Signer // decrypts encrypted batches, and signs the receipts
	if *file != "" {
		if sg, err = unlock(ctx, e, st, actor, *file); err != nil {
			return err
		}
	}
	bad := 0
	senders := map[string]bool{}
	opt := dsync.Options{DryRun: *dry, Reason: i18n.Err, Key: sg}
	dsync.ImportWith(ctx, st, actor, e.DataDir, dsync.FileSources(files), opt, func(r dsync.FileResult) {
		f := r.Path
		if r.Err != nil {
			bad++
			problemLine(e, f, r.Err)
			switch {
			case r.QuarantineErr != nil:
				e.Warnf("batch.quarantine_failed", i18n.Args{"File": filepath.Base(f), "Detail": i18n.Err(r.QuarantineErr)})
			case r.Quarantined && errors.Is(r.Err, dsync.ErrUnknownOffice):
				e.Warnf("batch.quarantined", i18n.Args{"File": filepath.Base(f), "Office": r.Batch.Manifest.Office.Code})
			case r.Quarantined:
				key := "batch.set_aside"
				if r.OriginalKept {
					key = "batch.set_aside_copy"
				}
				e.Warnf(key, i18n.Args{"File": filepath.Base(f), "Path": r.QuarantinedAs})
			}
			return
		}
		m := r.Batch.Manifest
		c := r.Import.Counts
		key := "batch.imported"
		switch {
		case r.Chain.State == store.ChainReplay:
			key = "batch.import_replay"
		case *dry:
			key = "batch.import_preview"
		}
		e.Printf(key, i18n.Args{"File": filepath.Base(f), "Office": m.Office.Code, "Seq": m.Seq,
			"New": c.New, "Updated": c.Updated, "Unchanged": c.Unchanged, "Older": c.Older, "Rejected": c.Rejected})
		for _, rj := range r.Import.Rejections {
			e.Warnf("batch.record_rejected", i18n.Args{"Kind": rj.Kind, "ID": rj.ID, "Reason": i18n.T("batch.reject." + rj.Reason)})
		}
		if r.Chain.State == store.ChainGap {
			chainLine(e, r)
		}
		senders[r.Batch.Office.ID] = true
	})
	if !*dry && len(senders) > 0 {
		if sg == nil {
			e.Warnf("batch.no_receipt")
		} else {
			for id := range senders {
				p, err := dsync.WriteCurrentReceipt(ctx, st, actor, sg, e.DataDir, id, "")
				if err != nil {
					return err
				}
				fmt.Fprintln(e.Stdout, p)
			}
		}
	}
	if bad > 0 {
		return &RuleError{Count: bad}
	}
	return nil
}

func runReceiptExport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("receipt export")
	code := fs.String("office", "", "")
	out := fs.String("out", "", "")
	file := fs.String("passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"office": *code}); err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	sg, err := unlock(ctx, e, st, actor, *file)
	if err != nil {
		return err
	}
	offices, err := st.Offices(ctx)
	if err != nil {
		return err
	}
	for _, o := range offices {
		if o.Code == *code && !o.Self {
			p, err := dsync.WriteReceipt(ctx, st, actor, sg, e.DataDir, o.ID, *out, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(e.Stdout, p)
			return nil
		}
	}
	return usage("batch.unknown_code", i18n.Args{"Code": *code})
}

func runReceiptImport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	pos, err := ParseFlags(Flags("receipt import"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "receipt import FILE"})
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return usage("cli.read_file", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	r, res, err := dsync.ImportReceipt(ctx, st, actor, filepath.Base(pos[0]), data)
	if err != nil {
		var se *dsync.Error
		if errors.As(err, &se) {
			problemLine(e, pos[0], err)
			return &RuleError{Count: 1}
		}
		return err
	}
	done, mismatch := i18n.ReceiptLines(r.From.Code, res)
	fmt.Fprintln(e.Stdout, done)
	if mismatch != "" {
		fmt.Fprintln(e.Stderr, mismatch)
	}
	sent, err := st.SentBatches(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, i18n.AckLine(dsync.Summarize(sent).Parts()))
	return nil
}

// skippedList names at most ten files, then how many more.
func skippedList(names []string) string {
	if len(names) <= 10 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:10], ", ") + ", " + i18n.T("batch.skipped_more", i18n.Args{"Count": len(names) - 10})
}

// runBatchQuarantine lists the refused batches set aside in quarantine/,
// newest first: when, the file, from whom (for one waiting for its office)
// and why, one a line, tab-separated; then how many wait and how many of
// those import now (batch import --waiting).
func runBatchQuarantine(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("batch quarantine")
	if _, err := ParseFlags(fs, args); err != nil {
		return err
	}
	list, all, err := dsync.Quarantined(ctx, st, e.DataDir)
	if err != nil {
		return err
	}
	if all == 0 {
		e.Printf("batch.quarantine_none")
		return nil
	}
	waiting, ready := 0, 0
	for _, q := range list {
		state := i18n.T(q.StateKey())
		if q.Waiting {
			waiting++
		}
		if q.Ready {
			ready++
		}
		from := q.Office
		if from == "" {
			from = "—"
		}
		fmt.Fprintf(e.Stdout, "%s\t%s\t%s\t%s\t%s\n", vn.FormatDateTime(q.At), q.Name, from, state, q.Reason)
	}
	if all > len(list) {
		e.Printf("batch.quarantine_more", i18n.Args{"Shown": vn.FormatInt(int64(len(list))), "All": vn.FormatInt(int64(all))})
	}
	e.Printf("batch.quarantine_summary", i18n.Args{"Count": vn.FormatInt(int64(all)), "Waiting": vn.FormatInt(int64(waiting)),
		"Ready": vn.FormatInt(int64(ready))})
	return nil
}
