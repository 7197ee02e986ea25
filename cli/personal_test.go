package cli

import (
	"context"
	"danvan/internal/domain"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
)

// Lists that leave the office unencrypted carry the personal data the
// officer chose (--personal) or the office's setting: the phone numbers and
// names are left out of the file, not blanked, and the console says what
// the file holds.
func TestPersonalDataInLists(t *testing.T) {
	dir := roundTripOffice(t)
	viRun(t, "--data", dir, "models", "import", writeCSV(t, roundTripModels))
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	out := filepath.Join(t.TempDir(), "ds.csv")
	for _, tc := range []struct {
		flag             []string
		phones, names    bool
		consoleSaysWhich string
	}{
		{nil, true, true, "dữ liệu cá nhân"}, // a commune keeps everything by default
		{[]string{"--personal", "all"}, true, true, "Luật số 91/2025/QH15"},
		{[]string{"--personal", "names"}, false, true, "không có số điện thoại"},
		{[]string{"--personal", "none"}, false, false, "không có họ tên"},
	} {
		said := viRun(t, append([]string{"--data", dir, "models", "export", out}, tc.flag...)...)
		text := read(out)
		if strings.Contains(text, "0989001103") != tc.phones || strings.Contains(text, "Điện thoại") != tc.phones ||
			strings.Contains(text, "Bùi Văn Thắng") != tc.names || strings.Contains(text, "Người phụ trách") != tc.names {
			t.Errorf("%v: phones %v names %v, file:\n%s", tc.flag, tc.phones, tc.names, text)
		}
		if !strings.Contains(said, tc.consoleSaysWhich) {
			t.Errorf("%v: the console says %q", tc.flag, said)
		}
	}
	// The file without phone numbers, imported back, keeps them.
	viRun(t, "--data", dir, "models", "export", out, "--personal", "names")
	if got := viRun(t, "--data", dir, "models", "import", out); !strings.Contains(got, "không đổi 3") {
		t.Errorf("re-import of the list without phones:\n%s", got)
	}
	again := filepath.Join(t.TempDir(), "all.csv")
	viRun(t, "--data", dir, "models", "export", again, "--personal", "all")
	if !strings.Contains(read(again), "0989001103") {
		t.Error("the phone numbers were lost by importing a list without them")
	}

	code, _, stderr := safetyRun(t, "--lang", "vi", "--data", dir, "models", "export", out, "--personal", "some")
	if code != ExitUsage || !strings.Contains(stderr, "--personal") {
		t.Errorf("a bad --personal: exit %d %q", code, stderr)
	}

	// The setting changes the default; the printed list follows it.
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := st.Settings(context.Background())
	set.PersonalInLists = domain.PersonalNone
	if err := st.SaveSettings(context.Background(), store.System, set); err != nil {
		t.Fatal(err)
	}
	st.Close()
	viRun(t, "--data", dir, "models", "export", out)
	if text := read(out); strings.Contains(text, "Bùi Văn Thắng") || strings.Contains(text, "0989001103") {
		t.Errorf("the setting none still exports names:\n%s", text)
	}
	pdftotext := stockTool(t, "pdftotext", "poppler-utils")
	for _, tc := range []struct {
		flag  []string
		names bool
	}{{nil, false}, {[]string{"--personal", "names"}, true}} {
		pdf := filepath.Join(t.TempDir(), "ds.pdf")
		viRun(t, append([]string{"--data", dir, "report", "models", "--period", "2026", "--format", "pdf", "--out", pdf}, tc.flag...)...)
		text, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(text), "Lò Thị Mai") != tc.names || strings.Contains(string(text), "Người phụ") != tc.names {
			t.Errorf("printed list %v: names %v:\n%s", tc.flag, tc.names, text)
		}
		if strings.Contains(string(text), "0989001103") {
			t.Error("a printed list holds a phone number")
		}
	}
}
