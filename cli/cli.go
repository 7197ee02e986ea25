// Package cli is the command line that ships in the same binary as the
// window (../shared/CLI.md is the contract). Each command group lives in its
// own file and registers itself in an init function; this file parses the
// global flags, dispatches, and maps errors to exit codes and to messages in
// the office's language.
//
// cli may import store, sync, report and internal/i18n; it never builds widgets.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

// Exit codes (CLI.md).
const (
	ExitOK       = 0
	ExitRule     = 1 // a rule, check or verification failed
	ExitUsage    = 2 // wrong usage
	ExitOther    = 3 // any other error
	exitOpenGUI  = -1
	envData      = "DANVAN_DATA"
	envLang      = "DANVAN_LANG"
	defaultAppID = "danvan"
)

// Env is what a command runs with.
type Env struct {
	DataDir string
	Lang    string // "" means the office's language
	Version string
	Stdout  io.Writer
	Stderr  io.Writer
	Stdin   io.Reader
	// User and PasswordFile log in on folders that have accounts
	// (--user, --password-file; see actor.go).
	User         string
	PasswordFile string
}

// Command is one CLI command: a group ("models") and, for grouped commands, a
// sub-command ("export"). Run gets the arguments after the command words.
type Command struct {
	Group   string
	Sub     string
	HelpKey string // translation key of the help line, e.g. "cli.cmd.init"
	// Store says whether Run needs the data folder opened (and set up).
	Store bool
	// NoSetup lets a Store command run on a folder that is not set up yet.
	NoSetup bool
	// ReadOnly opens the folder with store.OpenDeferred: the command only
	// reads, and calls st.Checked before it hands on anything it read.
	ReadOnly bool
	// Reads says the command needs nothing written to the folder: on a
	// folder that cannot be written (a write-protected stick) it runs on
	// store.OpenReadOnly instead of being refused.
	Reads bool
	Run   func(ctx context.Context, e *Env, st *store.Store, args []string) error
}

var commands = map[string]*Command{}

// Register adds a command; each command file calls it from init.
func Register(c Command) {
	key := c.Group
	if c.Sub != "" {
		key += " " + c.Sub
	}
	if _, dup := commands[key]; dup {
		panic("cli: command registered twice: " + key)
	}
	commands[key] = &c
}

// UsageError is wrong usage: exit code 2.
type UsageError struct {
	Key  string
	Args i18n.Args
}

func (e *UsageError) Error() string { return "usage: " + e.Key }

// RuleError means a rule, check or verification failed: exit code 1. The
// reasons were already printed, one per line.
type RuleError struct{ Count int }

func (e *RuleError) Error() string { return fmt.Sprintf("%d problems", e.Count) }

func usage(key string, args i18n.Args) error { return &UsageError{Key: key, Args: args} }

// DefaultDataDir is the OS user config dir + /danvan, or DANVAN_DATA.
func DefaultDataDir() string {
	if d := os.Getenv(envData); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, defaultAppID)
}

// Invocation is the parsed global part of a command line.
type Invocation struct {
	Env
	Words []string // command words and their arguments; empty means "open the window"
}

// Parse reads the global flags. It never exits.
func Parse(args []string) (*Invocation, error) {
	inv := &Invocation{Env: Env{DataDir: DefaultDataDir(), Lang: os.Getenv(envLang)}}
	for len(args) > 0 {
		a := args[0]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			break
		}
		switch name {
		case "data", "lang", "user", "password-file":
			if !hasVal {
				if len(args) < 2 {
					return inv, usage("cli.missing_value", i18n.Args{"Flag": "--" + name})
				}
				val, args = args[1], args[1:]
			}
			switch name {
			case "data":
				inv.DataDir = val
			case "lang":
				inv.Lang = val
			case "user":
				inv.User = val
			case "password-file":
				inv.PasswordFile = val
			}
		case "help", "h":
			args = []string{"help"}
			continue
		case "version":
			args = []string{"version"}
			continue
		default:
			return inv, usage("cli.unknown_flag", i18n.Args{"Flag": a})
		}
		args = args[1:]
	}
	inv.Words = args
	return inv, nil
}

// OpensWindow reports whether the invocation has no command.
func (inv *Invocation) OpensWindow() bool { return len(inv.Words) == 0 }

// Run runs the command and returns the exit code. Messages go to Stderr in
// the office's language unless --lang says otherwise.
func Run(ctx context.Context, inv *Invocation) int {
	e := &inv.Env
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if e.Stdin == nil {
		e.Stdin = os.Stdin
	}
	// The catalogue loads while the command starts and opens the data
	// folder; the first message waits for it.
	useLangInBackground(e.Lang)
	cmd, rest := lookup(inv.Words)
	if cmd == nil {
		name := strings.Join(inv.Words, " ")
		if len(inv.Words) > 0 {
			if _, ok := groups()[inv.Words[0]]; ok {
				name = inv.Words[0] + " …"
			}
		}
		return report(e, usage("cli.unknown_command", i18n.Args{"Name": name}))
	}
	rest, err := takeLoginFlags(e, cmd, rest)
	if err != nil {
		return report(e, err)
	}
	if !cmd.Store {
		return report(e, cmd.Run(ctx, e, nil, rest))
	}
	open := store.Open
	if cmd.ReadOnly {
		open = store.OpenDeferred
	}
	st, err := open(ctx, e.DataDir)
	if cmd.Reads {
		st, err = orReadOnly(ctx, e, st, err)
	}
	if err != nil {
		return report(e, err)
	}
	defer st.Close()
	if e.Lang == "" {
		if set, err := st.Settings(ctx); err == nil {
			useLangInBackground(set.Language)
		}
	}
	if !cmd.NoSetup {
		if ok, err := st.IsSetUp(ctx); err != nil {
			return report(e, err)
		} else if !ok {
			return report(e, store.ErrNotSetUp)
		}
		if !st.ReadOnly() {
			dailySnapshot(ctx, e, st)
		}
	}
	return report(e, cmd.Run(ctx, e, st, rest))
}

