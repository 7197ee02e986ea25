package sync

import (
	"context"
	"danvan/internal/domain"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"danvan/store"
)

// EnrollmentFormat is the version of enrollment files.
const EnrollmentFormat = "danvan-enrollment/1"

// Member names of an enrollment file.
const (
	EnrollmentName    = "enrollment.json"
	EnrollmentSigName = "enrollment.json.minisig"
)

// Enrollment is enrollment.json: an office, and its keys from the first to
// the current one (the last), each after the first signed by the one
// before. The file is signed by the current key.
type Enrollment struct {
	Format    string          `json:"format"`
	Office    EnrollOffice    `json:"office"`
	CreatedAt string          `json:"created_at"`
	Keys      []EnrollmentKey `json:"keys"`
	// TLSCertSHA256 is the SHA-256 (hex) of the certificate a collecting
	// office serves batches under (danvan serve, docs/exchange.md): the
	// commune pins it, so no public certificate authority is needed.
	// Absent from a commune's file and from files made before serving.
	TLSCertSHA256 string `json:"tls_cert_sha256,omitempty"`
	// TLSSPKISHA256 is the SHA-256 (hex) of that certificate's public key
	// (SubjectPublicKeyInfo), the pin stock clients use (curl
	// --pinnedpubkey). Absent from files made before it was carried.
	TLSSPKISHA256 string `json:"tls_spki_sha256,omitempty"`
	// AgeRecipient is a collecting office's encryption recipient
	// ("age1…"): communes encrypt their batches to it
	// (docs/batch-format.md §8). Absent from a commune's file and from
	// files made before encryption.
	AgeRecipient string `json:"age_recipient,omitempty"`
	// SettingsFile is the collecting office's latest settings file
	// (danvan-settings/1, §11), base64: a unit that enrolls it is offered
	// the province's field list and cut-off at once. Absent when it
	// published none, and from files made before.
	SettingsFile string `json:"settings_file,omitempty"`
}

// EnrollOffice is the office an enrollment file introduces.
type EnrollOffice struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	Role string `json:"role"`
}

// EnrollmentKey is one key of the chain.
type EnrollmentKey struct {
	KeyID       string `json:"key_id"`
	PublicKey   string `json:"public_key"`
	PrevKeyID   string `json:"prev_key_id"`  // "" for the first key
	RotationSig string `json:"rotation_sig"` // minisign signature of RotationMessage by PrevKeyID
}

// Current is the enrollment's key in use.
func (e *Enrollment) Current() EnrollmentKey { return e.Keys[len(e.Keys)-1] }

// RotationMessage is what the old key signs to vouch for the new one.
func RotationMessage(officeID, oldKeyID, newPublicKey string) []byte {
	return fmt.Appendf(nil, "danvan-key-rotation/1\noffice:%s\nold:%s\nnew:%s\n", officeID, oldKeyID, newPublicKey)
}

func rotationComment(officeID, newKeyID string) string {
	return fmt.Sprintf("format:danvan-key-rotation/1 office:%s new:%s", officeID, newKeyID)
}

// SignRotation is the old key's signature over a new key.
func SignRotation(old *Signer, officeID string, newKey store.KeyMaterial) string {
	return string(old.signText(RotationMessage(officeID, old.KeyID(), newKey.PublicKey), rotationComment(officeID, newKey.KeyID)))
}

// RotateKey makes a new key, signs it with the unlocked current one and
// stores it as this office's key. The old secret is dropped; its public key
// stays, so batches it signed still verify.
func RotateKey(ctx context.Context, st *store.Store, actor store.Actor, old *Signer, newPassphrase string) (store.KeyMaterial, error) {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return store.KeyMaterial{}, err
	}
	cur, err := st.SelfKey(ctx)
	if err != nil {
		return store.KeyMaterial{}, err
	}
	if cur.KeyID != old.KeyID() {
		return store.KeyMaterial{}, fail(ProblemBadKey, "", "the unlocked key is not the current one", nil)
	}
	km, err := generateKey(nil, newPassphrase, old.identity, KDFCost)
	if err != nil {
		return km, err
	}
	return km, st.RotateSelfKey(ctx, actor, km, SignRotation(old, self.ID, km))
}

// BuildEnrollment writes this office's enrollment file, signed by sg.
func BuildEnrollment(self domain.Office, keys []store.OfficeKey, sg *Signer, now time.Time) ([]byte, error) {
	return BuildEnrollmentPinned(self, keys, sg, now, store.TLSPin{})
}

// BuildEnrollmentPinned is BuildEnrollment carrying the pin of the
// certificate the office serves under (an older version's file carried
// the certificate's hash only).
func BuildEnrollmentPinned(self domain.Office, keys []store.OfficeKey, sg *Signer, now time.Time, pin store.TLSPin) ([]byte, error) {
	return buildEnrollment(self, keys, sg, now, pin, nil)
}

