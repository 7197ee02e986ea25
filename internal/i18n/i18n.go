// Package i18n is the one door to text a person reads: the interface's
// words (assets/lang, in the language chosen: T, Err) and the printed
// documents' fixed phrases (assets/print, always Vietnamese: Print). The
// window, the command line, the server and the reports all look text up
// here, in one way; none is written in code. It has no part of Fyne: the
// window hands Fyne its own words (ui/fynewords.go).
package i18n

import (
	"danvan/internal/domain"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"syscall"
	"text/template"

	"danvan/assets"
	"danvan/store"
)

// Languages lists the shipped languages, Vietnamese first and the default:
// the store's list, which a setting is checked against.
var Languages = domain.Languages

var (
	mu      stdsync.Mutex
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
	loadMu   stdsync.Mutex
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
	if !slices.Contains(Languages, language) {
		language = Languages[0]
	}
	mu.Lock()
	same := current == language
	mu.Unlock()
	if same {
		// Start-up asks for the language up to three times (the command
		// line, the office's setting, the user's).
		return nil
	}
	if _, err := catalog(language); err != nil {
		return err
	}
	mu.Lock()
	current = language
	mu.Unlock()
	return nil
}

// catalogs holds each language's merged catalogue once read, and the
// parsed templates of its messages.
var (
	catalogsMu stdsync.Mutex
	catalogs   = map[string]*messages{}
)

type messages struct {
	text     map[string]string
	singular map[string]bool // keys that have a "<key>.one" text
	mu       stdsync.Mutex
	tmpl     map[string]*template.Template
}

// catalog returns language's messages, reading them on first use.
func catalog(language string) (*messages, error) {
	catalogsMu.Lock()
	defer catalogsMu.Unlock()
	if m, ok := catalogs[language]; ok {
		return m, nil
	}
	text, err := Catalog(language)
	if err != nil {
		return nil, err
	}
	m := newMessages(text)
	catalogs[language] = m
	return m, nil
}

func newMessages(text map[string]string) *messages {
	m := &messages{text: text, singular: map[string]bool{}, tmpl: map[string]*template.Template{}}
	for k := range text {
		if strings.HasSuffix(k, ".one") {
			// English says "1 batch", not "1 batches". Vietnamese has no
			// such form, so its catalogue has none.
			m.singular[strings.TrimSuffix(k, ".one")] = true
		}
	}
	return m
}

// fill is the message key of m filled with a; missing is what a key not
// in the catalogue gives (or a template that fails), and strict makes a
// template's missing argument an error (printed documents) instead of
// nothing (the interface).
func (m *messages) fill(key string, a Args, missing func(string) string, strict bool) string {
	if a != nil && m.singular[key] && isOne(a) {
		key += ".one"
	}
	text, ok := m.text[key]
	if !ok {
		return missing(key)
	}
	if a == nil || !strings.Contains(text, "{{") {
		return text
	}
	m.mu.Lock()
	t, ok := m.tmpl[key]
	if !ok {
		option := "missingkey=zero"
		if strict {
			option = "missingkey=error"
		}
		var err error
		if t, err = template.New(key).Option(option).Parse(text); err != nil {
			m.mu.Unlock()
			return missing(fmt.Sprintf("%s: %v", key, err))
		}
		m.tmpl[key] = t
	}
	m.mu.Unlock()
	var b strings.Builder
	if err := t.Execute(&b, a); err != nil {
		return missing(fmt.Sprintf("%s: %v", key, err))
	}
	return strings.ReplaceAll(b.String(), "<no value>", "")
}

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
	return TIn(Current(), key, args...)
}

// TIn is T in language: the collecting office's server answers every
// refusal in both languages, whatever its own console speaks.
func TIn(language, key string, args ...Args) string {
	if !slices.Contains(Languages, language) {
		language = Languages[0]
	}
	m, err := catalog(language)
	if err != nil {
		return key
	}
	var a Args
	if len(args) > 0 {
		a = args[0]
	}
	return m.fill(key, a, func(string) string { return key }, false)
}

// Has says whether the current language defines key: text that only some
// records have (an audit entry's detail) falls back on its stored words.
func Has(key string) bool {
	m, err := catalog(Current())
	if err != nil {
		return false
	}
	_, ok := m.text[key]
	return ok
}

// Err turns an error into a sentence for a person. Errors that carry a
// message code (domain.Coded) are looked up as "err.<code>"; the store's error
// kinds have their own keys; anything else gets a generic sentence, and the
// technical cause belongs in the log, not in front of the user.
func Err(err error) string { return ErrIn(Current(), err) }

// ErrIn is Err in language.
func ErrIn(language string, err error) string {
	if err == nil {
		return ""
	}
	T := func(key string, args ...Args) string { return TIn(language, key, args...) }
	Field := func(f domain.FieldError) string { return fieldIn(language, f) }
	// An error that puts another's reason in its own sentence (a unit
	// batch refused inside a forwarding batch): that reason in words too.
	var rs interface {
		domain.Coded
		Reason() error
	}
	if errors.As(err, &rs) {
		code, args := rs.MessageCode()
		a := Args{}
		for k, v := range args {
			a[k] = v
		}
		a["Reason"] = ErrIn(language, rs.Reason())
		return Capitalize(T("err."+code, a))
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
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		lines := make([]string, 0, len(ve.Fields))
		for _, f := range ve.Fields {
			lines = append(lines, Field(f))
		}
		return strings.Join(lines, "\n")
	}
	var coded domain.Coded
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
				named[k] = ErrIn(language, e)
				args = named
			}
		}
		// People read "tháng 12/2026", not the code "2026-M12".
		if v, ok := args["Period"]; ok {
			named := make(Args, len(args))
			for k, a := range args {
				named[k] = a
			}
			named["Period"] = periodInSentence(language, v)
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
func Field(f domain.FieldError) string { return fieldIn(Current(), f) }

func fieldIn(language string, f domain.FieldError) string {
	return TIn(language, "field."+f.Field) + ": " + TIn(language, "err."+f.Code, f.Args)
}

// Problem writes one field problem without the field's name, for the line
// under a form field.
func Problem(f domain.FieldError) string {
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
