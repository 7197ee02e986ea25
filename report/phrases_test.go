package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"danvan/assets"
)

// TestPhrasesUsedExist: every literal phrase key in this package is in the
// print catalogue, so that no document prints "⟨key⟩".
func TestPhrasesUsedExist(t *testing.T) {
	cat, err := Phrases()
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bp\("([a-z0-9_.]+)"[,)]`) // keys built by concatenation are checked below
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if _, ok := cat[m[1]]; !ok {
				t.Errorf("%s: phrase %q is not in assets/print", f, m[1])
			}
		}
	}
	var built []string
	for _, f := range modelFields {
		built = append(built, "field."+f)
	}
	for _, k := range []string{"xa", "phuong", "thitran", "huyen", "tinh", "khac"} {
		built = append(built, "area."+k, "office_kind."+k)
	}
	for c := 3; c <= 13; c++ {
		built = append(built, "tally.col."+itoa(c))
	}
	for _, r := range []string{"received", "processed", "in_progress", "balance", "carried"} {
		built = append(built, "mismatch."+r)
	}
	built = append(built, "period.h1", "period.h2")
	for _, k := range built {
		if _, ok := cat[k]; !ok {
			t.Errorf("phrase %q is missing", k)
		}
	}
}

// TestErrorMessagesExist: the codes this package's errors carry have a
// sentence in both interface languages.
func TestErrorMessagesExist(t *testing.T) {
	codes := []string{"report_write", "report_format", "report_kind", "report_unavailable", "report_period_required"}
	for _, k := range append(Kinds, "table") {
		if k == KindCompleteness {
			continue // the collecting office's file names its own
		}
		code, _ := (&NoDataError{Report: string(k)}).MessageCode()
		codes = append(codes, code)
	}
	for _, lang := range []string{"vi", "en"} {
		data, err := assets.Lang.ReadFile("lang/report." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if strings.TrimSpace(m["err."+c]) == "" {
				t.Errorf("%s: no text for err.%s", lang, c)
			}
		}
	}
}
