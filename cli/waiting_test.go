package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
)

// A batch from a commune the collecting office has not enrolled yet is set
// aside and listed; enrolling the commune says it waits, and `batch import
// --waiting` imports it, which releases it (batch format §5.1).
func TestWaitingBatchesImportAfterEnrolling(t *testing.T) {
	sh, shPass := syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	htl, htlPass := syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	carry := t.TempDir()
	mustRun(t, 0, "--data", htl, "enrollment", "export", filepath.Join(carry, "htl.zip"), "--passphrase-file", htlPass)
	mustRun(t, 0, "--data", sh, "offices", "enroll", filepath.Join(carry, "htl.zip"))
	addModel(t, sh, "Nuôi cá lồng")
	batches := t.TempDir()
	mustRun(t, 0, "--data", sh, "batch", "export", "--out", batches, "--passphrase-file", shPass)

	_, errOut := mustRun(t, 1, "--data", htl, "batch", "import", "--passphrase-file", htlPass, batches)
	if !strings.Contains(errOut, "SH") {
		t.Fatalf("a batch from an office not enrolled: %q", errOut)
	}
	// The quarantine lists it: when, what, from whom, why.
	out, _ := mustRun(t, 0, "--data", htl, "batch", "quarantine")
	if !strings.Contains(out, "SH-000001-") || !strings.Contains(out, "SH — UBND xã Suối Hoa") ||
		!strings.Contains(out, "chờ đăng ký đơn vị gửi") || !strings.Contains(out, "1 lô đang cách ly; 1 lô chờ đăng ký đơn vị gửi, 0 lô") {
		t.Errorf("batch quarantine before enrolling: %q", out)
	}
	out, _ = mustRun(t, 0, "--data", htl, "batch", "import", "--waiting", "--passphrase-file", htlPass)
	if !strings.Contains(out, "Không có lô nào đang chờ") {
		t.Errorf("waiting batches of an office still not enrolled were tried: %q", out)
	}

	mustRun(t, 0, "--data", sh, "enrollment", "export", filepath.Join(carry, "sh.zip"), "--passphrase-file", shPass)
	out, _ = mustRun(t, 0, "--data", htl, "offices", "enroll", filepath.Join(carry, "sh.zip"))
	if !strings.Contains(out, "1 lô của SH") || !strings.Contains(out, "--waiting") {
		t.Errorf("enrolling SH did not say its batch waits: %q", out)
	}
	if out, _ := mustRun(t, 0, "--data", htl, "batch", "quarantine"); !strings.Contains(out, "đơn vị đã đăng ký: nhập được") ||
		!strings.Contains(out, "1 lô trong đó nhập được ngay") {
		t.Errorf("batch quarantine after enrolling: %q", out)
	}
	out, _ = mustRun(t, 0, "--data", htl, "batch", "import", "--waiting", "--passphrase-file", htlPass)
	if !strings.Contains(out, "đã nhập lô số 1 của SH") {
		t.Fatalf("import --waiting: %q", out)
	}
	// Imported, it leaves the quarantine.
	if out, _ := mustRun(t, 0, "--data", htl, "batch", "quarantine"); !strings.Contains(out, "Không có lô nào bị cách ly") {
		t.Errorf("batch quarantine after the import: %q", out)
	}
	// A file that is no batch is refused and listed, with its reason.
	junk := filepath.Join(t.TempDir(), "SH-000009-\x1b[2Jjunk.zip")
	os.WriteFile(junk, []byte("không phải lô"), 0o600)
	mustRun(t, 1, "--data", htl, "batch", "import", "--passphrase-file", htlPass, junk)
	out, _ = mustRun(t, 0, "--data", htl, "batch", "quarantine")
	if !strings.Contains(out, "bị từ chối") || !strings.Contains(out, "junk.zip") || strings.Contains(out, "\x1b") ||
		!strings.Contains(out, "1 lô đang cách ly; 0 lô") {
		t.Errorf("batch quarantine with a refused file: %q", out)
	}
	st, err := store.Open(context.Background(), htl)
	if err != nil {
		t.Fatal(err)
	}
	left, _ := st.QuarantinedBatches(context.Background())
	st.Close()
	if len(left) != 0 {
		t.Errorf("still waiting after the import: %+v", left)
	}
	if out, _ := mustRun(t, 0, "--data", htl, "batch", "import", "--waiting"); !strings.Contains(out, "Không có lô nào đang chờ") {
		t.Errorf("a second --waiting: %q", out)
	}
}
