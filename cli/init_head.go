package cli

import (
	"context"

	"danvan/store"
)

// init --head-user U --password-file F [--head-name NAME] creates the first
// head (lãnh đạo) account with set-up, in the same transaction.
func init() {
	AddSetupExtra(func(fs flagSet) func(ctx context.Context, e *Env, in *store.SetupInput) error {
		user := fs.String("head-user", "", "")
		name := fs.String("head-name", "", "")
		pwFile := fs.String("password-file", "", "")
		return func(ctx context.Context, e *Env, in *store.SetupInput) error {
			switch {
			case *user == "" && *pwFile == "" && *name == "":
				return nil
			case *user == "":
				return usage("cli.missing_flag", map[string]any{"Flag": "--head-user"})
			case *pwFile == "":
				return usage("cli.missing_flag", map[string]any{"Flag": "--password-file"})
			}
			pw, err := ReadSecretFile(*pwFile)
			if err != nil {
				return err
			}
			full := *name
			if full == "" {
				full = *user
			}
			in.Head = &store.NewUser{Username: *user, FullName: full, Password: pw}
			return nil
		}
	})
}
