package sync

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	"aead.dev/minisign"
	"filippo.io/age"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/scrypt"

	"danvan/store"
)

// KDFCost is the scrypt cost written into a new encrypted secret key, in
// minisign's (opslimit, memlimit) terms. Stock minisign uses libsodium's
// "sensitive" limits, which need 1 GiB of memory to open the key; commune
// PCs are old, so we use 64 MiB (N=2^16, r=8, p=4): still far beyond
// guessing a passphrase cheaply, and openable by stock minisign, which reads
// the cost from the file. Only tests lower it (to FastKDF); the program,
// its demo commands included, never changes it: a demo key that must be
// cheap says so with GenerateKeyWith.
var KDFCost = KDF{Ops: 1 << 23, Mem: 1 << 26}

// KDF is a scrypt cost in minisign's terms.
type KDF struct{ Ops, Mem uint64 }

// FastKDF is the cheapest cost minisign accepts; only tests use it.
var FastKDF = KDF{Ops: 1 << 15, Mem: 1 << 20}

// MinPassphrase is the shortest passphrase accepted for a signing key.
const MinPassphrase = 8

// GenerateKey makes a new Ed25519 key pair from random (crypto/rand when
// nil) and returns it as the store keeps it: the public key, and the secret
// key encrypted with passphrase in minisign's scrypt scheme. With it comes
// an encryption identity (age X25519, always from crypto/rand), wrapped
// with the same passphrase: a collecting office's communes encrypt their
// batches to its recipient.
func GenerateKey(random io.Reader, passphrase string) (store.KeyMaterial, error) {
	return generateKey(random, passphrase, nil, KDFCost)
}

// GenerateKeyWith is GenerateKey at the scrypt cost given: the demo data's
// keys (dev tanlac, dev seed) use FastKDF, as their passphrases are public.
func GenerateKeyWith(random io.Reader, passphrase string, cost KDF) (store.KeyMaterial, error) {
	return generateKey(random, passphrase, nil, cost)
}

// generateKey is GenerateKey keeping the encryption identity id when it is
// not nil (a rotation changes the signing key only).
func generateKey(random io.Reader, passphrase string, id *age.X25519Identity, cost KDF) (store.KeyMaterial, error) {
	if len([]rune(passphrase)) < MinPassphrase {
		return store.KeyMaterial{}, &passphraseShortError{}
	}
	if random == nil {
		random = rand.Reader
	}
	pub, priv, err := minisign.GenerateKey(random)
	if err != nil {
		return store.KeyMaterial{}, err
	}
	enc, err := encryptKey(random, passphrase, priv, cost)
	if err != nil {
		return store.KeyMaterial{}, err
	}
	var wrapped string
	if id == nil {
		id, wrapped, err = newIdentity(passphrase)
	} else {
		wrapped, err = wrapIdentity(id, passphrase, time.Now())
	}
	if err != nil {
		return store.KeyMaterial{}, err
	}
	return store.KeyMaterial{KeyID: KeyID(pub.ID()), PublicKey: pub.String(), EncryptedSecret: string(enc),
		Recipient: id.Recipient().String(), EncryptedIdentity: wrapped}, nil
}

type passphraseShortError struct{}

func (*passphraseShortError) Error() string { return "sync: passphrase too short" }
func (*passphraseShortError) MessageCode() (string, map[string]any) {
	return "batch.passphrase_short", map[string]any{"Min": MinPassphrase}
}

// KeyID writes a minisign key id the way the store and our files keep it:
// 16 upper-case hex digits.
func KeyID(id uint64) string { return fmt.Sprintf("%016X", id) }

// Fingerprint is what two people read to each other on the phone before
// enrolling: the minisign key id in four groups, "8F3A 0C1D 77B2 E901".
// It is the same id `minisign -V` and the public key file show.
func Fingerprint(keyID string) string {
	if len(keyID) != 16 {
		return keyID
	}
	return keyID[0:4] + " " + keyID[4:8] + " " + keyID[8:12] + " " + keyID[12:16]
}

// ParsePublicKey reads a public key in minisign's base64 form (the second
// line of a .pub file, what `minisign -P` takes).
func ParsePublicKey(b64 string) (minisign.PublicKey, error) {
	var pk minisign.PublicKey
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != 42 || base64.StdEncoding.EncodeToString(raw) != b64 {
		return pk, fail(ProblemBadKey, "", "public key is not minisign base64", err)
	}
	if err := pk.UnmarshalText([]byte(b64)); err != nil {
		return pk, fail(ProblemBadKey, "", "", err)
	}
	return pk, nil
}

// PublicKeyFile is the text of a minisign .pub file for key.
func PublicKeyFile(b64 string) (string, error) {
	pk, err := ParsePublicKey(b64)
	if err != nil {
		return "", err
	}
	// The comment names the key id with all 16 digits, as the fingerprint
	// and the manifest do (minisign's own text drops leading zeros:
	// 60ECBE450EFA387 for 060ECBE450EFA387).
	text, _ := pk.MarshalText()
	_, key, _ := strings.Cut(string(text), "\n")
	return "untrusted comment: minisign public key: " + KeyID(pk.ID()) + "\n" + strings.TrimSpace(key) + "\n", nil
}

// Signer is an unlocked secret key, with the office's encryption identity
// when it has one. It exists only in memory.
type Signer struct {
	priv     minisign.PrivateKey
	pub      minisign.PublicKey
	keyID    string
	identity *age.X25519Identity
}

// KeyID is the signer's key id.
func (s *Signer) KeyID() string { return s.keyID }

// PublicKey is the signer's public key in minisign base64.
func (s *Signer) PublicKey() string { return s.pub.String() }

