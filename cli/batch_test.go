package cli

import (
	"context"
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
	dsync "danvan/sync"
)

func init() { dsync.KDFCost = dsync.FastKDF }

// syncInit sets up a data folder with a signing key, without accounts.
func syncInit(t *testing.T, code, name, kind, role string) (dir, pass string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), code)
	pass = writeSecret(t, t.TempDir(), "pass.txt", "mật khẩu ký của "+code)
	code2, _, stderr := safetyRun(t, "--data", dir, "--lang", "vi", "init", "--office-name", name, "--office-code", code,
		"--kind", kind, "--role", role, "--collector-name", "Ban Dân vận Huyện ủy Tân Lạc", "--passphrase-file", pass)
	if code2 != 0 {
		t.Fatalf("init %s: exit %d: %s", code, code2, stderr)
	}
	return dir, pass
}

func addModel(t *testing.T, dir, name string) {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SaveModel(context.Background(), store.System, domain.Model{Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy,
		Year: 2025, Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Nuôi cá."}); err != nil {
		t.Fatal(err)
	}
}

func mustRun(t *testing.T, want int, args ...string) (string, string) {
	t.Helper()
	code, out, errOut := safetyRun(t, args...)
	if code != want {
		t.Fatalf("danvan %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out, errOut
}

// TestBatchLoopCLI: two communes and a collecting office complete the loop
// with the command line only: enroll both ways, export, verify, import,
// receipt, acknowledged; a changed file fails verification with exit 1.
func TestBatchLoopCLI(t *testing.T) {
	sh, shPass := syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	pv, pvPass := syncInit(t, "PV", "UBND xã Phú Vinh", "xa", "commune")
	htl, htlPass := syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	carry := t.TempDir()

	out, _ := mustRun(t, 0, "--data", sh, "key", "show")
	if !strings.Contains(out, "untrusted comment: minisign public key: ") || !strings.Contains(out, "Dấu vân tay khóa: ") {
		t.Errorf("key show = %q", out)
	}
	b64, _ := mustRun(t, 0, "--data", sh, "key", "show", "--base64")
	if _, err := dsync.ParsePublicKey(strings.TrimSpace(b64)); err != nil {
		t.Errorf("key show --base64 = %q: %v", b64, err)
	}

	for _, c := range []struct{ dir, pass, code string }{{sh, shPass, "SH"}, {pv, pvPass, "PV"}} {
		f := filepath.Join(carry, c.code+"-enrollment.zip")
		mustRun(t, 0, "--data", c.dir, "enrollment", "export", f, "--passphrase-file", c.pass)
		out, _ := mustRun(t, 0, "--data", htl, "offices", "enroll", f)
		if !strings.Contains(out, "Đã đăng ký "+c.code) {
			t.Errorf("offices enroll = %q", out)
		}
		hf := filepath.Join(carry, "HTL-"+c.code+".zip")
		mustRun(t, 0, "--data", htl, "enrollment", "export", hf, "--passphrase-file", htlPass)
		mustRun(t, 0, "--data", c.dir, "offices", "enroll", hf)
	}
	out, _ = mustRun(t, 0, "--data", htl, "offices", "list")
	if !strings.Contains(out, "SH\tUBND xã Suối Hoa") || !strings.Contains(out, "chưa nhận lô nào") {
		t.Errorf("offices list = %q", out)
	}

	addModel(t, sh, "Nuôi cá lồng trên sông Đà")
	addModel(t, pv, "Nuôi dê")
	_, errOut := mustRun(t, 2, "--data", sh, "batch", "export")
	if !strings.Contains(errOut, "--passphrase-file") {
		t.Errorf("export without a passphrase: %q", errOut)
	}
	wrong := writeSecret(t, t.TempDir(), "w.txt", "không phải mật khẩu")
	mustRun(t, 3, "--data", sh, "batch", "export", "--passphrase-file", wrong)
	out, errOut = mustRun(t, 0, "--data", sh, "batch", "export", "--out", carry, "--passphrase-file", shPass)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(filepath.Base(lines[0]), "SH-000001-") || !strings.HasSuffix(lines[0], ".zip.age") ||
		!strings.Contains(errOut, "Mã kiểm tra: ") || strings.Contains(errOut, "KHÔNG được mã hóa") {
		t.Fatalf("batch export printed %q / %q", out, errOut)
	}
	mustRun(t, 0, "--data", pv, "batch", "export", "--out", carry, "--passphrase-file", pvPass)

	// The file holds no personal data in clear.
	data, _ := os.ReadFile(lines[1])
	if strings.Contains(string(data), "Nuôi cá lồng") || strings.Contains(string(data), "Suối Hoa") {
		t.Error("the exported batch holds a model or office name in clear")
	}
	// A changed copy fails verification, with the reason in words.
	bad := filepath.Join(t.TempDir(), "SH-000001-bad.zip.age")
	data[len(data)/2] ^= 1
	os.WriteFile(bad, data, 0o600)
	_, errOut = mustRun(t, 1, "--data", htl, "batch", "verify", "--passphrase-file", htlPass, bad)
	if !strings.Contains(errOut, "SH-000001-bad.zip.age: Tệp mã hóa") {
		t.Errorf("verify of a changed file said %q", errOut)
	}

	// Without the passphrase an encrypted batch is not read, and says how.
	_, errOut = mustRun(t, 1, "--data", htl, "batch", "verify", lines[1])
	if !strings.Contains(errOut, "--passphrase-file") {
		t.Errorf("verify without the key said %q", errOut)
	}
	out, _ = mustRun(t, 0, "--data", htl, "batch", "verify", "--passphrase-file", htlPass, carry+"/SH-000001-"+filepath.Base(lines[0])[10:])
	if !strings.Contains(out, "hợp lệ") {
		t.Errorf("verify = %q", out)
	}
	out, _ = mustRun(t, 0, "--data", htl, "batch", "import", "--dry-run", "--passphrase-file", htlPass, carry)
	if !strings.Contains(out, "(thử, chưa nhập)") {
		t.Errorf("dry run = %q", out)
	}
	_, errOut = mustRun(t, 1, "--data", htl, "batch", "import", carry)
	if strings.Count(errOut, "--passphrase-file") != 2 || strings.Contains(errOut, "quarantine") {
		t.Errorf("import without the key said %q", errOut)
	}
	if left, _ := filepath.Glob(filepath.Join(carry, "*.zip.age")); len(left) != 2 {
		t.Fatalf("import without the key moved the files: %v", left)
	}
	out, _ = mustRun(t, 0, "--data", htl, "batch", "import", "--passphrase-file", htlPass, carry)
	if strings.Count(out, "đã nhập lô số 1") != 2 || strings.Count(out, "-receipt-") != 2 {
		t.Fatalf("import = %q", out)
	}
	out, _ = mustRun(t, 0, "--data", htl, "batch", "import", "--passphrase-file", htlPass, carry)
	if strings.Count(out, "đã nhập trước đây") != 2 {
		t.Errorf("re-import = %q", out)
	}
	receipts, _ := filepath.Glob(filepath.Join(htl, "receipts", "HTL-receipt-SH-*.zip"))
	if len(receipts) != 1 {
		t.Fatalf("receipts for SH: %v", receipts)
	}
	out, _ = mustRun(t, 0, "--data", sh, "receipt", "import", receipts[0])
	if !strings.Contains(out, "Đã nhận: lô 1, ngày ") {
		t.Errorf("receipt import = %q", out)
	}
	_, errOut = mustRun(t, 1, "--data", pv, "receipt", "import", receipts[0])
	if !strings.Contains(errOut, "đơn vị khác") {
		t.Errorf("PV importing SH's receipt said %q", errOut)
	}
}
