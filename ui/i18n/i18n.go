// Package i18n is the one door to translated text. Every string a person
// sees comes from assets/lang through T; none is written in code.
//
// Fyne's lang package picks a language from the operating system. Officers
// choose theirs in Cài đặt instead, so Use loads the chosen language's files
// under every tag Fyne might pick (vi, en and the system's own), which makes
// Fyne's own dialog words follow the choice too.
package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"danvan/assets"
	"danvan/store"
	_ "danvan/ui/i18n/posixlocale" // before Fyne's lang reads the locale

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// Languages lists the shipped languages, Vietnamese first and the default:
// the store's list, which a setting is checked against.
var Languages = store.Languages

var (
	mu      sync.Mutex
	current = ""
)

// Current is the language in use.
func Current() string {
	waitLoads()
	mu.Lock()
	defer mu.Unlock()
	if current == "" {
		return "vi"
	}
	return current
}

// Catalog returns every key and text of one language, merged over all the
// area files. Tests use it to check that both languages have the same keys.
func Catalog(language string) (map[string]string, error) {
	out := map[string]string{}
	files, err := fs.Glob(assets.Lang, path.Join(assets.LangDir, "*."+language+".json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := assets.Lang.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k, v := range m {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("%s: key %q is defined twice", f, k)
			}
			out[k] = v
		}
	}
	return out, nil
}

// Use makes language ("vi" or "en"; anything else means "vi") the language
// of every later T call and of Fyne's own widgets.
func Use(language string) error {
	waitLoads()
	return use(language)
}

// lastLoad is closed when the latest load that UseInBackground started is
// done; nil before the first.
var (
	loadMu   sync.Mutex
	lastLoad atomic.Pointer[chan struct{}]
)

// UseInBackground is Use without waiting: a command line run loads its
// catalogue (about 20 ms) while it opens the data folder. Loads run in the
// order asked for, and Use, T, Err and Current wait for them, so no text is
// ever looked up half loaded. A failed load is passed to onErr.
func UseInBackground(language string, onErr func(error)) {
	loadMu.Lock()
	defer loadMu.Unlock()
	prev := lastLoad.Load()
	done := make(chan struct{})
	lastLoad.Store(&done)
	go func() {
		defer close(done)
		if prev != nil {
			<-*prev
		}
		if err := use(language); err != nil && onErr != nil {
			onErr(err)
		}
	}()
}

func waitLoads() {
	if last := lastLoad.Load(); last != nil {
		<-*last
	}
}

