package sync

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"path/filepath"
	"time"

	"danvan/store"
)

// Trust is what verifying needs to know about other offices: who is
// enrolled and with which keys. *store.Store implements it.
type Trust interface {
	Office(ctx context.Context, id string) (domain.Office, error)
	OfficeKeys(ctx context.Context, officeID string) ([]store.OfficeKey, error)
}

// Batch is a batch file that passed every check of the format and of the
// signature. Its chain position is judged separately (Chain), because that
// depends on what else has arrived.
type Batch struct {
	FileName string
	SHA256   string // of the whole file; the next batch names it as prev_sha256
	Manifest *Manifest
	Office   domain.Office // the sender, as enrolled here
	Records  []store.SyncRecord
	// Encrypted says the file was encrypted to this office; SHA256 is
	// then the hash of the signed zip inside, which the sender's chain and
	// receipts name, and not of the file that travelled.
	Encrypted bool
	// Signed is the signed zip itself (inside any encryption): what a
	// collecting office keeps, to forward it byte for byte upward.
	Signed []byte
	// Forward is set for a forwarding batch (danvan-forward/1): the units
	// its sender vouches for and the unit batches it carries, each checked
	// against its unit's own signature.
	Forward *Forward
}

// Link is the batch's place in its sender's chain.
func (b *Batch) Link() store.ChainLink {
	return store.ChainLink{Seq: b.Manifest.Seq, SHA256: b.SHA256, PrevSHA256: b.Manifest.PrevSHA256}
}

// Incoming is the batch as the store imports it.
func (b *Batch) Incoming() store.IncomingBatch {
	t, _ := time.Parse(timeLayout, b.Manifest.CreatedAt)
	return store.IncomingBatch{OfficeID: b.Office.ID, Seq: b.Manifest.Seq, SHA256: b.SHA256, PrevSHA256: b.Manifest.PrevSHA256,
		FileName: b.FileName, CreatedAt: t, Records: b.Records, Encrypted: b.Encrypted}
}

// ReadBatch checks a batch file completely except for its chain position:
// an encrypted file is first decrypted with the key trust carries
// (WithKey); then the zip's layout and limits, the manifest and its version
// (encrypted exactly when it says danvan-batch/2), the signature by a key
// enrolled for the sending office, every member's hash, and every record.
// On ErrUnknownOffice the returned Batch still carries the manifest, so the
// file can be quarantined under the sender's name.
func ReadBatch(ctx context.Context, trust Trust, name string, data []byte, lim Limits) (*Batch, error) {
	return readNamed(ctx, trust, name, data, lim, false)
}

func readNamed(ctx context.Context, trust Trust, name string, data []byte, lim Limits, own bool) (*Batch, error) {
	b, err := readBatch(ctx, trust, data, lim, readOpts{own: own})
	if b != nil {
		b.FileName = filepath.Base(name)
	}
	var e *Error
	if errors.As(err, &e) && e.File == "" {
		e.File = filepath.Base(name)
	}
	return b, err
}

// readOpts say whose batch is read: this office's own (RecoverSent), which
// an import refuses; or a unit batch forwarded by the office via, which
// travelled inside via's encrypted batch and may be addressed to via.
type readOpts struct {
	own bool
	via string
}

