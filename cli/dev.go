package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"danvan/store"
	"danvan/ui/i18n"
)

// The dev commands are hidden (no help line). They exist for the crash
// harness (scripts/killtest.sh and internal/crashtest): stress-save commits
// records in a loop and prints each id only after its commit returned, and
// stress-check proves afterwards that every printed id survived.
func init() {
	Register(Command{Group: "dev", Sub: "stress-save", Store: true, Run: runStressSave})
	Register(Command{Group: "dev", Sub: "stress-check", Store: true, Run: runStressCheck})
}

// stressForm is the draft form the harness writes. Drafts go through the
// same transaction, WAL and fsync path as every record the store saves.
const stressForm = "dev.stress"

func runStressSave(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("dev stress-save")
	count := fs.Int("count", 1000, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if *count < 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "--count " + strconv.Itoa(*count)})
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(e.Stdout)
	for i := 0; i < *count; i++ {
		id := store.NewID()
		body := fmt.Sprintf(`{"n":%d,"text":"Mô hình nuôi cá lồng số %d"}`, i, i)
		if err := st.SaveDraft(ctx, actor, stressForm, id, body); err != nil {
			return err
		}
		// Flushed line by line: an id is reported only once it is committed.
		fmt.Fprintln(out, id)
		if err := out.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// stress-check --ids FILE: every id in FILE (one a line; a last line cut by
// the kill is ignored) must be stored, and the database must pass
// integrity_check. Prints what is missing; exit 1 if anything is.
func runStressCheck(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("dev stress-check")
	ids := fs.String("ids", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"ids": *ids}); err != nil {
		return err
	}
	data, err := os.ReadFile(*ids)
	if err != nil {
		return usage("cli.read_file", i18n.Args{"File": *ids, "Detail": err.Error()})
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		return err
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	drafts, err := st.Drafts(ctx, actor, stressForm)
	if err != nil {
		return err
	}
	have := make(map[string]bool, len(drafts))
	for _, d := range drafts {
		have[d.Key] = true
	}
	text := string(data)
	lines := strings.Split(text, "\n")
	if !strings.HasSuffix(text, "\n") {
		lines = lines[:len(lines)-1] // the kill may cut the last line short
	}
	missing, checked := 0, 0
	for _, id := range lines {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		checked++
		if !have[id] {
			missing++
			fmt.Fprintln(e.Stdout, "missing "+id)
		}
	}
	fmt.Fprintf(e.Stdout, "checked %d, missing %d, stored %d\n", checked, missing, len(drafts))
	if missing > 0 {
		return &RuleError{Count: missing}
	}
	return nil
}
