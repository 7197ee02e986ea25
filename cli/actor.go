package cli

import (
	"context"
	"os"
	"strings"

	"danvan/internal/i18n"
	"danvan/store"
)

// Environment variables that stand in for --user and --password-file, so
// that a scheduled task need not put a login on its command line.
const (
	envUser         = "DANVAN_USER"
	envPasswordFile = "DANVAN_PASSWORD_FILE"
)

// cliActor returns the user a command acts as. A folder with accounts needs
// a login (--user and --password-file, or DANVAN_USER and
// DANVAN_PASSWORD_FILE) and the store then checks that user's role; a
// folder without accounts (set up before accounts existed, or without
// --head-user) acts as the system, as it always did.
func cliActor(ctx context.Context, e *Env, st *store.Store) (store.Actor, error) {
	has, err := st.HasUsers(ctx)
	if err != nil {
		return store.Actor{}, err
	}
	if !has {
		return store.System, nil
	}
	user, pwFile := e.User, e.PasswordFile
	if user == "" {
		user = os.Getenv(envUser)
	}
	if pwFile == "" {
		pwFile = os.Getenv(envPasswordFile)
	}
	if strings.TrimSpace(user) == "" || strings.TrimSpace(pwFile) == "" {
		return store.Actor{}, usage("safety.cli.login_required", nil)
	}
	pw, err := ReadSecretFile(pwFile)
	if err != nil {
		return store.Actor{}, err
	}
	return st.Login(ctx, user, pw)
}

// takeLoginFlags moves --user and --password-file from a command's
// arguments into e, so that they may be written after the command words as
// well as before them ("danvan tallies close --period P --user U
// --password-file F"). init keeps its own --password-file: there it is the
// new head's password.
func takeLoginFlags(e *Env, cmd *Command, args []string) ([]string, error) {
	if cmd.Group == "init" {
		return args, nil
	}
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...), nil
		}
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		var dst *string
		switch name {
		case "user":
			dst = &e.User
		case "password-file":
			dst = &e.PasswordFile
		default:
			out = append(out, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, usage("cli.missing_value", map[string]any{"Flag": "--" + name})
			}
			i++
			val = args[i]
		}
		*dst = val
	}
	return out, nil
}

// dailySnapshot takes the day's automatic snapshot when this is the first
// command of the day on the folder. A failure is only a warning: the
// command itself must still run, and its own errors say more.
func dailySnapshot(ctx context.Context, e *Env, st *store.Store) {
	if _, err := st.DailySnapshot(ctx); err != nil {
		e.Warnf("safety.daily_snapshot_failed", map[string]any{"Detail": i18n.Err(err)})
	}
}
