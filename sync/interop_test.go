package sync

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"danvan/store"
)

// TestStockMinisignVerifiesBatch runs the commands of docs/batch-format.md
// §8 with Debian's minisign and sha256sum on a batch danvan wrote.
func TestStockMinisignVerifiesBatch(t *testing.T) {
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("stock minisign is not installed (Debian: apt install minisign); the interop check did not run")
	}
	unzip, err1 := exec.LookPath("unzip")
	sha, err2 := exec.LookPath("sha256sum")
	if err1 != nil || err2 != nil {
		t.Skip("unzip or sha256sum missing; the interop check did not run")
	}
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", store.RoleCommune)
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
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	os.MkdirAll(dir, 0o755)
	run(unzip, "-q", res.Path, "-d", dir)
	out := run(bin, "-V", "-P", sh.sg.PublicKey(), "-m", "manifest.json", "-x", "manifest.json.minisig")
	manifest, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	wantComment := "format:danvan-batch/1 office:SH seq:2 manifest-sha256:" + SHA256Hex(manifest)
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
