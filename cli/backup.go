package cli

import (
	"context"
	"os"
	"path/filepath"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

func init() {
	Register(Command{Group: "backup", HelpKey: "safety.cli.cmd.backup", Store: true, Run: runBackup})
	Register(Command{Group: "restore", HelpKey: "safety.cli.cmd.restore", Store: true, NoSetup: true, Run: runRestore})
	Register(Command{Group: "batch", Sub: "recover", HelpKey: "cli.cmd.batch_recover", Store: true, Run: runBatchRecover})
}

// backup [--out FILE]: a copy into FILE (which must not exist) or, without
// --out, a snapshot into the data folder's backups/. Prints the path.
func runBackup(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("backup")
	out := fs.String("out", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		if path, err = st.BackupNow(ctx, actor); err != nil {
			return err
		}
	} else {
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			path = filepath.Join(path, st.BackupName(ctx))
		}
		if err := st.BackupTo(ctx, actor, path); err != nil {
			return err
		}
	}
	e.Printf("safety.cli.backup_done", i18n.Args{"File": path})
	return nil
}

// restore FILE [--passphrase-file F] [--from DIR]: checks FILE, says when
// it is older than the last batch sent, snapshots the current data, then
// replaces it, keeping the chain of batches already sent. With the
// passphrase, what the backup lacks is then taken back from the office's
// own sent batches (batch recover).
func runRestore(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("restore")
	passFile := fs.String("passphrase-file", "", "")
	from := fs.String("from", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("safety.cli.restore_usage", nil)
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	if err := actor.Require(store.PermRestore); err != nil {
		return err
	}
	behind, err := st.RestoreBehind(ctx, pos[0])
	if err != nil {
		return err
	}
	if behind.Behind() {
		e.Warnf("safety.cli.restore_behind", i18n.Args{"Backup": behind.BackupSeq, "Current": behind.CurrentSeq, "Date": vn.FormatDate(behind.CurrentAt)})
	}
	before, err := st.Restore(ctx, actor, pos[0])
	if err != nil {
		return err
	}
	e.Printf("safety.cli.restore_done", i18n.Args{"File": pos[0], "Before": before})
	if *passFile == "" {
		if files := ownSentFiles(ctx, e, st, *from); len(files) > 0 {
			e.Warnf("safety.cli.restore_recover_hint", i18n.Args{"Count": len(files)})
		}
		return nil
	}
	return recoverSent(ctx, e, st, actor, *passFile, *from)
}

// batch recover --passphrase-file F [--from DIR]: takes back from this
// office's own sent batches (the outbox, and DIR) what the data lacks, and
// the chain links no database here remembers.
func runBatchRecover(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("batch recover")
	passFile := fs.String("passphrase-file", "", "")
	from := fs.String("from", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	if err := actor.Require(store.PermRestore); err != nil {
		return err
	}
	return recoverSent(ctx, e, st, actor, *passFile, *from)
}

func ownSentFiles(ctx context.Context, e *Env, st *store.Store, from string) []string {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return nil
	}
	dirs := []string{filepath.Join(e.DataDir, "outbox")}
	if from != "" {
		dirs = append(dirs, from)
	}
	return dsync.OwnBatchFiles(self.Code, dirs)
}

func recoverSent(ctx context.Context, e *Env, st *store.Store, actor store.Actor, passFile, from string) error {
	sg, err := unlock(ctx, e, st, actor, passFile)
	if err != nil {
		return err
	}
	var more []string
	if from != "" {
		more = append(more, from)
	}
	res, problems, err := dsync.RecoverSent(ctx, st, actor, sg, e.DataDir, more)
	if err != nil {
		return err
	}
	for _, p := range problems {
		e.Warnf("batch.recover_unreadable", i18n.Args{"File": filepath.Base(p.Path), "Reason": i18n.Err(p.Err)})
	}
	for _, seq := range res.Conflict {
		e.Warnf("batch.recover_conflict_line", i18n.Args{"Seq": seq})
	}
	e.Printf("batch.recover_done", i18n.Args{"Files": res.Batches, "Linked": res.Linked, "Next": res.LastSeq + 1,
		"New": res.Counts.New, "Updated": res.Counts.Updated})
	if len(problems)+len(res.Conflict) > 0 {
		return &RuleError{Count: len(problems) + len(res.Conflict)}
	}
	return nil
}
