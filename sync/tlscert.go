package sync

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"danvan/internal/domain"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"danvan/store"
)

// Where a collecting office keeps the certificate it serves batches under,
// inside its data folder. The key never leaves the folder; the pin (the
// certificate's SHA-256) travels in the office's enrollment file.
const (
	tlsDir      = "tls"
	tlsCertName = "server-cert.pem"
	tlsKeyName  = "server-key.pem"
)

// CertPin is the pin of a certificate: the SHA-256 of its DER bytes, hex.
func CertPin(der []byte) string {
	h := sha256.Sum256(der)
	return hex.EncodeToString(h[:])
}

// PinsOf is what a commune pins of a certificate: its hash, and its public
// key's (SPKI) hash.
func PinsOf(cert *x509.Certificate) store.TLSPin {
	h := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return store.TLSPin{Cert: CertPin(cert.Raw), SPKI: hex.EncodeToString(h[:])}
}

// CurlPin is the SPKI pin written as curl's --pinnedpubkey takes it:
// "sha256//" and the hash in base64.
func CurlPin(spkiHex string) string {
	b, err := hex.DecodeString(spkiHex)
	if err != nil {
		return ""
	}
	return "sha256//" + base64.StdEncoding.EncodeToString(b)
}

// certNames are the subjectAltNames of a new serving certificate: the
// names and addresses this computer answers on when it is made, so that a
// stock client that checks host names (curl --cacert) accepts it. danvan's
// own client checks the pin, not the names, so an address that changes
// later breaks nothing.
func certNames(extra string) ([]string, []net.IP) {
	dns := []string{"localhost"}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		dns = append(dns, h)
	}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				ips = append(ips, n.IP)
			}
		}
	}
	if extra != "" {
		if ip := net.ParseIP(extra); ip != nil {
			if !slices.ContainsFunc(ips, ip.Equal) && !ip.IsUnspecified() {
				ips = append(ips, ip)
			}
		} else if !slices.Contains(dns, extra) {
			dns = append(dns, extra)
		}
	}
	return dns, ips
}

// TLSCertPath and TLSKeyPath are where a data folder keeps the certificate
// and the key it serves under.
func TLSCertPath(dataDir string) string { return filepath.Join(dataDir, tlsDir, tlsCertName) }

// TLSKeyPath: see TLSCertPath.
func TLSKeyPath(dataDir string) string { return filepath.Join(dataDir, tlsDir, tlsKeyName) }

// ServerCertificate loads the office's self-signed serving certificate
// from the data folder, making it on first use (ECDSA P-256, valid 20
// years: the pin, not a date, is what the commune checks; subjectAltNames
// of this computer and of host, the address serve listens on, if any). A
// certificate made by an earlier version, without names, is kept as it is:
// communes enrolled from that time pin its hash. It returns the
// certificate and its pins.
func ServerCertificate(dataDir string, self domain.Office, now time.Time, host string) (tls.Certificate, store.TLSPin, error) {
	dir := filepath.Join(dataDir, tlsDir)
	certPath, keyPath := filepath.Join(dir, tlsCertName), filepath.Join(dir, tlsKeyName)
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err == nil {
		return cert, PinsOf(cert.Leaf), nil
	}
	if _, statErr := os.Stat(certPath); !errors.Is(statErr, os.ErrNotExist) {
		return tls.Certificate{}, store.TLSPin{}, err // there but unreadable: never replace a pinned certificate silently
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	dns, ips := certNames(host)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "danvan " + self.Code, Organization: []string{self.Name}},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.AddDate(20, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     dns,
		IPAddresses:  ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	// The key first: a certificate without its key would block the next start.
	if err := WriteFileAtomic(dir, tlsKeyName, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})); err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	if err := os.Chmod(filepath.Join(dir, tlsKeyName), 0o600); err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	if err := WriteFileAtomic(dir, tlsCertName, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})); err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	cert, err = tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return tls.Certificate{}, store.TLSPin{}, err
	}
	return cert, PinsOf(cert.Leaf), nil
}
