package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	reports "danvan/report"
)

// scanQR prints a report to PDF and reads its QR code back with stock
// zbarimg from the page at 150 dpi, as a phone reads paper.
func scanQR(t *testing.T, dir string, args ...string) string {
	t.Helper()
	zbar := stockTool(t, "zbarimg", "zbar-tools")
	pdftoppm := stockTool(t, "pdftoppm", "poppler-utils")
	pdf := filepath.Join(t.TempDir(), "in.pdf")
	viRun(t, append(append([]string{"--data", dir, "report"}, args...), "--format", "pdf", "--out", pdf)...)
	png := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command(pdftoppm, "-png", "-r", "150", pdf, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	pages, _ := filepath.Glob(png + "*.png")
	for _, p := range pages {
		out, err := exec.Command(zbar, "-q", "--raw", p).Output()
		if err == nil && len(out) > 0 {
			return strings.TrimSpace(string(out))
		}
	}
	t.Fatalf("zbarimg found no QR code on the %d pages of %s", len(pages), pdf)
	return ""
}

// A printout's QR code, scanned from the page, is checked against the
// data folder and against the files the commune and the collecting office
// hold: before any batch (the figures' fingerprint), after the batch that
// carries them (the batch's hash and the sent file's), and it stops
// matching when the figures or the file change.
func TestQRCheck(t *testing.T) {
	sh, shPass := syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	htl, htlPass := syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	carry := t.TempDir()
	mustRun(t, 0, "--data", sh, "enrollment", "export", filepath.Join(carry, "sh.zip"), "--passphrase-file", shPass)
	mustRun(t, 0, "--data", htl, "offices", "enroll", filepath.Join(carry, "sh.zip"))
	mustRun(t, 0, "--data", htl, "enrollment", "export", filepath.Join(carry, "htl.zip"), "--passphrase-file", htlPass)
	mustRun(t, 0, "--data", sh, "offices", "enroll", filepath.Join(carry, "htl.zip"))
	viRunExit(t, 1, "--data", sh, "tallies", "import", writeCSV(t, roundTripTallies))

	// Before a batch: the figures' fingerprint, matched by rebuilding.
	figures := scanQR(t, sh, "tally", "--period", "2024-M04")
	if !strings.HasPrefix(figures, "DANVAN2;SH;2024-M04;D;") {
		t.Fatalf("QR before a batch = %q", figures)
	}
	out := viRun(t, "--data", sh, "qr", "check", figures)
	if !strings.Contains(out, "KHỚP: số liệu in trùng với Biểu 06") {
		t.Errorf("qr check of the figures:\n%s", out)
	}
	out = viRunExit(t, 1, "--data", sh, "qr", "check", figures, filepath.Join(carry, "sh.zip"))
	if !strings.Contains(out, "không phải của một tệp") {
		t.Errorf("a figures code against a file:\n%s", out)
	}

	// After the batch: the code is the batch's, and names the sent file.
	mustRun(t, 0, "--data", sh, "batch", "export", "--out", carry, "--passphrase-file", shPass)
	batch := scanQR(t, sh, "tally", "--period", "2024-M04")
	q, err := reports.ParseQR(batch)
	if err != nil || !q.FromBatch || q.FileHash == "" || q.FileHash == q.SHA256 {
		t.Fatalf("QR after the batch = %q (%+v, %v)", batch, q, err)
	}
	out = viRun(t, "--data", sh, "qr", "check", batch)
	if !strings.Contains(out, "KHỚP: lô số 1") || !strings.Contains(out, "còn nguyên") {
		t.Errorf("qr check at the commune:\n%s", out)
	}
	sent, _ := filepath.Glob(filepath.Join(sh, "outbox", "*"))
	if len(sent) != 1 {
		t.Fatalf("outbox = %v", sent)
	}
	out = viRun(t, "--data", sh, "qr", "check", batch, sent[0])
	if !strings.Contains(out, "KHỚP: "+filepath.Base(sent[0])+" đúng là tệp đã gửi đi") {
		t.Errorf("qr check of the outbox file:\n%s", out)
	}
	// Anyone with the file can check it, without a data folder.
	out = viRun(t, "--data", filepath.Join(t.TempDir(), "none"), "qr", "check", batch, sent[0])
	if !strings.Contains(out, "KHỚP") {
		t.Errorf("qr check without a data folder:\n%s", out)
	}
	// The collecting office, after importing, finds it among what arrived.
	mustRun(t, 0, "--data", htl, "batch", "import", "--passphrase-file", htlPass, carry)
	out = viRun(t, "--data", htl, "qr", "check", batch)
	if !strings.Contains(out, "KHỚP: lô số 1 của SH") || !strings.Contains(out, "mã QR là của đơn vị SH") {
		t.Errorf("qr check at the collecting office:\n%s", out)
	}

	// A changed file, a changed outbox, changed figures: no match, exit 1.
	forged := filepath.Join(t.TempDir(), filepath.Base(sent[0]))
	data, _ := os.ReadFile(sent[0])
	os.WriteFile(forged, append(data, 0), 0o600)
	out = viRunExit(t, 1, "--data", sh, "qr", "check", batch, forged)
	if !strings.Contains(out, "KHÔNG KHỚP") {
		t.Errorf("a changed file:\n%s", out)
	}
	os.WriteFile(sent[0], append(data, 0), 0o600)
	out = viRunExit(t, 1, "--data", sh, "qr", "check", batch)
	if !strings.Contains(out, "KHÔNG KHỚP: tệp trong hộp thư đi") {
		t.Errorf("a changed outbox file:\n%s", out)
	}
	viRunExit(t, 1, "--data", sh, "tallies", "import", writeCSV(t, tallyHeader+"2024-M04;Đất đai;121;101;20;;100;;;;21;21;0\n"))
	out = viRunExit(t, 1, "--data", sh, "qr", "check", figures)
	if !strings.Contains(out, "KHÔNG KHỚP: không báo cáo kỳ 2024-M04") {
		t.Errorf("changed figures:\n%s", out)
	}

	// Text that is not a danvan code, or is an attack on the terminal.
	for _, bad := range []string{"https://example.com", "DANVAN2;SH;2024-M04;D;xyz", "DANVAN2;S\x1b[2JH;2024;D;" + strings.Repeat("a", 64), strings.Repeat("A", 4096)} {
		code, _, stderr := safetyRun(t, "--lang", "vi", "--data", sh, "qr", "check", bad)
		if code == 0 || !strings.Contains(stderr, "không phải nội dung mã QR") || strings.Contains(stderr, "\x1b") {
			t.Errorf("qr check %q: exit %d, %q", bad, code, stderr)
		}
	}
}