func buildEnrollment(self domain.Office, keys []store.OfficeKey, sg *Signer, now time.Time, pin store.TLSPin, settings []byte) ([]byte, error) {
	e := Enrollment{
		Format:        EnrollmentFormat,
		Office:        EnrollOffice{ID: self.ID, Code: self.Code, Name: self.Name, Kind: string(self.Kind), Role: string(self.Role)},
		CreatedAt:     now.UTC().Format(timeLayout),
		TLSCertSHA256: pin.Cert,
		TLSSPKISHA256: pin.SPKI,
	}
	if self.Role == domain.RoleCollector {
		e.AgeRecipient = sg.Recipient()
		if len(settings) > 0 {
			e.SettingsFile = base64.StdEncoding.EncodeToString(settings)
		}
	}
	for _, k := range keys {
		e.Keys = append(e.Keys, EnrollmentKey{KeyID: k.KeyID, PublicKey: k.PublicKey, PrevKeyID: k.PrevKeyID, RotationSig: k.RotationSig})
	}
	if len(e.Keys) == 0 || e.Current().KeyID != sg.KeyID() {
		return nil, fail(ProblemBadKey, "", "the unlocked key is not the current one", nil)
	}
	doc, err := marshalCanonical(e)
	if err != nil {
		return nil, err
	}
	sig := sg.signText(doc, enrollmentComment(&e, SHA256Hex(doc)))
	return writeZip([]member{{EnrollmentName, doc}, {EnrollmentSigName, sig}})
}

// ExportEnrollment builds the enrollment file of the office in st.
func ExportEnrollment(ctx context.Context, st *store.Store, sg *Signer, now time.Time) ([]byte, error) {
	return ExportEnrollmentFrom(ctx, st, sg, "", now)
}

// ExportEnrollmentFrom is ExportEnrollment for the office whose data folder
// is dataDir: a collecting office's file then carries the pin of the
// certificate it serves under (made there on first use, ServerCertificate),
// so that communes can send to it over the network.
func ExportEnrollmentFrom(ctx context.Context, st *store.Store, sg *Signer, dataDir string, now time.Time) ([]byte, error) {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := st.OfficeKeys(ctx, self.ID)
	if err != nil {
		return nil, err
	}
	var pin store.TLSPin
	var settings []byte
	if dataDir != "" && self.Role == domain.RoleCollector {
		_, pin, err = ServerCertificate(dataDir, self, now, "")
		if err != nil {
			return nil, err
		}
		settings, _ = os.ReadFile(filepath.Join(PublishedDir(dataDir), LatestSettingsName)) // none published: none carried
	}
	return buildEnrollment(self, keys, sg, now, pin, settings)
}

func enrollmentComment(e *Enrollment, sha string) string {
	return fmt.Sprintf("format:%s office:%s key:%s sha256:%s", EnrollmentFormat, e.Office.Code, e.Current().KeyID, sha)
}

// ReadEnrollment checks an enrollment file: layout, strict JSON, the
// rotation chain link by link, and the signature by the current key.
func ReadEnrollment(name string, data []byte) (*Enrollment, error) {
	e, err := readEnrollment(data)
	if ee, ok := err.(*Error); ok && ee.File == "" {
		ee.File = name
	}
	return e, err
}

func readEnrollment(data []byte) (*Enrollment, error) {
	members, err := readZip(data, []string{EnrollmentName, EnrollmentSigName}, Limits{File: 1 << 20, Member: 512 << 10, Total: 1 << 20})
	if err != nil {
		return nil, err
	}
	doc := members[EnrollmentName]
	if err := checkText(EnrollmentName, doc); err != nil {
		return nil, err
	}
	var head struct {
		Format string `json:"format"`
	}
	if err := decodeLoose(doc, &head); err != nil || head.Format != EnrollmentFormat {
		return nil, &Error{Problem: ProblemVersion, Member: EnrollmentName, Args: map[string]any{"Version": head.Format}}
	}
	var e Enrollment
	if err := readDoc(EnrollmentName, doc, &e); err != nil {
		return nil, err
	}
	if err := e.validate(); err != nil {
		return nil, err
	}
	if err := e.verifyChain(); err != nil {
		return nil, err
	}
	sigText := members[EnrollmentSigName]
	sig, err := parseSignature(EnrollmentSigName, sigText)
	if err != nil {
		return nil, err
	}
	if err := verifySignature(EnrollmentSigName, e.Current().PublicKey, doc, sigText, sig, enrollmentComment(&e, SHA256Hex(doc))); err != nil {
		return nil, err
	}
	return &e, nil
}

