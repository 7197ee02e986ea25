package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportingLinesCLI: the command line of issue 28, as CLI.md writes
// it. A commune enrolls the province's two collecting offices by kind and
// gets one batch for each; the Văn phòng publishes its settings and the
// commune previews them; a province forwards to the centre with batch
// export --to; the Văn phòng lists who has not reported.
func TestReportingLinesCLI(t *testing.T) {
	sh, shPass := syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	btg, btgPass := syncInit(t, "BTG", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "tinh", "collector")
	vp, vpPass := syncInit(t, "VPUB", "Văn phòng UBND tỉnh", "tinh", "collector")
	tw, twPass := syncInit(t, "VPCP", "Văn phòng Chính phủ", "khac", "collector")
	carry := t.TempDir()
	file := func(name string) string { return filepath.Join(carry, name) }
	for _, o := range []struct{ dir, pass, name string }{{sh, shPass, "sh.zip"}, {btg, btgPass, "btg.zip"}, {vp, vpPass, "vp.zip"}, {tw, twPass, "tw.zip"}} {
		mustRun(t, 0, "--data", o.dir, "enrollment", "export", file(o.name), "--passphrase-file", o.pass)
	}
	mustRun(t, 2, "--data", sh, "offices", "enroll", file("btg.zip"), "--kinds", "models,budget")
	out, _ := mustRun(t, 0, "--data", sh, "offices", "enroll", file("btg.zip"), "--kinds", "models")
	if !strings.Contains(out, "BTG nhận: mô hình, điển hình") {
		t.Errorf("enroll BTG said:\n%s", out)
	}
	mustRun(t, 0, "--data", sh, "offices", "enroll", file("vp.zip"), "--kinds", "tallies")
	mustRun(t, 0, "--data", btg, "offices", "enroll", file("sh.zip"))
	mustRun(t, 0, "--data", vp, "offices", "enroll", file("sh.zip"))
	mustRun(t, 2, "--data", vp, "offices", "enroll", file("sh.zip"), "--kinds", "models")
	out, _ = mustRun(t, 0, "--data", sh, "offices", "list")
	if !strings.Contains(out, "VPUB nhận: hồ sơ TTHC") {
		t.Errorf("offices list:\n%s", out)
	}

	addModel(t, sh, "Nuôi cá lồng")
	mustRun(t, 2, "--data", sh, "batch", "export", "--to", "XX", "--passphrase-file", shPass)
	out, errOut := mustRun(t, 0, "--data", sh, "batch", "export", "--passphrase-file", shPass)
	paths := strings.Fields(out)
	if len(paths) != 2 || !strings.Contains(paths[1], filepath.Join("outbox", "VPUB")) || !strings.Contains(errOut, "gửi VPUB") {
		t.Fatalf("batch export wrote %q\n%s", paths, errOut)
	}
	mustRun(t, 0, "--data", btg, "batch", "import", "--passphrase-file", btgPass, paths[0])
	mustRun(t, 0, "--data", vp, "batch", "import", "--passphrase-file", vpPass, paths[1])
	mustRun(t, 1, "--data", btg, "batch", "verify", "--passphrase-file", btgPass, paths[1]) // encrypted to VPUB, not to BTG

	// Settings: published by the Văn phòng, previewed and applied at SH;
	// BTG's are not SH's tally settings.
	mustRun(t, 0, "--data", vp, "settings", "publish", "--out", carry, "--passphrase-file", vpPass)
	mustRun(t, 0, "--data", btg, "settings", "publish", "--out", carry, "--passphrase-file", btgPass)
	out, _ = mustRun(t, 0, "--data", sh, "settings", "apply", file("VPUB-settings-v1.zip"), "--dry-run")
	if !strings.Contains(out, "chưa áp dụng") || !strings.Contains(out, "Cơ quan nhận báo cáo:") {
		t.Errorf("settings apply --dry-run:\n%s", out)
	}
	_, errOut = mustRun(t, 1, "--data", sh, "settings", "apply", file("BTG-settings-v1.zip"))
	if !strings.Contains(errOut, "không nhận báo cáo hồ sơ TTHC") {
		t.Errorf("BTG's settings at SH: %s", errOut)
	}
	mustRun(t, 0, "--data", sh, "settings", "apply", file("VPUB-settings-v1.zip"))

	// The Văn phòng reports up to the centre, forwarding SH's batch.
	mustRun(t, 0, "--data", vp, "offices", "enroll", file("tw.zip"), "--kinds", "tallies")
	mustRun(t, 0, "--data", tw, "offices", "enroll", file("vp.zip"))
	out, errOut = mustRun(t, 0, "--data", vp, "batch", "export", "--to", "VPCP", "--passphrase-file", vpPass)
	if !strings.Contains(errOut, "chuyển lên nguyên vẹn 1 lô") {
		t.Errorf("forwarding said: %s", errOut)
	}
	mustRun(t, 0, "--data", tw, "batch", "import", "--passphrase-file", twPass, strings.TrimSpace(out))
	out, _ = mustRun(t, 0, "--data", tw, "offices", "list")
	if !strings.Contains(out, "SH\tUBND xã Suối Hoa") {
		t.Errorf("the centre does not know SH:\n%s", out)
	}

	// Who has not reported, to paste.
	out, _ = mustRun(t, 0, "--data", vp, "completeness", "--period", "2026-M11", "--missing")
	if !strings.Contains(out, "UBND xã Suối Hoa (SH): Chưa gửi báo cáo.") {
		t.Errorf("completeness --missing:\n%s", out)
	}
	pdf := file("chua-bao-cao.pdf")
	mustRun(t, 0, "--data", vp, "completeness", "--period", "2026-M11", "--missing", "--out", pdf)
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("no PDF: %v", err)
	}
}