// readBatch reads and checks a batch.
func readBatch(ctx context.Context, trust Trust, data []byte, lim Limits, ro readOpts) (*Batch, error) {
	own := ro.own
	encrypted := IsEncrypted(data)
	if encrypted {
		inner, err := open(trust, data, lim)
		if err != nil {
			return nil, err
		}
		data = inner
	}
	if ro.via == "" && !own && isForward(data, lim) {
		return readForward(ctx, trust, data, lim, encrypted)
	}
	members, err := readZipVersioned(data, lim)
	if err != nil {
		return nil, err
	}
	mb := members[ManifestName]
	m, err := parseManifest(mb)
	if err != nil {
		return nil, err
	}
	switch {
	case ro.via != "":
		// Inside the forwarding office's encrypted batch: the unit's zip
		// travels as it was signed, whichever version it is.
	case encrypted && !m.Encrypted():
		return nil, &Error{Problem: ProblemVersion, Member: ManifestName, Detail: "a danvan-batch/1 zip inside an encrypted file", Args: map[string]any{"Version": m.Format}}
	case !encrypted && m.Encrypted():
		return nil, &Error{Problem: ProblemPlaintext, Detail: "a " + m.Format + " zip in clear", Args: map[string]any{"Office": m.Office.Code}}
	}
	b := &Batch{SHA256: SHA256Hex(data), Manifest: m, Encrypted: encrypted, Signed: data}
	sigText := members[SignatureName]
	sig, err := parseSignature(SignatureName, sigText)
	if err != nil {
		return nil, err
	}
	office, err := trust.Office(ctx, m.Office.ID)
	if errors.Is(err, store.ErrNotFound) {
		return b, &Error{Problem: ProblemUnknownOffice, Detail: m.Office.Code, Args: map[string]any{"Office": m.Office.Code, "Name": m.Office.Name}}
	} else if err != nil {
		return nil, err
	}
	if office.Self != own {
		if own {
			return nil, &Error{Problem: ProblemWrongOffice, Detail: "another office's batch"}
		}
		return nil, &Error{Problem: ProblemWrongOffice, Detail: "this office's own batch"}
	}
	b.Office = office
	if m.To != nil && !own {
		// Addressed to one office (danvan-batch/3): another collecting
		// office of the same commune may not take it for its own. A unit
		// batch forwarded upward was addressed to the office forwarding it.
		to, err := trust.Office(ctx, m.To.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if ro.via != "" && m.To.ID != ro.via || ro.via == "" && !to.Self {
			return nil, &Error{Problem: ProblemAddressed, Member: ManifestName, Detail: "addressed to " + m.To.Code, Args: map[string]any{"Office": m.To.Code}}
		}
	}
	keys, err := trust.OfficeKeys(ctx, office.ID)
	if err != nil {
		return nil, err
	}
	if KeyID(sig.KeyID) != m.KeyID {
		return nil, fail(ProblemWrongKey, SignatureName, "the signature's key is not the manifest's", nil)
	}
	var pub string
	for _, k := range keys {
		if k.KeyID == m.KeyID {
			pub = k.PublicKey
		}
	}
	if pub == "" {
		return nil, &Error{Problem: ProblemWrongKey, Member: SignatureName, Detail: "key " + m.KeyID + " is not enrolled for " + office.Code, Args: map[string]any{"Office": office.Code}}
	}
	if err := verifySignature(SignatureName, pub, mb, sigText, sig, m.trustedComment(SHA256Hex(mb))); err != nil {
		return nil, err
	}
	if m.Office.Code != office.Code {
		return nil, fail(ProblemBadField, ManifestName, "office code differs from the enrolled one", nil)
	}
	for _, mi := range m.Members {
		got := members[mi.Name]
		if int64(len(got)) != mi.Size || SHA256Hex(got) != mi.SHA256 {
			return nil, &Error{Problem: ProblemBadHash, Member: mi.Name}
		}
	}
	kinds := map[string]store.SyncKind{}
	byMember := map[string]store.SyncKind{}
	for _, k := range store.SyncKinds() {
		kinds[k.Kind] = k
		byMember[k.Member] = k
	}
	var counts Counts
	seen := map[string]bool{}
	for _, name := range dataMembers {
		recs, err := parseRecords(name, members[name], m.Office.ID, kinds, byMember)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if seen[r.Kind+"/"+r.ID] {
				return nil, &Error{Problem: ProblemDuplicate, Member: name, Detail: "record " + r.ID}
			}
			seen[r.Kind+"/"+r.ID] = true
		}
		*counts.of(name) = len(recs)
		b.Records = append(b.Records, recs...)
	}
	if counts != m.Counts {
		return nil, fail(ProblemBadField, ManifestName, "counts do not match the members", nil)
	}
	return b, nil
}

// readZipVersioned reads the members, but first looks at the manifest of a
// file whose member list is not ours: a newer format must be reported as
// such, not as missing or extra members.
func readZipVersioned(data []byte, lim Limits) (map[string][]byte, error) {
	members, err := readZip(data, batchMembers, lim)
	if err == nil {
		return members, nil
	}
	switch ProblemOf(err) {
	case ProblemExtra, ProblemMissing:
		for _, other := range []string{EnrollmentName, ReceiptName} {
			if e := err.(*Error); e.Member == other || (e.Problem == ProblemMissing && hasMember(data, other)) {
				return nil, &Error{Problem: ProblemOtherKind, Member: other, Args: map[string]any{"Kind": other}}
			}
		}
	}
	switch ProblemOf(err) {
	case ProblemMissing, ProblemExtra, ProblemNotCanonical, ProblemBadField:
		if mb, ok := peekManifest(data, lim); ok {
			if _, verr := parseManifest(mb); ProblemOf(verr) == ProblemVersion {
				return nil, verr
			}
		}
	}
	return nil, err
}
