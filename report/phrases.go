package report

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"text/template"

	"danvan/assets"
)

// The print catalogue is loaded once; it is embedded, so a failure is a
// build mistake that the tests catch, not something a user can cause.
var (
	phraseOnce sync.Once
	phraseMap  map[string]string
	phraseErr  error
	tmplMu     sync.Mutex
	tmplCache  = map[string]*template.Template{}
)

func loadPhrases() {
	data, err := assets.Print.ReadFile("print/vi.json")
	if err != nil {
		phraseErr = err
		return
	}
	phraseMap = map[string]string{}
	if phraseErr = json.Unmarshal(data, &phraseMap); phraseErr != nil {
		return
	}
	// Areas keep their own phrases in print/<area>.vi.json, so that two
	// features never edit one file; a key in two files is a build mistake.
	more, _ := fs.Glob(assets.Print, "print/*.vi.json")
	for _, name := range more {
		data, err := assets.Print.ReadFile(name)
		var m map[string]string
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		if err != nil {
			phraseErr = fmt.Errorf("%s: %w", name, err)
			return
		}
		for k, v := range m {
			if _, dup := phraseMap[k]; dup {
				phraseErr = fmt.Errorf("%s: phrase %q is defined twice", name, k)
				return
			}
			phraseMap[k] = v
		}
	}
}

// Phrases returns the whole print catalogue; tests use it.
func Phrases() (map[string]string, error) {
	phraseOnce.Do(loadPhrases)
	return phraseMap, phraseErr
}

// args are the values a phrase template refers to.
type args = map[string]any

// p returns the printed phrase for key, filled with a. A missing key comes
// back as "⟨key⟩" so that a test reading the PDF sees it at once.
func p(key string, a ...args) string {
	phraseOnce.Do(loadPhrases)
	text, ok := phraseMap[key]
	if !ok {
		return "⟨" + key + "⟩"
	}
	if len(a) == 0 || !strings.Contains(text, "{{") {
		return text
	}
	tmplMu.Lock()
	t, ok := tmplCache[key]
	if !ok {
		var err error
		t, err = template.New(key).Option("missingkey=error").Parse(text)
		if err != nil {
			tmplMu.Unlock()
			return fmt.Sprintf("⟨%s: %v⟩", key, err)
		}
		tmplCache[key] = t
	}
	tmplMu.Unlock()
	var b strings.Builder
	if err := t.Execute(&b, a[0]); err != nil {
		return fmt.Sprintf("⟨%s: %v⟩", key, err)
	}
	return b.String()
}
