package sync

import (
	"context"
	"danvan/internal/domain"
	"danvan/internal/stocktool"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"danvan/store"
)

// stockTool finds a stock command for an interop test. Without it the test
// is skipped, except under make test (DANVAN_INTEROP=required), where the
// round trip must run.
func stockTool(t *testing.T, name string) string { return stocktool.Path(t, name, "") }

// runIn runs stock commands in dir, failing the test with their output
// when one fails.
func runIn(t *testing.T, dir string) func(name string, args ...string) string {
	return func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
}

// TestStockMinisignVerifiesBatch runs the commands of docs/batch-format.md
// §9 with Debian's minisign and sha256sum on a batch in clear
// (danvan-batch/1, what a commune without a recipient writes).
func TestStockMinisignVerifiesBatch(t *testing.T) {
	bin, unzip, sha := stockTool(t, "minisign"), stockTool(t, "unzip"), stockTool(t, "sha256sum")
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	sh.addModel(t, "Nuôi cá lồng trên sông Đà")
	first, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh.addModel(t, "Trồng bưởi đỏ")
	res, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "b")
	run := runIn(t, dir)
	os.MkdirAll(dir, 0o755)
	run(unzip, "-q", res.Path, "-d", dir)
	out := run(bin, "-V", "-P", sh.sg.PublicKey(), "-m", "manifest.json", "-x", "manifest.json.minisig")
	manifest, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	wantComment := "format:" + FormatClear + " office:SH seq:2 manifest-sha256:" + SHA256Hex(manifest)
	if !strings.Contains(out, "Signature and comment signature verified") || !strings.Contains(out, wantComment) {
		t.Errorf("minisign -V said:\n%s\nwant the trusted comment %q", out, wantComment)
	}
	if got := run(sha, "manifest.json"); !strings.HasPrefix(got, SHA256Hex(manifest)) {
		t.Errorf("sha256sum manifest.json = %s", got)
	}
	sums := run(sha, dataMembers...)
	for _, mi := range res.Manifest.Members {
		if !strings.Contains(sums, mi.SHA256+"  "+mi.Name) || !strings.Contains(string(manifest), `"sha256": "`+mi.SHA256+`"`) {
			t.Errorf("sha256sum %s does not show the manifest's hash %s:\n%s", mi.Name, mi.SHA256, sums)
		}
	}
	if got := run(sha, first.Path); !strings.HasPrefix(got, res.Manifest.PrevSHA256) {
		t.Errorf("sha256sum of batch 1 = %s, manifest 2 names %s", got, res.Manifest.PrevSHA256)
	}

	// And stock minisign refuses a changed manifest.
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(strings.Replace(string(manifest), `"seq": 2`, `"seq": 3`, 1)), 0o644)
	cmd := exec.Command(bin, "-V", "-P", sh.sg.PublicKey(), "-m", "manifest.json", "-x", "manifest.json.minisig")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("stock minisign accepted a changed manifest:\n%s", out)
	}
}

// TestStockAgeOpensBatch runs docs/batch-format.md §8.5 with Debian's age,
// unzip, minisign and sha256sum: whoever holds the collecting office's
// identity (danvan key identity) opens an encrypted batch, and checks it
// exactly as a batch in clear. And the other way: a signed zip encrypted
// with stock age to the office's recipient imports in danvan.
func TestStockAgeOpensBatch(t *testing.T) {
	agebin, bin, unzip, sha := stockTool(t, "age"), stockTool(t, "minisign"), stockTool(t, "unzip"), stockTool(t, "sha256sum")
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	enroll(t, sh, htl)
	enroll(t, htl, sh)
	sh.addModel(t, "Nuôi cá lồng trên sông Đà")
	res, err := Export(ctx, sh.st, store.System, sh.sg, sh.dir, ExportOptions{})
	if err != nil || !res.Encrypted {
		t.Fatalf("export: %v (encrypted %v)", err, res.Encrypted)
	}
	dir := filepath.Join(t.TempDir(), "b")
	os.MkdirAll(dir, 0o755)
	key := filepath.Join(t.TempDir(), "HTL.key")
	if err := os.WriteFile(key, htl.sg.IdentityFile(time.Now()), 0o600); err != nil {
		t.Fatal(err)
	}
	run := runIn(t, dir)
	run(agebin, "-d", "-i", key, "-o", "batch.zip", res.Path)
	if got := run(sha, "batch.zip"); !strings.HasPrefix(got, res.SHA256) {
		t.Errorf("sha256sum batch.zip = %s, the batch's hash (the next batch's prev_sha256) is %s", got, res.SHA256)
	}
	run(unzip, "-q", "batch.zip")
	out := run(bin, "-V", "-P", sh.sg.PublicKey(), "-m", "manifest.json", "-x", "manifest.json.minisig")
	manifest, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	wantComment := "format:" + Format + " office:SH seq:1 manifest-sha256:" + SHA256Hex(manifest)
	if !strings.Contains(out, "Signature and comment signature verified") || !strings.Contains(out, wantComment) {
		t.Errorf("minisign -V said:\n%s\nwant the trusted comment %q", out, wantComment)
	}
	sums := run(sha, dataMembers...)
	for _, mi := range res.Manifest.Members {
		if !strings.Contains(sums, mi.SHA256+"  "+mi.Name) {
			t.Errorf("sha256sum %s does not show the manifest's hash %s:\n%s", mi.Name, mi.SHA256, sums)
		}
	}
	models, _ := os.ReadFile(filepath.Join(dir, ModelsName))
	if !strings.Contains(string(models), "Nuôi cá lồng trên sông Đà") {
		t.Error("the decrypted models.jsonl does not hold the model")
	}

	// Another identity does not open it.
	other := filepath.Join(t.TempDir(), "other.key")
	po := mustOffice(t, "LS", "Ban Dân vận Huyện ủy Lạc Sơn", domain.RoleCollector)
	os.WriteFile(other, po.sg.IdentityFile(time.Now()), 0o600)
	cmd := exec.Command(agebin, "-d", "-i", other, "-o", filepath.Join(dir, "x.zip"), res.Path)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("stock age opened the batch with another office's identity:\n%s", out)
	}

	// Stock age encrypting danvan's signed zip to HTL's recipient makes a
	// file danvan imports: the format is plain age.
	stock := filepath.Join(t.TempDir(), res.Manifest.FileName())
	run(agebin, "-r", htl.sg.Recipient(), "-o", stock, filepath.Join(dir, "batch.zip"))
	r := ImportFileWith(ctx, htl.st, store.System, htl.dir, stock, Options{Key: htl.sg})
	if r.Err != nil || !r.Batch.Encrypted || r.Batch.SHA256 != res.SHA256 {
		t.Fatalf("importing the stock-encrypted file: %v", r.Err)
	}
	// And the zip out of its encryption is refused.
	plain := filepath.Join(t.TempDir(), "SH-000001-20260105.zip")
	data, _ := os.ReadFile(filepath.Join(dir, "batch.zip"))
	os.WriteFile(plain, data, 0o600)
	if r := ImportFileWith(ctx, htl.st, store.System, htl.dir, plain, Options{Key: htl.sg}); !errors.Is(r.Err, ErrPlaintext) {
		t.Errorf("the decrypted zip given in clear: %v", r.Err)
	}
}
