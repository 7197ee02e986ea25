package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

func init() {
	Register(Command{Group: "settings", Sub: "publish", HelpKey: "cli.cmd.settings_publish", Store: true, Run: runSettingsPublish})
	Register(Command{Group: "settings", Sub: "apply", HelpKey: "cli.cmd.settings_apply", Store: true, Run: runSettingsApply})
}

// runSettingsPublish is `danvan settings publish --out FILE`: a collecting
// office signs its settings and TTHC field list for its units.
func runSettingsPublish(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("settings publish")
	out := fs.String("out", "", "")
	file := fs.String("passphrase-file", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"out": *out}); err != nil {
		return err
	}
	actor, sg, err := unlockToExport(ctx, e, st, store.ExportEnrollment, *file)
	if err != nil {
		return err
	}
	data, d, err := dsync.PublishSettings(ctx, st, actor, sg, e.DataDir, time.Now())
	if err != nil {
		return err
	}
	path, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, d.FileName())
	}
	if err := writeNew(path, data); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, path)
	e.Warnf("settings.published", i18n.Args{"Version": d.Version, "Fields": len(d.Fields)})
	return nil
}

// runSettingsApply is `danvan settings apply FILE [--dry-run]`: a unit
// shows what its collecting office's settings change, then applies them.
func runSettingsApply(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("settings apply")
	dry := fs.Bool("dry-run", false, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "settings apply FILE [--dry-run]"})
	}
	data, err := dsync.ReadFile(pos[0], dsync.Limits{File: 1 << 20, Member: 1 << 20, Total: 1 << 20})
	if err != nil {
		return usage("cli.read_file", i18n.Args{"File": vn.Printable(pos[0]), "Detail": err.Error()})
	}
	name := filepath.Base(pos[0])
	var d *dsync.SettingsDoc
	var plan store.PublishedPlan
	if *dry {
		d, plan, err = dsync.PlanSettings(ctx, st, name, data)
	} else {
		var actor store.Actor
		if actor, err = cliActor(ctx, e, st); err != nil {
			return err
		}
		d, plan, err = dsync.ApplySettings(ctx, st, actor, name, data)
	}
	if err != nil {
		fmt.Fprintln(e.Stderr, i18n.T("batch.file_problem", i18n.Args{"File": vn.Printable(name), "Reason": i18n.Err(err)}))
		return &RuleError{Count: 1}
	}
	args2 := i18n.Args{"Code": d.From.Code, "Version": d.Version, "Count": len(plan.Changes)}
	switch {
	case len(plan.Changes) == 0:
		e.Printf("settings.no_change", args2)
	case *dry:
		e.Printf("settings.would_change", args2)
	default:
		e.Printf("settings.applied", args2)
	}
	for _, l := range i18n.PublishedLines(plan.Changes) {
		fmt.Fprintln(e.Stdout, "  "+l)
	}
	return nil
}
