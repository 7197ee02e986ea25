package sync

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"aead.dev/minisign"
)

func TestKeyRoundTrip(t *testing.T) {
	km, sg := mustKey(t, "a")
	km2, _ := mustKey(t, "a")
	if km.KeyID != km2.KeyID || km.PublicKey != km2.PublicKey || km.EncryptedSecret != km2.EncryptedSecret {
		t.Error("the same seed gave different keys")
	}
	if !minisign.IsEncrypted([]byte(km.EncryptedSecret)) {
		t.Error("the stored secret key is not encrypted")
	}
	if strings.Contains(km.EncryptedSecret, sg.PublicKey()[14:]) {
		t.Error("the encrypted secret shows the key in clear")
	}
	if _, err := Unlock(km, "sai mật khẩu"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := GenerateKey(nil, "ngắn"); err == nil {
		t.Error("a 4-character passphrase was accepted")
	}
	if got := Fingerprint("8F3A0C1D77B2E901"); got != "8F3A 0C1D 77B2 E901" {
		t.Errorf("Fingerprint = %q", got)
	}
	var s Session
	if _, err := s.Signer(); !errors.Is(err, ErrLocked) {
		t.Errorf("locked session: %v", err)
	}
	if err := s.Unlock(km, testPass); err != nil || !s.Unlocked() {
		t.Fatalf("Unlock: %v", err)
	}
	s.Lock()
	if s.Unlocked() {
		t.Error("Lock kept the key")
	}
}

// TestStockMinisignOpensKey: stock minisign signs with a secret key danvan
// wrote, and the signature verifies with our public key.
func TestStockMinisignOpensKey(t *testing.T) {
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("stock minisign is not installed (Debian: apt install minisign); interop not checked")
	}
	km, _ := mustKey(t, "interop")
	dir := t.TempDir()
	sec := filepath.Join(dir, "k.key")
	msg := filepath.Join(dir, "m.txt")
	os.WriteFile(sec, []byte(km.EncryptedSecret), 0o600)
	os.WriteFile(msg, []byte("xin chào"), 0o600)
	cmd := exec.Command(bin, "-S", "-s", sec, "-m", msg)
	cmd.Stdin = strings.NewReader(testPass + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("minisign -S: %v\n%s", err, out)
	}
	sig, _ := os.ReadFile(msg + ".minisig")
	pub, err := ParsePublicKey(km.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if !minisign.Verify(pub, []byte("xin chào"), sig) {
		t.Error("the signature stock minisign made with our key does not verify")
	}
}
