package ui

import (
	"os"
	"path"
	"runtime"
	"slices"
	stdsync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"danvan/assets"
	"danvan/internal/i18n"
	_ "danvan/ui/posixlocale" // before Fyne's lang reads the locale
)

// Fyne's own widgets (the file dialogs' buttons, a text field's menu) look
// their words up in Fyne's lang package, which picks a language from the
// operating system. Officers choose theirs in Cài đặt instead, so the
// chosen language's Fyne words (assets/lang/fyne.<lang>.json) are loaded
// under every tag Fyne might pick: the shipped languages and the system's.

var (
	fyneWordsMu   stdsync.Mutex
	fyneWordsLang string
)

// useLanguage makes language the language of the interface's words
// (i18n.Use) and of Fyne's own.
func useLanguage(language string) error {
	if err := i18n.Use(language); err != nil {
		return err
	}
	return fyneWords(i18n.Current())
}

func fyneWords(language string) error {
	fyneWordsMu.Lock()
	defer fyneWordsMu.Unlock()
	if fyneWordsLang == language {
		return nil
	}
	data, err := assets.Lang.ReadFile(path.Join(assets.LangDir, "fyne."+language+".json"))
	if err != nil {
		return err
	}
	if runtime.GOOS != "windows" {
		// Fyne's locale lookup reads LANGUAGE first on these systems.
		os.Setenv("LANGUAGE", language)
	}
	tags := make([]fyne.Locale, 0, len(i18n.Languages)+2)
	for _, l := range i18n.Languages {
		tags = append(tags, fyne.Locale(l))
	}
	if sys := lang.SystemLocale(); sys != "" {
		for _, t := range []fyne.Locale{sys, fyne.Locale(sys.LanguageString())} {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	for _, tag := range tags {
		if err := lang.AddTranslationsForLocale(data, tag); err != nil {
			return err
		}
	}
	fyneWordsLang = language
	return nil
}
