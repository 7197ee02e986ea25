package vn

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"SH-000001-20261207.zip.age", "SH-000001-20261207.zip.age"},
		{"Nuôi ong lấy mật ở bản Huổi Sứa", "Nuôi ong lấy mật ở bản Huổi Sứa"},
		{"evil\x1b[2J\x1b]0;pwned\x07.zip", `evil\x1b[2J\x1b]0;pwned\x07.zip`},
		{"a\x00b", `a\x00b`},
		{"manifest\u202egpj.exe", `manifest\u202egpj.exe`},
		{"line\u2028break\r\n", `line\u2028break\x0d\x0a`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"c1\u009bcsi", `c1\u009bcsi`},
	} {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "SH.zip", "\x1b[31m", "\u202e", "Huổi Sứa", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || unsafeRune(r) {
				t.Fatalf("Printable(%q) = %q still holds %U", s, out, r)
			}
		}
		if !needsEscape(s) && out != s {
			t.Fatalf("Printable changed clean text %q to %q", s, out)
		}
		if strings.Count(out, `\`) < strings.Count(s, `\`) {
			t.Fatalf("backslashes lost")
		}
	})
}