// Unlock opens an encrypted secret key with its passphrase.
func Unlock(km store.KeyMaterial, passphrase string) (*Signer, error) {
	priv, err := minisign.DecryptKey(passphrase, []byte(km.EncryptedSecret))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	pub, ok := priv.Public().(minisign.PublicKey)
	if !ok || KeyID(pub.ID()) != km.KeyID || pub.String() != km.PublicKey {
		return nil, fail(ProblemBadKey, "", "the secret key does not belong to the public key", nil)
	}
	sg := &Signer{priv: priv, pub: pub, keyID: km.KeyID}
	if km.EncryptedIdentity != "" {
		if sg.identity, err = unwrapIdentity(km.EncryptedIdentity, passphrase, km.Recipient); err != nil {
			return nil, err
		}
	}
	return sg, nil
}

// signText makes a minisign signature (prehashed, as stock minisign makes by
// default) of msg with the given trusted comment. The untrusted comment is
// fixed by the key id, so that the whole signature file is canonical.
func (s *Signer) signText(msg []byte, trusted string) []byte {
	r := minisign.NewReader(strings.NewReader(string(msg)))
	io.Copy(io.Discard, r)
	return r.SignWithComments(s.priv, trusted, untrustedComment(s.keyID))
}

func untrustedComment(keyID string) string {
	return "signature from danvan key " + keyID
}

// Session keeps an unlocked key in memory between exports, until Lock (the
// visible lock button) or the program's end. It is safe for concurrent use.
type Session struct {
	mu     stdsync.Mutex
	signer *Signer
}

// Signer returns the unlocked key, or ErrLocked.
func (s *Session) Signer() (*Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.signer == nil {
		return nil, ErrLocked
	}
	return s.signer, nil
}

// Unlock opens km with passphrase and keeps it.
func (s *Session) Unlock(km store.KeyMaterial, passphrase string) error {
	sg, err := Unlock(km, passphrase)
	if err != nil {
		return err
	}
	s.Keep(sg)
	return nil
}

// Keep holds sg, unlocked elsewhere (OpenKey).
func (s *Session) Keep(sg *Signer) {
	s.mu.Lock()
	s.signer = sg
	s.mu.Unlock()
}

// Lock forgets the unlocked key.
func (s *Session) Lock() {
	s.mu.Lock()
	s.signer = nil
	s.mu.Unlock()
}

// Unlocked reports whether a key is held.
func (s *Session) Unlocked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signer != nil
}

// encryptKey writes priv as minisign's encrypted secret key file with the
// given scrypt cost. aead.dev/minisign's EncryptKey always uses the 1 GiB
// cost and crypto/rand; this is the same scheme (docs/batch-format.md §Keys)
// with the cost and the salt's source chosen by us, and the result opens
// with minisign.DecryptKey and with stock minisign.
func encryptKey(random io.Reader, passphrase string, priv minisign.PrivateKey, kdf KDF) ([]byte, error) {
	clear, err := priv.MarshalText()
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(clear[strings.IndexByte(string(clear), '\n')+1:])))
	if err != nil || len(raw) != 158 {
		return nil, fmt.Errorf("sync: unexpected minisign secret key layout")
	}
	plaintext := raw[54:126] // key id (8) || Ed25519 secret key (64)
	var salt [32]byte
	if _, err := io.ReadFull(random, salt[:]); err != nil {
		return nil, err
	}
	n, r, p := scryptParams(kdf.Ops, kdf.Mem)
	stream, err := scrypt.Key([]byte(passphrase), salt[:], n, r, p, 104)
	if err != nil {
		return nil, err
	}
	var msg [74]byte
	binary.LittleEndian.PutUint16(msg[:2], minisign.EdDSA)
	copy(msg[2:], plaintext)
	sum := blake2b.Sum256(msg[:])
	ct := append(append([]byte{}, plaintext...), sum[:]...)
	for i := range ct {
		ct[i] ^= stream[i]
	}
	var out [158]byte
	binary.LittleEndian.PutUint16(out[0:], minisign.EdDSA)
	binary.LittleEndian.PutUint16(out[2:], 0x6353) // "Sc": scrypt
	binary.LittleEndian.PutUint16(out[4:], 0x3242) // "B2": BLAKE2b
	copy(out[6:38], salt[:])
	binary.LittleEndian.PutUint64(out[38:], kdf.Ops)
	binary.LittleEndian.PutUint64(out[46:], kdf.Mem)
	copy(out[54:], ct)
	return []byte("untrusted comment: danvan encrypted secret key\n" + base64.StdEncoding.EncodeToString(out[:]) + "\n"), nil
}

// scryptParams is minisign's (and libsodium's) mapping from (ops, mem) to
// scrypt's (N, r, p); it must match theirs exactly or the key will not open.
func scryptParams(ops, mem uint64) (n, r, p int) {
	const minOps, maxRP = 1 << 15, 0x3fffffff
	ops = max(ops, minOps)
	r = 8
	if ops < mem/32 {
		p = 1
		for i := 1; i < 63; i++ {
			if n = 1 << i; uint64(n) > ops/(8*uint64(r)) {
				break
			}
		}
		return n, r, p
	}
	for i := 1; i < 63; i++ {
		if n = 1 << i; uint64(n) > mem/(256*uint64(r)) {
			break
		}
	}
	if rp := (ops / 4) / uint64(n); rp < maxRP {
		p = int(rp) / r
	} else {
		p = maxRP / r
	}
	return n, r, p
}

// keyIDOf parses a 16-hex-digit key id.
func keyIDOf(s string) (uint64, bool) {
	if len(s) != 16 || strings.ToUpper(s) != s {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 64)
	return v, err == nil
}