func (e *Enrollment) validate() error {
	bad := func(why string) error { return fail(ProblemBadField, EnrollmentName, why, nil) }
	if _, err := uuid.Parse(e.Office.ID); err != nil || len(e.Office.ID) != 36 {
		return bad("office.id")
	}
	o := domain.Office{Code: e.Office.Code, Name: e.Office.Name, Kind: domain.OfficeKind(e.Office.Kind), Role: domain.OfficeRole(e.Office.Role)}
	if err := o.Validate(); err != nil {
		return bad("office: " + err.Error())
	}
	if t, err := time.Parse(timeLayout, e.CreatedAt); err != nil || t.Format(timeLayout) != e.CreatedAt {
		return bad("created_at")
	}
	if len(e.Keys) == 0 || len(e.Keys) > 100 {
		return bad("keys")
	}
	if e.TLSCertSHA256 != "" && (!hexRE.MatchString(e.TLSCertSHA256) || e.Office.Role != string(domain.RoleCollector)) {
		return bad("tls_cert_sha256")
	}
	if e.TLSSPKISHA256 != "" && (!hexRE.MatchString(e.TLSSPKISHA256) || e.TLSCertSHA256 == "") {
		return bad("tls_spki_sha256")
	}
	if e.SettingsFile != "" {
		if b, err := base64.StdEncoding.DecodeString(e.SettingsFile); err != nil || len(b) > 512<<10 || e.Office.Role != string(domain.RoleCollector) ||
			base64.StdEncoding.EncodeToString(b) != e.SettingsFile {
			return bad("settings_file")
		}
	}
	if e.AgeRecipient != "" {
		if _, err := ParseRecipient(e.AgeRecipient); err != nil || e.Office.Role != string(domain.RoleCollector) {
			return bad("age_recipient")
		}
	}
	for i, k := range e.Keys {
		pk, err := ParsePublicKey(k.PublicKey)
		if err != nil || KeyID(pk.ID()) != k.KeyID {
			return bad("keys: public key and key id differ")
		}
		if (i == 0) != (k.PrevKeyID == "") || (i == 0) != (k.RotationSig == "") {
			return bad("keys: only the first key has no rotation signature")
		}
	}
	return nil
}

// Settings is the settings file the enrollment carries, nil when none.
// Its own signature is checked when it is read (ReadSettings).
func (e *Enrollment) Settings() []byte {
	b, _ := base64.StdEncoding.DecodeString(e.SettingsFile)
	return b
}

// StoreEnrollment is e as the store records it.
func (e *Enrollment) StoreEnrollment() store.Enrollment {
	out := store.Enrollment{Office: domain.Office{ID: e.Office.ID, Code: e.Office.Code, Name: e.Office.Name,
		Kind: domain.OfficeKind(e.Office.Kind), Role: domain.OfficeRole(e.Office.Role)}, TLSPin: store.TLSPin{Cert: e.TLSCertSHA256, SPKI: e.TLSSPKISHA256}, Recipient: e.AgeRecipient}
	for _, k := range e.Keys {
		out.Keys = append(out.Keys, store.OfficeKey{KeyID: k.KeyID, PublicKey: k.PublicKey, PrevKeyID: k.PrevKeyID, RotationSig: k.RotationSig})
	}
	return out
}

// Enroll reads an enrollment file and records the office. When fingerprint
// is not empty it must match the file's current key, as read out on the
// phone. A collecting office becomes a destination that receives every
// kind of data, or keeps what it received when enrolled before.
func Enroll(ctx context.Context, st *store.Store, actor store.Actor, name string, data []byte, fingerprint string) (*Enrollment, store.EnrollResult, error) {
	return EnrollKinds(ctx, st, actor, name, data, fingerprint, nil)
}

// EnrollKinds is Enroll that also says which kinds of data
// (domain.DataKinds) a collecting office receives from this one; nil as
// Enroll.
func EnrollKinds(ctx context.Context, st *store.Store, actor store.Actor, name string, data []byte, fingerprint string, kinds []string) (*Enrollment, store.EnrollResult, error) {
	e, err := ReadEnrollment(name, data)
	if err != nil {
		return nil, store.EnrollResult{}, err
	}
	if fingerprint != "" && normalizeFingerprint(fingerprint) != e.Current().KeyID {
		return e, store.EnrollResult{}, &Error{Problem: ProblemWrongKey, File: name, Detail: "fingerprint differs", Args: map[string]any{"Want": fingerprint, "Got": Fingerprint(e.Current().KeyID)}}
	}
	se := e.StoreEnrollment()
	se.Kinds = kinds
	res, err := st.EnrollOffice(ctx, actor, se)
	return e, res, err
}

func normalizeFingerprint(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'f':
			out = append(out, c-'a'+'A')
		case c >= '0' && c <= '9', c >= 'A' && c <= 'F':
			out = append(out, c)
		}
	}
	return string(out)
}