// orReadOnly is what open gave, or, for a folder it refused because it
// cannot be written, the folder opened read-only (and the user told so).
func orReadOnly(ctx context.Context, e *Env, st *store.Store, err error) (*store.Store, error) {
	if !errors.Is(err, store.ErrReadOnly) {
		return st, err
	}
	if st, err = store.OpenReadOnly(ctx, e.DataDir); err == nil {
		e.Warnf("cli.read_only_mode", i18n.Args{"Dir": e.DataDir})
	}
	return st, err
}

func useLang(l string) {
	if err := i18n.Use(l); err != nil {
		fmt.Fprintln(os.Stderr, "danvan: translations:", err)
	}
}

func useLangInBackground(l string) {
	i18n.UseInBackground(l, func(err error) { fmt.Fprintln(os.Stderr, "danvan: translations:", err) })
}

func lookup(words []string) (*Command, []string) {
	if len(words) >= 2 {
		if c, ok := commands[words[0]+" "+words[1]]; ok {
			return c, words[2:]
		}
	}
	if len(words) >= 1 {
		if c, ok := commands[words[0]]; ok {
			return c, words[1:]
		}
	}
	return nil, nil
}

func groups() map[string]bool {
	g := map[string]bool{}
	for _, c := range commands {
		g[c.Group] = true
	}
	return g
}

// report prints err in the user's language and returns the exit code.
func report(e *Env, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	var re *RuleError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(e.Stderr, i18n.T(ue.Key, ue.Args))
		return ExitUsage
	case errors.As(err, &re):
		return ExitRule
	default:
		fmt.Fprintln(e.Stderr, i18n.Err(err))
		return ExitOther
	}
}

// Flags makes a flag set whose errors come back as UsageErrors in the
// user's language instead of being printed in English by package flag.
func Flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// ParseFlags parses fs over args, allowing flags and positional arguments to
// be mixed ("models import a.csv --dry-run"), and returns the positionals.
func ParseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func flagError(err error) error {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return usage("cli.unknown_flag", i18n.Args{"Flag": strings.TrimPrefix(msg, "flag provided but not defined: ")})
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return usage("cli.missing_value", i18n.Args{"Flag": strings.TrimPrefix(msg, "flag needs an argument: ")})
	case errors.Is(err, flag.ErrHelp):
		return usage("cli.bad_usage", i18n.Args{"Detail": "-h"})
	}
	return usage("cli.bad_usage", i18n.Args{"Detail": msg})
}

// Require returns a UsageError naming the first empty required flag.
func Require(flags map[string]string) error {
	names := make([]string, 0, len(flags))
	for n := range flags {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.TrimSpace(flags[n]) == "" {
			return usage("cli.missing_flag", i18n.Args{"Flag": "--" + n})
		}
	}
	return nil
}

// NoArgs refuses positional arguments a command does not take.
func NoArgs(pos []string) error {
	if len(pos) > 0 {
		return usage("cli.extra_args", i18n.Args{"Args": strings.Join(pos, " ")})
	}
	return nil
}

// ReadSecretFile reads a passphrase or password file, dropping one trailing
// new line, the way shells and editors leave it.
func ReadSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usage("cli.read_file", i18n.Args{"File": path, "Detail": err.Error()})
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	return s, nil
}

// Printf writes a translated line to Stdout.
func (e *Env) Printf(key string, args ...i18n.Args) {
	fmt.Fprintln(e.Stdout, i18n.T(key, printable(args)...))
}

// printable escapes the string arguments of a line for the terminal: a
// file name from a USB stick or a value read from a batch may hold
// escape sequences or bidirectional overrides.
func printable(args []i18n.Args) []i18n.Args {
	if len(args) == 0 || args[0] == nil {
		return args
	}
	out := make(i18n.Args, len(args[0]))
	for k, v := range args[0] {
		if s, ok := v.(string); ok {
			v = vn.Printable(s)
		}
		out[k] = v
	}
	return []i18n.Args{out}
}

// Warnf writes a translated line to Stderr.
func (e *Env) Warnf(key string, args ...i18n.Args) {
	fmt.Fprintln(e.Stderr, i18n.T(key, printable(args)...))
}

// Fail reports an error met before a command ran (bad global flags) and
// returns its exit code.
func Fail(inv *Invocation, err error) int {
	e := &inv.Env
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	useLang(e.Lang)
	return report(e, err)
}
