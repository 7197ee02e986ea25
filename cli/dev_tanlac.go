package cli

import (
	"context"
	"danvan/internal/domain"
	"fmt"

	"danvan/internal/i18n"
	"danvan/internal/tanlac"
	"danvan/store"
)

// dev tanlac --out DIR [--passphrase P] [--merge]: builds the sixteen Tân
// Lạc communes and their collecting office (DIR/BDVTL) through batch
// files, to look at the collecting office's screens with real-looking
// data. Hidden: demo keys use the cheapest scrypt cost, and the
// passphrase is printed.
func init() {
	Register(Command{Group: "dev", Sub: "tanlac", Run: runDevTanlac})
}

func runDevTanlac(ctx context.Context, e *Env, _ *store.Store, args []string) error {
	fs := Flags("dev tanlac")
	out := fs.String("out", "", "")
	pass := fs.String("passphrase", "tanlac-demo", "")
	merge := fs.Bool("merge", false, "")
	year := fs.Int("year", 2024, "")
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
	if *year < domain.MinPeriodYear+5 || *year > domain.MaxPeriodYear {
		return usage("cli.bad_usage", i18n.Args{"Detail": fmt.Sprintf("--year %d", *year)})
	}
	d, err := tanlac.Build(ctx, *out, tanlac.Options{Year: *year, Passphrase: *pass, Merge2025: *merge})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, d.CollectorDir)
	return nil
}
