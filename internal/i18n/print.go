package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	stdsync "sync"

	"danvan/assets"
)

// The printed documents' fixed phrases (assets/print/*.vi.json): always
// Vietnamese, whatever the interface speaks, since an official document is.
// They are looked up like the interface's words (one engine: messages.fill),
// except that a missing phrase or argument shows as "⟨key⟩" in the
// document, where a test reading the PDF sees it at once.

var (
	printOnce stdsync.Once
	printMsgs *messages
	printErr  error
)

func loadPrint() {
	files, err := fs.Glob(assets.Print, "print/*.json")
	if err != nil {
		printErr = err
		return
	}
	sort.Strings(files)
	text := map[string]string{}
	// Areas keep their own phrases in print/<area>.vi.json, so that two
	// features never edit one file; a key in two files is a build mistake.
	for _, name := range files {
		data, err := assets.Print.ReadFile(name)
		var m map[string]string
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		if err != nil {
			printErr = fmt.Errorf("%s: %w", name, err)
			return
		}
		for k, v := range m {
			if _, dup := text[k]; dup {
				printErr = fmt.Errorf("%s: phrase %q is defined twice", name, k)
				return
			}
			text[k] = v
		}
	}
	printMsgs = newMessages(text)
}

// PrintCatalog returns every printed phrase; tests use it.
func PrintCatalog() (map[string]string, error) {
	printOnce.Do(loadPrint)
	if printErr != nil {
		return nil, printErr
	}
	return printMsgs.text, nil
}

// Print returns the printed phrase for key, filled with a.
func Print(key string, a ...Args) string {
	printOnce.Do(loadPrint)
	if printErr != nil {
		return "⟨" + key + ": " + printErr.Error() + "⟩"
	}
	var args Args
	if len(a) > 0 {
		args = a[0]
	}
	return printMsgs.fill(key, args, func(what string) string { return "⟨" + what + "⟩" }, true)
}
