package cli

import (
	"context"
	"os"
	"path/filepath"

	"danvan/store"
	"danvan/ui/i18n"
)

func init() {
	Register(Command{Group: "backup", HelpKey: "safety.cli.cmd.backup", Store: true, Run: runBackup})
	Register(Command{Group: "restore", HelpKey: "safety.cli.cmd.restore", Store: true, Run: runRestore})
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

// restore FILE: checks FILE, snapshots the current data, then replaces it.
func runRestore(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("restore")
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
	before, err := st.Restore(ctx, actor, pos[0])
	if err != nil {
		return err
	}
	e.Printf("safety.cli.restore_done", i18n.Args{"File": pos[0], "Before": before})
	return nil
}
