package sync

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"danvan/store"
)

// vectorTrust is the trust every vector shares: SH enrolled with its key,
// and the collecting office's identity that opens the encrypted vectors.
func vectorTrust(t testing.TB) Trust {
	raw, err := os.ReadFile(filepath.Join(vectorDir, "encrypted"))
	if err != nil {
		t.Fatal(err)
	}
	_, trust, _, _ := parseVector(t, raw)
	return trust
}

// FuzzReadBatch: the reader never panics, and whatever it accepts is the
// canonical encoding of what it read and verifies again.
func FuzzReadBatch(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join(vectorDir, "*"))
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		i := bytes.Index(raw, []byte("\n\n"))
		f.Add(raw[i+2:])
	}
	trust := vectorTrust(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBatch(ctx, trust, "f.zip", data, DefaultLimits)
		if err != nil {
			return
		}
		again, err := ReadBatch(ctx, trust, "f.zip", data, DefaultLimits)
		if err != nil || again.SHA256 != b.SHA256 || len(again.Records) != len(b.Records) {
			t.Fatalf("accepted once, then: %v", err)
		}
		if IsEncrypted(data) { // what was verified is the zip inside
			if data, err = open(trust, data, DefaultLimits); err != nil {
				t.Fatalf("accepted, but does not decrypt again: %v", err)
			}
			if SHA256Hex(data) != b.SHA256 {
				t.Fatal("the batch's hash is not the zip's inside the encryption")
			}
		}
		// Re-encode from what was read: the same bytes.
		members, err := readZip(data, batchMembers, DefaultLimits)
		if err != nil {
			t.Fatalf("accepted, but its members do not read: %v", err)
		}
		var list []member
		for _, n := range batchMembers {
			list = append(list, member{n, members[n]})
		}
		canon, _ := writeZip(list)
		if !bytes.Equal(canon, data) {
			t.Fatal("accepted a file that is not the canonical encoding of its members")
		}
	})
}

// TestByteSweep: every single-byte change of a small batch is refused, and
// the collecting office's data is the same after each attempt.
func TestByteSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("the sweep imports a few thousand files")
	}
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	enroll(t, sh, htl)
	sh.addModel(t, "Nuôi cá lồng")
	res, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(res.Path)
	before := snapshot(t, htl)
	dir := t.TempDir()
	path := filepath.Join(dir, "SH-000001.zip")
	for i := range data {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x01
		if i%7 == 3 {
			bad[i] ^= 0xfe // flip every bit of some bytes, not only the lowest
		}
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		r := ImportFileWith(ctx, htl.st, store.System, htl.dir, path, Options{DryRun: false, Key: htl.sg})
		if r.Err == nil {
			t.Fatalf("byte %d of %d changed, and the batch was accepted", i, len(data))
		}
	}
	// A flip inside the sender's id makes it an unknown office: such files
	// are set aside in quarantine, which is where they belong; they are
	// never imported.
	q, _ := htl.st.QuarantinedBatches(ctx)
	t.Logf("%d changed files quarantined as from unknown offices", len(q))
	if after := snapshot(t, htl); after != before {
		t.Errorf("the collecting office's data changed:\nbefore %s\nafter  %s", before, after)
	}
	// The unchanged file still imports: the sweep refused only changes.
	os.WriteFile(path, data, 0o600)
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, path, Options{DryRun: false, Key: htl.sg}); r.Err != nil {
		t.Fatalf("the original batch: %v", r.Err)
	}
}

// snapshot sums up what the collecting office holds from others.
func snapshot(t *testing.T, o *office) string {
	t.Helper()
	ctx := context.Background()
	var b bytes.Buffer
	offices, _ := o.st.Offices(ctx)
	for _, of := range offices {
		links, _ := o.st.ChainLinks(ctx, of.ID)
		b.WriteString(of.Code)
		for _, l := range links {
			b.WriteString(" " + l.SHA256[:8])
		}
		b.WriteString(";")
	}
	n, _ := o.st.CountModels(ctx, store.ModelFilter{})
	fmt.Fprintf(&b, " models=%d", n)
	return b.String()
}

// TestAppendStringMatchesJSON: the hand-written encoder writes what
// encoding/json writes, so the format stays "JSON as Go writes it".
func TestAppendStringMatchesJSON(t *testing.T) {
	for _, s := range []string{"", "Suối Hoa", "a\"b\\c", "<tag>&", "\x00\x01\x1f\t\n\r\b\f", "\u2028\u2029", "bad \xff utf8", "đ Đ ầ ẫ", "😀"} {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("Suối Hoa <&>")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}
