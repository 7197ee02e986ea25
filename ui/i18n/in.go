package i18n

import (
	"errors"
	"strings"
	stdsync "sync"
	"text/template"

	"danvan/store"
)

// ErrIn is Err in a language chosen by the caller rather than the one in
// use: the collecting office's server answers every refusal in both
// languages, whatever its own console speaks.
func ErrIn(language string, err error) string {
	if err == nil {
		return ""
	}
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		lines := make([]string, 0, len(ve.Fields))
		for _, f := range ve.Fields {
			lines = append(lines, TIn(language, "field."+f.Field)+": "+TIn(language, "err."+f.Code, f.Args))
		}
		return strings.Join(lines, "\n")
	}
	var coded store.Coded
	if errors.As(err, &coded) {
		code, args := coded.MessageCode()
		return TIn(language, "err."+code, args)
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return TIn(language, k.key)
		}
	}
	return TIn(language, "err.unexpected", Args{"Detail": err.Error()})
}

var (
	catalogsMu stdsync.Mutex
	catalogs   = map[string]map[string]string{}
)

// TIn is T in language ("vi" or "en").
func TIn(language, key string, args ...Args) string {
	if language != "en" {
		language = "vi"
	}
	catalogsMu.Lock()
	cat, ok := catalogs[language]
	if !ok {
		c, err := Catalog(language)
		if err == nil {
			catalogs[language], cat = c, c
		}
	}
	catalogsMu.Unlock()
	text, ok := cat[key]
	if !ok {
		return key
	}
	if len(args) == 0 || args[0] == nil || !strings.Contains(text, "{{") {
		return text
	}
	t, err := template.New(key).Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if t.Execute(&b, args[0]) != nil {
		return text
	}
	return strings.ReplaceAll(b.String(), "<no value>", "")
}
