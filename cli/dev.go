package cli

import (
	"bufio"
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"danvan/internal/i18n"
	"danvan/store"
)

// The dev commands are hidden (no help line) and speak only to the crash
// harness (scripts/killtest.sh and internal/crashtest), so their output is
// not translated: stress-save commits models in a loop and prints each id
// only after its commit returned, and stress-check proves afterwards that
// every printed id survived.
func init() {
	Register(Command{Group: "dev", Sub: "stress-save", Store: true, Run: runStressSave})
	Register(Command{Group: "dev", Sub: "stress-check", Store: true, Run: runStressCheck})
}

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
	run := store.NewID()[:8]
	for i := 0; i < *count; i++ {
		// Real models, saved the way the form saves them (with revision,
		// change number and audit row), each with a name of its own.
		m, err := st.SaveModel(ctx, actor, domain.Model{
			Kind:       domain.KindModel,
			Name:       fmt.Sprintf("Nuôi cá lồng thử nghiệm %s-%d", run, i),
			Field:      domain.FieldEconomy,
			Year:       2024,
			Body:       domain.BodyFarmers,
			Location:   "xóm Bưa",
			PersonName: "Bùi Văn Thắng",
			Content:    "Hướng dẫn hộ nghèo nuôi cá lồng.",
			Budget:     150_000_000,
		})
		if err != nil {
			return err
		}
		// Flushed line by line: an id is reported only once it is committed.
		fmt.Fprintln(out, m.ID)
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
	stored, err := st.CountModels(ctx, store.ModelFilter{})
	if err != nil {
		return err
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
		m, err := st.Model(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && m.ID != id) {
			missing++
			fmt.Fprintln(e.Stdout, "missing "+id)
			continue
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Stdout, "checked %d, missing %d, stored %d\n", checked, missing, stored)
	if missing > 0 {
		return &RuleError{Count: missing}
	}
	return nil
}
