package exchange

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"danvan/internal/domain"
	"danvan/internal/stocktool"
	dsync "danvan/sync"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"danvan/store"
)

// reissue writes a new certificate for the serving key already in dir, as
// an office that re-makes its certificate (new names) would; with names
// nil it is the nameless certificate of earlier versions.
func reissue(t *testing.T, dir string, names []string) {
	t.Helper()
	keyPEM, err := os.ReadFile(dsync.TLSKeyPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(keyPEM)
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key := k.(*ecdsa.PrivateKey)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "danvan HTL"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), DNSNames: names,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := dsync.TLSCertPath(dir)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The commune accepts the server by its certificate's hash (enrollments
// from before) or by its public key's (now): a certificate re-made under
// the same key still matches an SPKI pin, and only that; a certificate of
// an earlier version, without names, is kept and keeps its pin.
func TestPinsOldAndNew(t *testing.T) {
	ctx := context.Background()
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	_, first, err := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	// An older version's certificate, without names: kept as it is.
	reissue(t, htl.dir, nil)
	old, oldPin, err := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), "")
	if err != nil || len(old.Leaf.DNSNames) != 0 || oldPin.Cert == first.Cert || oldPin.SPKI != first.SPKI {
		t.Fatalf("the old certificate was not kept: %+v %v", oldPin, err)
	}
	// An enrollment file of that time carried the certificate's hash only.
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	enroll(t, sh, htl)
	keys, _ := htl.st.OfficeKeys(ctx, htl.self.ID)
	oldFile, err := dsync.BuildEnrollmentPinned(htl.self, keys, htl.sg, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), store.TLSPin{Cert: oldPin.Cert})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dsync.Enroll(ctx, sh.st, store.System, "htl-2025.zip", oldFile, ""); err != nil {
		t.Fatalf("an enrollment file without the key pin: %v", err)
	}
	if pin, _ := sh.st.PinOf(ctx, htl.self.ID); pin != (store.TLSPin{Cert: oldPin.Cert}) {
		t.Fatalf("pin from the old file %+v", pin)
	}
	send := func(cert tls.Certificate) error {
		ts := &testServer{t: t, htl: htl, addr: "127.0.0.1:0", tls: &cert,
			cfg: ServerConfig{Store: htl.st, Actor: store.System, DataDir: htl.dir, Signer: htl.sg, Limits: Unlimited, ShutdownGrace: 200 * time.Millisecond}}
		ts.start()
		defer ts.halt()
		sh.addModel(t, "Mô hình "+time.Now().Format(time.RFC3339Nano))
		exportOne(t, sh)
		_, err := Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: "https://" + ts.addr}))
		return err
	}
	if err := send(old); err != nil {
		t.Fatalf("the old pin and the old certificate: %v", err)
	}
	// The certificate re-made under the same key: the old pin refuses it…
	reissue(t, htl.dir, []string{"localhost"})
	renewed, newPin, err := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), "")
	if err != nil || newPin.SPKI != oldPin.SPKI || newPin.Cert == oldPin.Cert {
		t.Fatal(newPin, err)
	}
	var se *SendError
	if err := send(renewed); !errors.As(err, &se) || se.Code != "pin" {
		t.Fatalf("a certificate pin and another certificate: %v", err)
	}
	// …a newer enrollment file, with the key's pin, accepts it and any
	// later certificate of that key.
	data, err := dsync.ExportEnrollmentFrom(ctx, htl.st, htl.sg, htl.dir, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dsync.Enroll(ctx, sh.st, store.System, "htl-2026.zip", data, ""); err != nil {
		t.Fatal(err)
	}
	if err := send(renewed); err != nil {
		t.Fatalf("the key's pin and the renewed certificate: %v", err)
	}
	reissue(t, htl.dir, []string{"localhost", "danvan-htl"})
	again, _, _ := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), "")
	if err := send(again); err != nil {
		t.Fatalf("the key's pin and a later certificate: %v", err)
	}
}

// Stock curl talks to serve with the certificate file and the key's pin
// that serve prints, checking names, no -k.
func TestCurlPinnedPublicKey(t *testing.T) {
	curl := stocktool.Path(t, "curl", "")
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	cert, pin, err := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, htl: htl, addr: "127.0.0.1:0", tls: &cert,
		cfg: ServerConfig{Store: htl.st, Actor: store.System, DataDir: htl.dir, Signer: htl.sg, Limits: Unlimited, ShutdownGrace: 200 * time.Millisecond}}
	ts.start()
	t.Cleanup(ts.halt)
	_, port, _ := net.SplitHostPort(ts.addr)
	certFile := dsync.TLSCertPath(htl.dir)
	for _, host := range []string{"127.0.0.1", "localhost"} {
		out, err := exec.Command(curl, "-sS", "--fail", "--cacert", certFile, "--pinnedpubkey", dsync.CurlPin(pin.SPKI),
			"https://"+host+":"+port+HealthPath).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "HTL") {
			t.Errorf("curl to %s: %v\n%s", host, err, out)
		}
	}
	other := sha256.Sum256([]byte("another key"))
	out, err := exec.Command(curl, "-sS", "--fail", "--cacert", certFile, "--pinnedpubkey", dsync.CurlPin(hex.EncodeToString(other[:])),
		"https://127.0.0.1:"+port+HealthPath).CombinedOutput()
	if err == nil {
		t.Errorf("curl accepted another key's pin:\n%s", out)
	}
}
