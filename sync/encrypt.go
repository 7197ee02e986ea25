package sync

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"danvan/store"
)

// Encryption of batches (docs/batch-format.md §8). A commune signs its
// batch as before and then encrypts the whole signed zip with age to the
// X25519 recipients of the collecting offices it has enrolled; the file is
// then <CODE>-<seq>-<date>.zip.age. Signing first means the signature
// inside still proves who sent the batch, which age alone does not: anyone
// can encrypt to a public recipient. The collecting office decrypts with
// its identity, and verifies the zip inside exactly as a batch in clear.
//
// The identity is kept as the signing key is: encrypted by the same
// passphrase, here as an age file with one scrypt recipient, so that stock
// `age -d` opens it too.

// ageMagic begins every binary age file; armorMagic an armored one.
const (
	ageMagic   = "age-encryption.org/"
	armorMagic = "-----BEGIN AGE ENCRYPTED FILE-----"
)

// IsEncrypted reports whether data is an age file (binary or armored).
func IsEncrypted(data []byte) bool {
	return bytes.HasPrefix(data, []byte(ageMagic)) || bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(armorMagic))
}

// identityLogN is the scrypt cost (log2 N) that protects the identity: the
// same N as the signing key's KDFCost, so that one passphrase costs the
// same to guess either way. age itself writes 18; old commune PCs are slow.
func identityLogN() int {
	n, _, _ := scryptParams(KDFCost.Ops, KDFCost.Mem)
	return bits.Len(uint(n)) - 1
}

// maxIdentityLogN bounds the scrypt cost an identity file may ask for when
// it is opened: a file we wrote never asks for more than 2^20.
const maxIdentityLogN = 20

// newIdentity makes an encryption identity and wraps it with passphrase.
func newIdentity(passphrase string) (*age.X25519Identity, string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, "", err
	}
	enc, err := wrapIdentity(id, passphrase, time.Now())
	return id, enc, err
}

// IdentityFile is id as age-keygen writes it: two comment lines and the
// secret key. This is what `age -d -i KEY` takes.
func identityFile(id *age.X25519Identity, now time.Time) []byte {
	return fmt.Appendf(nil, "# created: %s\n# public key: %s\n%s\n", now.UTC().Format(time.RFC3339), id.Recipient(), id)
}

// wrapIdentity encrypts id's identity file with passphrase (age, one scrypt
// recipient, armored so that it is text in the database).
func wrapIdentity(id *age.X25519Identity, passphrase string, now time.Time) (string, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return "", err
	}
	r.SetWorkFactor(identityLogN())
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(identityFile(id, now)); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := aw.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// unwrapIdentity opens what wrapIdentity wrote.
func unwrapIdentity(enc, passphrase, recipient string) (*age.X25519Identity, error) {
	si, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	si.SetMaxWorkFactor(maxIdentityLogN)
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(enc)), si)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, ErrWrongPassphrase
		}
		return nil, fail(ProblemBadKey, "", "the encryption identity does not open", err)
	}
	text, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return nil, fail(ProblemBadKey, "", "the encryption identity does not open", err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(text))
	if err != nil || len(ids) != 1 {
		return nil, fail(ProblemBadKey, "", "the encryption identity is not one X25519 identity", err)
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok || id.Recipient().String() != recipient {
		return nil, fail(ProblemBadKey, "", "the encryption identity does not belong to the recipient", nil)
	}
	return id, nil
}

// ParseRecipient reads an age X25519 recipient ("age1…").
func ParseRecipient(s string) (*age.X25519Recipient, error) {
	r, err := age.ParseX25519Recipient(s)
	if err != nil || r.String() != s {
		return nil, fail(ProblemBadKey, "", "not an age X25519 recipient", err)
	}
	return r, nil
}

