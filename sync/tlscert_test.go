package sync

import (
	"crypto/sha256"
	"crypto/x509"
	"danvan/internal/domain"
	"encoding/hex"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// A new serving certificate names this computer (localhost, its host
// name, its addresses and the one serve listens on), so a stock client that
// checks names accepts it; its public key's pin is the SPKI hash.
func TestServerCertificateNamesAndSPKI(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	cert, pin, err := ServerCertificate(htl.dir, htl.self, time.Now(), "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.Leaf
	if !slices.Contains(leaf.DNSNames, "localhost") || !slices.ContainsFunc(leaf.IPAddresses, net.IPv4(127, 0, 0, 1).Equal) ||
		!slices.ContainsFunc(leaf.IPAddresses, net.ParseIP("192.0.2.7").Equal) {
		t.Errorf("names %v %v", leaf.DNSNames, leaf.IPAddresses)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	for _, name := range []string{"localhost", "127.0.0.1", "192.0.2.7"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: name}); err != nil {
			t.Errorf("a client checking the name %s refuses it: %v", name, err)
		}
	}
	spki := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	if pin.SPKI != hex.EncodeToString(spki[:]) || pin.Cert != CertPin(leaf.Raw) {
		t.Errorf("pins %+v", pin)
	}
	if !strings.HasPrefix(CurlPin(pin.SPKI), "sha256//") || len(CurlPin(pin.SPKI)) != len("sha256//")+44 {
		t.Errorf("curl pin %q", CurlPin(pin.SPKI))
	}
}
