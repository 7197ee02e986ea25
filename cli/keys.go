package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"danvan/internal/domain"
	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

func init() {
	AddSetupExtra(func(fs flagSet) func(ctx context.Context, e *Env, in *store.SetupInput) error {
		file := fs.String("passphrase-file", "", "")
		return func(ctx context.Context, e *Env, in *store.SetupInput) error {
			if *file == "" {
				return nil
			}
			pass, err := ReadSecretFile(*file)
			if err != nil {
				return err
			}
			km, err := dsync.GenerateKey(nil, pass)
			if err != nil {
				return err
			}
			in.Key = &km
			return nil
		}
	})
	Register(Command{Group: "key", Sub: "show", HelpKey: "cli.cmd.key_show", Store: true, Reads: true, Run: runKeyShow})
	Register(Command{Group: "key", Sub: "create", HelpKey: "cli.cmd.key_create", Store: true, Run: runKeyCreate})
	Register(Command{Group: "key", Sub: "rotate", HelpKey: "cli.cmd.key_rotate", Store: true, Run: runKeyRotate})
	Register(Command{Group: "key", Sub: "identity", HelpKey: "cli.cmd.key_identity", Store: true, Run: runKeyIdentity})
	Register(Command{Group: "enrollment", Sub: "export", HelpKey: "cli.cmd.enrollment_export", Store: true, Run: runEnrollmentExport})
	Register(Command{Group: "offices", Sub: "enroll", HelpKey: "cli.cmd.offices_enroll", Store: true, Run: runOfficesEnroll})
	Register(Command{Group: "offices", Sub: "list", HelpKey: "cli.cmd.offices_list", Store: true, Reads: true, Run: runOfficesList})
}

// unlock opens this office's key with the passphrase in file. A
// collecting office whose key predates encryption gets its encryption
// identity now (dsync.OpenKey), and is told to send its enrollment file to
// the communes again.
func unlock(ctx context.Context, e *Env, st *store.Store, actor store.Actor, file string) (*dsync.Signer, error) {
	if err := Require(map[string]string{"passphrase-file": file}); err != nil {
		return nil, err
	}
	pass, err := ReadSecretFile(file)
	if err != nil {
		return nil, err
	}
	sg, created, err := dsync.OpenKey(ctx, st, actor, pass)
	if created {
		e.Warnf("batch.identity_created", i18n.Args{"Recipient": sg.Recipient()})
	}
	return sg, err
}

// unlockAsUser is unlock for a command that needs the key and nothing else
// of the user: it logs the user in first (cliActor).
func unlockAsUser(ctx context.Context, e *Env, st *store.Store, file string) (*dsync.Signer, error) {
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return nil, err
	}
	return unlock(ctx, e, st, actor, file)
}

// unlockToExport logs in, checks the user may write the export what, and
// only then asks for the key.
func unlockToExport(ctx context.Context, e *Env, st *store.Store, what, file string) (store.Actor, *dsync.Signer, error) {
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return actor, nil, err
	}
	if err := actor.MayExport(what); err != nil {
		return actor, nil, err
	}
	sg, err := unlock(ctx, e, st, actor, file)
	return actor, sg, err
}

