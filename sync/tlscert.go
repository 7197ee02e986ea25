package sync

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
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

// ServerCertificate loads the office's self-signed serving certificate
// from the data folder, making it on first use (ECDSA P-256, valid 20
// years: the pin, not a date, is what the commune checks). It returns the
// certificate and its pin.
func ServerCertificate(dataDir string, self store.Office, now time.Time) (tls.Certificate, string, error) {
	dir := filepath.Join(dataDir, tlsDir)
	certPath, keyPath := filepath.Join(dir, tlsCertName), filepath.Join(dir, tlsKeyName)
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err == nil {
		return cert, CertPin(cert.Certificate[0]), nil
	}
	if _, statErr := os.Stat(certPath); !errors.Is(statErr, os.ErrNotExist) {
		return tls.Certificate{}, "", err // there but unreadable: never replace a pinned certificate silently
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "danvan " + self.Code, Organization: []string{self.Name}},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.AddDate(20, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	// The key first: a certificate without its key would block the next start.
	if err := WriteFileAtomic(dir, tlsKeyName, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := os.Chmod(filepath.Join(dir, tlsKeyName), 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := WriteFileAtomic(dir, tlsCertName, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})); err != nil {
		return tls.Certificate{}, "", err
	}
	cert, err = tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	return cert, CertPin(der), nil
}