// seal encrypts a signed batch to recipients.
func seal(inner []byte, recipients []string) ([]byte, error) {
	rs := make([]age.Recipient, 0, len(recipients))
	for _, s := range recipients {
		r, err := ParseRecipient(s)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	var buf bytes.Buffer
	buf.Grow(len(inner) + 512)
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(inner); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WithKey is trust together with this office's unlocked key: an encrypted
// batch is decrypted with the key's identity before it is verified. A nil
// key gives trust unchanged, and an encrypted batch is then refused as
// needing the key (ErrNeedKey), without being set aside.
func WithKey(trust Trust, sg *Signer) Trust {
	if sg == nil {
		return trust
	}
	if kt, ok := trust.(keyedTrust); ok {
		trust = kt.Trust
	}
	return keyedTrust{Trust: trust, sg: sg}
}

type keyedTrust struct {
	Trust
	sg *Signer
}

// open decrypts an encrypted batch with the identity trust carries, reading
// at most lim.File bytes of what is inside.
func open(trust Trust, data []byte, lim Limits) ([]byte, error) {
	kt, ok := trust.(keyedTrust)
	if !ok {
		return nil, &Error{Problem: ProblemNeedKey}
	}
	if kt.sg.identity == nil {
		return nil, &Error{Problem: ProblemNotForUs, Detail: "this office has no encryption identity"}
	}
	var src io.Reader = bytes.NewReader(data)
	if !bytes.HasPrefix(data, []byte(ageMagic)) {
		src = armor.NewReader(bytes.NewReader(bytes.TrimLeft(data, " \t\r\n")))
	}
	r, err := age.Decrypt(src, kt.sg.identity)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, &Error{Problem: ProblemNotForUs, Err: err}
		}
		return nil, &Error{Problem: ProblemUndecryptable, Err: err}
	}
	inner, err := io.ReadAll(io.LimitReader(r, lim.File+1))
	if err != nil {
		return nil, &Error{Problem: ProblemUndecryptable, Err: err}
	}
	if int64(len(inner)) > lim.File {
		return nil, &Error{Problem: ProblemTooLarge, Args: map[string]any{"Max": lim.File}}
	}
	return inner, nil
}

// OpenKey unlocks this office's key with passphrase. An office whose key
// was made before batches were encrypted gets its encryption identity now,
// kept under the same passphrase; a collecting office's enrollment file
// must then go to the communes again, so that they can encrypt to it
// (created says so).
func OpenKey(ctx context.Context, st *store.Store, actor store.Actor, passphrase string) (sg *Signer, created bool, err error) {
	km, err := st.SelfKey(ctx)
	if err != nil {
		return nil, false, err
	}
	sg, err = Unlock(km, passphrase)
	if err != nil || sg.identity != nil {
		return sg, false, err
	}
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return sg, false, err
	}
	// A commune's key made before batches were encrypted gets one too: it
	// encrypts its own batches to itself as well (RecoverSent).
	id, enc, err := newIdentity(passphrase)
	if err != nil {
		return nil, false, err
	}
	km.Recipient, km.EncryptedIdentity = id.Recipient().String(), enc
	if err := st.SetSelfIdentity(ctx, actor, km); err != nil {
		return nil, false, err
	}
	sg.identity = id
	return sg, self.Role == domain.RoleCollector, nil
}

// Recipient is the signer's encryption recipient ("age1…"); "" when the
// office has no encryption identity.
func (s *Signer) Recipient() string {
	if s.identity == nil {
		return ""
	}
	return s.identity.Recipient().String()
}

// IdentityFile is the unlocked encryption identity as a stock age identity
// file, for `age -d -i KEY` (danvan key identity). nil when there is none.
func (s *Signer) IdentityFile(now time.Time) []byte {
	if s.identity == nil {
		return nil
	}
	return identityFile(s.identity, now)
}

// ClearExport says whether a batch of this office would go in clear: to a
// destination whose enrollment file gave no encryption recipient, or to
// nobody enrolled yet. It names the destinations without one (none at all
// when none is enrolled). The window and the command line say so
// in words before exporting.
func ClearExport(ctx context.Context, st *store.Store) (clear bool, without []domain.Office, err error) {
	dests, err := st.Destinations(ctx)
	if err != nil {
		return false, nil, err
	}
	clear, without = ClearOf(dests)
	return clear, without, nil
}

// ClearOf is ClearExport for the destinations already read.
func ClearOf(dests []store.Destination) (clear bool, without []domain.Office) {
	clear = len(dests) == 0
	for _, d := range dests {
		if d.Recipient == "" {
			clear = true
			without = append(without, d.Office)
		}
	}
	return clear, without
}