func runKeyShow(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("key show")
	b64 := fs.Bool("base64", false, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	km, err := st.SelfKey(ctx)
	if err != nil {
		return err
	}
	if *b64 {
		fmt.Fprintln(e.Stdout, km.PublicKey)
		return nil
	}
	pub, err := dsync.PublicKeyFile(km.PublicKey)
	if err != nil {
		return err
	}
	fmt.Fprint(e.Stdout, pub)
	e.Printf("batch.key_fingerprint", i18n.Args{"Fingerprint": dsync.Fingerprint(km.KeyID)})
	if km.Recipient != "" {
		e.Printf("batch.key_recipient", i18n.Args{"Recipient": km.Recipient})
	}
	return nil
}

// runKeyIdentity writes this office's encryption identity, unlocked, as a
// stock age identity file: with it anyone can open the office's batches
// with `age -d -i FILE` (docs/batch-format.md §8.5). The file is a secret;
// it is written readable by its owner only, and never over another file.
func runKeyIdentity(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("key identity")
	file := fs.String("passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "key identity --passphrase-file F FILE"})
	}
	// The identity opens every batch sent to this office, names and phone
	// numbers included: the head's alone, and recorded.
	actor, sg, err := unlockToExport(ctx, e, st, store.ExportIdentity, *file)
	if err != nil {
		return err
	}
	id := sg.IdentityFile(time.Now())
	if id == nil {
		return usage("batch.no_identity", nil)
	}
	f, err := os.OpenFile(pos[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return usage("batch.cannot_write", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	if _, err = f.Write(id); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(pos[0])
		return usage("batch.cannot_write", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	if err := st.RecordExport(ctx, actor, store.ExportIdentity, pos[0], 1); err != nil {
		os.Remove(pos[0])
		return err
	}
	fmt.Fprintln(e.Stdout, pos[0])
	e.Warnf("batch.identity_written", i18n.Args{"Recipient": sg.Recipient()})
	return nil
}

func runKeyCreate(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("key create")
	file := fs.String("passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"passphrase-file": *file}); err != nil {
		return err
	}
	pass, err := ReadSecretFile(*file)
	if err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	km, err := dsync.GenerateKey(nil, pass)
	if err != nil {
		return err
	}
	if err := st.CreateSelfKey(ctx, actor, km); err != nil {
		return err
	}
	e.Printf("batch.key_created", i18n.Args{"Fingerprint": dsync.Fingerprint(km.KeyID)})
	return nil
}

func runKeyRotate(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("key rotate")
	file := fs.String("passphrase-file", "", "")
	newFile := fs.String("new-passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"passphrase-file": *file, "new-passphrase-file": *newFile}); err != nil {
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
	pass, err := ReadSecretFile(*newFile)
	if err != nil {
		return err
	}
	km, err := dsync.RotateKey(ctx, st, actor, sg, pass)
	if err != nil {
		return err
	}
	e.Printf("batch.key_rotated", i18n.Args{"Old": dsync.Fingerprint(sg.KeyID()), "New": dsync.Fingerprint(km.KeyID)})
	return nil
}

func runEnrollmentExport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("enrollment export")
	file := fs.String("passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "enrollment export FILE"})
	}
	actor, sg, err := unlockToExport(ctx, e, st, store.ExportEnrollment, *file)
	if err != nil {
		return err
	}
	data, err := dsync.ExportEnrollmentFrom(ctx, st, sg, e.DataDir, time.Now())
	if err != nil {
		return err
	}
	out, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if err := writeNew(out, data); err != nil {
		return err
	}
	if err := st.RecordExport(ctx, actor, store.ExportEnrollment, out, 1); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, out)
	e.Warnf("batch.enrollment_written", i18n.Args{"Fingerprint": dsync.Fingerprint(sg.KeyID())})
	return nil
}

// writeNew writes a file the user named, atomically; an existing file is
// replaced only by the same bytes, never silently by others.
func writeNew(path string, data []byte) error {
	if err := dsync.WriteFileAtomic(filepath.Dir(path), filepath.Base(path), data); err != nil {
		return usage("batch.cannot_write", i18n.Args{"File": path, "Detail": err.Error()})
	}
	return nil
}

func runOfficesEnroll(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("offices enroll")
	fp := fs.String("fingerprint", "", "")
	kindsFlag := fs.String("kinds", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "offices enroll FILE"})
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return usage("cli.read_file", i18n.Args{"File": pos[0], "Detail": err.Error()})
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	var kinds []string
	if *kindsFlag != "" {
		var bad string
		if kinds, bad = domain.ParseDataKinds(*kindsFlag); bad != "" {
			return usage("cli.bad_kinds", i18n.Args{"Kind": vn.Printable(bad)})
		}
		if en, err := dsync.ReadEnrollment(filepath.Base(pos[0]), data); err == nil && en.Office.Role != string(domain.RoleCollector) {
			return usage("cli.kinds_not_collector", i18n.Args{"Code": en.Office.Code})
		}
	}
	en, res, err := dsync.EnrollKinds(ctx, st, actor, filepath.Base(pos[0]), data, *fp, kinds)
	if err != nil {
		return err
	}
	args2 := i18n.Args{"Code": res.Office.Code, "Name": res.Office.Name, "Fingerprint": dsync.Fingerprint(en.Current().KeyID)}
	switch {
	case res.New:
		e.Printf("batch.enrolled_new", args2)
	case len(res.NewKeys) > 0:
		e.Printf("batch.enrolled_rotated", args2)
	default:
		e.Printf("batch.enrolled_same", args2)
	}
	if d, err := st.Destination(ctx, res.Office.ID); err == nil {
		e.Printf("batch.destination_kinds", i18n.Args{"Code": d.Office.Code, "Kinds": i18n.DataKindNames(d.Kinds)})
	}
	// The collecting office's settings, when its file carries them: kept
	// aside to look at and apply (settings apply), never applied unseen.
	if set := en.Settings(); set != nil {
		if path, doc, err := dsync.KeepOffered(ctx, st, e.DataDir, set); err != nil {
			e.Warnf("batch.file_problem", i18n.Args{"File": vn.Printable(filepath.Base(pos[0])), "Reason": i18n.Err(err)})
		} else if path != "" {
			e.Printf("send.new_settings", i18n.Args{"Code": doc.From.Code, "Version": doc.Version, "Path": path})
		}
	}
	// Batches of this office set aside before it was enrolled now import.
	if waiting, err := st.QuarantinedBatches(ctx); err == nil {
		n := 0
		for _, q := range waiting {
			if q.OfficeID == res.Office.ID {
				n++
			}
		}
		if n > 0 {
			e.Printf("batch.waiting_after_enroll", i18n.Args{"Count": n, "Code": res.Office.Code})
		}
	}
	return nil
}

func runOfficesList(ctx context.Context, e *Env, st *store.Store, args []string) error {
	pos, err := ParseFlags(Flags("offices list"), args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	offices, err := st.Offices(ctx)
	if err != nil {
		return err
	}
	for _, o := range offices {
		keys, err := st.OfficeKeys(ctx, o.ID)
		if err != nil {
			return err
		}
		fp := i18n.T("common.none")
		for _, k := range keys {
			if k.Current() {
				fp = dsync.Fingerprint(k.KeyID)
			}
		}
		status := ""
		if d, err := st.Destination(ctx, o.ID); err == nil && !o.Self {
			status = i18n.T("batch.destination_kinds", i18n.Args{"Code": d.Office.Code, "Kinds": i18n.DataKindNames(d.Kinds)})
			if sent, err := st.SentBatchesTo(ctx, o.ID); err == nil {
				status += "; " + i18n.AckLine(dsync.Summarize(sent).Parts())
			}
		} else if !o.Self {
			links, err := st.ChainLinks(ctx, o.ID)
			if err != nil {
				return err
			}
			status = receivedSummary(links)
		}
		fmt.Fprintf(e.Stdout, "%s\t%s\t%s\t%s\t%s\n", o.Code, o.Name, i18n.T("role."+string(o.Role)), fp, status)
	}
	return nil
}

// receivedSummary says "đã nhận lô 1–7; thiếu lô 4" for one office.
func receivedSummary(links []store.ChainLink) string {
	if len(links) == 0 {
		return i18n.T("batch.received_none")
	}
	seqs := make([]int64, len(links))
	for i, l := range links {
		seqs[i] = l.Seq
	}
	s := i18n.T("batch.received_list", i18n.Args{"Seqs": store.SeqRanges(seqs)})
	if m := store.Missing(links); len(m) > 0 {
		s += "; " + i18n.T("batch.missing_list", i18n.Args{"Seqs": store.SeqRanges(m)})
	}
	return s
}
