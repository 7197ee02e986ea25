package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"danvan/internal/i18n"
	"danvan/store"
)

func init() {
	Register(Command{Group: "help", HelpKey: "cli.cmd.help", Run: runHelp})
	Register(Command{Group: "version", HelpKey: "cli.cmd.version", Run: runVersion})
}

func runHelp(_ context.Context, e *Env, _ *store.Store, _ []string) error {
	var keys []string
	for _, c := range commands {
		keys = append(keys, c.HelpKey)
	}
	sort.Strings(keys)
	order := map[string]int{"cli.cmd.help": 0, "cli.cmd.version": 1, "cli.cmd.init": 2}
	sort.SliceStable(keys, func(i, j int) bool {
		oi, iok := order[keys[i]]
		oj, jok := order[keys[j]]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		}
		return false
	})
	var b strings.Builder
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] || k == "" { // hidden commands have no help line
			continue
		}
		seen[k] = true
		b.WriteString("  ")
		b.WriteString(strings.ReplaceAll(i18n.T(k), "\n", "\n  "))
		b.WriteString("\n")
	}
	fmt.Fprintln(e.Stdout, i18n.T("cli.usage", i18n.Args{"Commands": b.String(), "DefaultDir": DefaultDataDir()}))
	return nil
}

func runVersion(_ context.Context, e *Env, _ *store.Store, _ []string) error {
	e.Printf("app.version", i18n.Args{"Version": e.Version})
	return nil
}