func use(language string) error {
	if language != "en" {
		language = "vi"
	}
	mu.Lock()
	same := current == language
	mu.Unlock()
	if same {
		// Start-up asks for the language up to three times (the command
		// line, the office's setting, the user's); each load parses every
		// message for four locale tags, several megabytes (P7).
		return nil
	}
	cat, err := Catalog(language)
	if err != nil {
		return err
	}
	data, err := json.Marshal(cat)
	if err != nil {
		return err
	}
	if runtime.GOOS != "windows" {
		// Fyne's locale lookup reads LANGUAGE first on these systems, so the
		// officer's choice also decides Fyne's own words.
		os.Setenv("LANGUAGE", language)
	}
	tags := make([]fyne.Locale, 0, len(Languages)+2)
	for _, l := range Languages {
		tags = append(tags, fyne.Locale(l))
	}
	if sys := lang.SystemLocale(); sys != "" {
		for _, t := range []fyne.Locale{sys, fyne.Locale(sys.LanguageString())} {
			// Each tag parses every message again.
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	table.Lock()
	defer table.Unlock()
	singular = map[string]bool{}
	for k := range cat {
		if strings.HasSuffix(k, ".one") {
			singular[strings.TrimSuffix(k, ".one")] = true
		}
	}
	for _, tag := range tags {
		if err := lang.AddTranslationsForLocale(data, tag); err != nil {
			return err
		}
	}
	mu.Lock()
	current = language
	mu.Unlock()
	return nil
}

// table guards Fyne's message table: a language is put in while
// background work (a report, an import) looks messages up.
var table sync.RWMutex

// singular lists the keys that have a "<key>.one" text: English says
// "1 batch", not "1 batches". Vietnamese has no such form, so its catalog
// has none and every count uses the one text.
var singular map[string]bool

// countArgs are the arguments that decide between "<key>.one" and <key>,
// in this order: the first one present counts.
var countArgs = []string{"Count", "Rows", "Units"}

// isOne says whether the deciding count of args is 1 (as a number or as the
// formatted "1").
func isOne(a Args) bool {
	for _, name := range countArgs {
		v, ok := a[name]
		if !ok {
			continue
		}
		switch n := v.(type) {
		case int:
			return n == 1
		case int64:
			return n == 1
		case string:
			return n == "1"
		}
		return false
	}
	return false
}

// Args are the values a message template refers to, e.g. {"Max": 200}.
type Args = map[string]any

// T returns the text for key in the current language, filled with args.
// A key missing from the files comes back as itself, which tests catch.
func T(key string, args ...Args) string {
	waitLoads()
	table.RLock()
	defer table.RUnlock()
	if len(args) > 0 && args[0] != nil {
		if singular[key] && isOne(args[0]) {
			return lang.LocalizeKey(key+".one", key, args[0])
		}
		return lang.LocalizeKey(key, key, args[0])
	}
	return lang.LocalizeKey(key, key)
}

// Err turns an error into a sentence for a person. Errors that carry a
// message code (store.Coded) are looked up as "err.<code>"; the store's error
// kinds have their own keys; anything else gets a generic sentence, and the
// technical cause belongs in the log, not in front of the user.
func Err(err error) string {
	if err == nil {
		return ""
	}
	// A batch refused for a record that breaks the rules: the sentence,
	// then each field with the words its form uses.
	var ir *store.InvalidRecordError
	if errors.As(err, &ir) {
		code, args := ir.MessageCode()
		lines := []string{Capitalize(T("err."+code, args))}
		for _, f := range ir.Problems {
			lines = append(lines, "  "+Field(f))
		}
		return strings.Join(lines, "\n")
	}
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		lines := make([]string, 0, len(ve.Fields))
		for _, f := range ve.Fields {
			lines = append(lines, Field(f))
		}
		return strings.Join(lines, "\n")
	}
	var coded store.Coded
	if errors.As(err, &coded) {
		code, args := coded.MessageCode()
		// An error among the arguments (a cell's own problem inside a row's
		// sentence) is said in its own words.
		for k, a := range args {
			if e, ok := a.(error); ok {
				named := make(Args, len(args))
				for k2, a2 := range args {
					named[k2] = a2
				}
				named[k] = Err(e)
				args = named
			}
		}
		// People read "tháng 12/2026", not the code "2026-M12".
		if v, ok := args["Period"]; ok {
			named := make(Args, len(args))
			for k, a := range args {
				named[k] = a
			}
			named["Period"] = periodInSentence(v)
			args = named
		}
		return Capitalize(T("err."+code, args))
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return T(k.key)
		}
	}
	if diskFull(err) { // a file written outside the store: an export, a report
		return T("err.disk_full")
	}
	return T("err.unexpected", Args{"Detail": err.Error()})
}

// Field writes one field problem as "<Field name>: <problem>".
func Field(f store.FieldError) string {
	return T("field."+f.Field) + ": " + Problem(f)
}

// Problem writes one field problem without the field's name, for the line
// under a form field.
func Problem(f store.FieldError) string {
	return T("err."+f.Code, f.Args)
}

var kinds = []struct {
	err error
	key string
}{
	{store.ErrNotFound, "err.not_found"},
	{store.ErrConflict, "err.conflict"},
	{store.ErrForbidden, "err.forbidden"},
	{store.ErrNotSetUp, "err.not_set_up"},
	{store.ErrAlreadySetUp, "err.already_set_up"},
	{store.ErrLocked, "err.locked"},
	{store.ErrDamaged, "err.damaged"},
	{store.ErrReadOnly, "err.read_only"},
	{store.ErrTooNew, "err.too_new"},
	{store.ErrDiskFull, "err.disk_full"},
}

// diskFull says whether err is the disk having no room left, on Linux and
// on Windows (ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL).
func diskFull(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	return errno == syscall.ENOSPC || runtime.GOOS == "windows" && (errno == 112 || errno == 39)
}
