package report

import "danvan/internal/i18n"

// Phrases returns the whole print catalogue; tests use it.
func Phrases() (map[string]string, error) { return i18n.PrintCatalog() }

// args are the values a phrase template refers to.
type args = map[string]any

// p returns the printed phrase for key, filled with a (i18n.Print: always
// Vietnamese). A missing key comes back as "⟨key⟩" so that a test reading
// the PDF sees it at once.
func p(key string, a ...args) string { return i18n.Print(key, a...) }
