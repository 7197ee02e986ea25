package cli

import (
	"context"
	"danvan/internal/domain"

	"danvan/internal/i18n"
	"danvan/store"
)

func init() {
	Register(Command{Group: "init", HelpKey: "cli.cmd.init", Store: true, NoSetup: true, Run: runInit})
}

// SetupExtras lets other command files add to the set-up input from their
// own flags (the signing key, the head's account) without this file knowing
// them. Each registers a function in init; it is called after flag parsing.
var setupExtras []func(fs flagSet) func(ctx context.Context, e *Env, in *store.SetupInput) error

type flagSet = interface {
	String(name, value, usage string) *string
}

// AddSetupExtra registers extra init flags and the step that uses them.
func AddSetupExtra(f func(fs flagSet) func(ctx context.Context, e *Env, in *store.SetupInput) error) {
	setupExtras = append(setupExtras, f)
}

func runInit(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("init")
	name := fs.String("office-name", "", "")
	code := fs.String("office-code", "", "")
	kind := fs.String("kind", "", "")
	role := fs.String("role", "", "")
	collector := fs.String("collector-name", "", "")
	place := fs.String("place-name", "", "")
	parent := fs.String("parent-body", "", "")
	language := fs.String("language", "", "")
	var steps []func(ctx context.Context, e *Env, in *store.SetupInput) error
	for _, x := range setupExtras {
		steps = append(steps, x(fs))
	}
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"office-name": *name, "office-code": *code, "kind": *kind, "role": *role, "collector-name": *collector}); err != nil {
		return err
	}
	if ok, err := st.IsSetUp(ctx); err != nil {
		return err
	} else if ok {
		return store.ErrAlreadySetUp
	}
	set := domain.DefaultSettings()
	set.CollectorName = *collector
	set.PlaceName = *place
	set.ParentBody = *parent
	if *language != "" {
		set.Language = *language
	} else if e.Lang != "" {
		set.Language = e.Lang
	}
	in := store.SetupInput{
		Office:   domain.Office{Name: *name, Code: *code, Kind: domain.OfficeKind(*kind), Role: domain.OfficeRole(*role)},
		Settings: set,
	}
	for _, step := range steps {
		if err := step(ctx, e, &in); err != nil {
			return err
		}
	}
	o, err := st.Setup(ctx, in)
	if err != nil {
		return err
	}
	useLang(set.Language)
	e.Printf("cli.init_done", i18n.Args{"Name": o.Name, "Code": o.Code, "Dir": e.DataDir})
	return nil
}
