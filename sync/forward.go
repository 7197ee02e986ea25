package sync

import (
	"context"
	"danvan/internal/domain"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"danvan/store"
	"danvan/store/vn"
)

// ForwardFormat is the version of a forwarding batch (issue 28,
// docs/batch-format.md §11): what a collecting office that reports to an
// office above sends it. It carries the batches its units sent it, byte
// for byte as each unit signed it, and the units with their keys; it is
// signed by the forwarding office and encrypted to the office above. It
// sits in the forwarding office's chain to the office above like any batch.
const ForwardFormat = "danvan-forward/1"

// ForwardManifest is a forwarding batch's manifest.json.
type ForwardManifest struct {
	Format     string         `json:"format"`
	Office     ManifestOffice `json:"office"`
	To         ManifestOffice `json:"to"`
	KeyID      string         `json:"key_id"`
	Seq        int64          `json:"seq"`
	PrevSHA256 string         `json:"prev_sha256"`
	CreatedAt  string         `json:"created_at"`
	// Units are the units the sender vouches for, each as its enrollment
	// file would introduce it (keys oldest first, each after the first
	// signed by the one before).
	Units []Enrollment `json:"units"`
	// Mergers among the units: a unit counted under another from a day on.
	Mergers []ForwardMerger `json:"mergers"`
	Batches []ForwardRef    `json:"batches"`
}

// ForwardMerger is one unit merged into another from a day (yyyy-mm-dd).
type ForwardMerger struct {
	Office string `json:"office_id"`
	Into   string `json:"into_id"`
	From   string `json:"from_date"`
}

// ForwardRef names one unit batch carried: its member, whose it is, its
// place in that unit's chain and the SHA-256 of its signed zip.
type ForwardRef struct {
	Name   string `json:"name"`
	Office string `json:"office_id"`
	Seq    int64  `json:"seq"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Forward is what a forwarding batch carries, checked.
type Forward struct {
	Units   []store.Enrollment
	Mergers []store.Merger
	Batches []*Batch // each verified against its unit's own signature
}

// Bounds of one forwarding batch: the unit batches it carries, their bytes
// (well under a file's limit, DefaultLimits), and its manifest.
const (
	MaxForwarded       = 2000
	maxForwardBytes    = 64 << 20
	maxForwardManifest = 8 << 20
)

var forwardNameRE = regexp.MustCompile(`^b[0-9]{6}\.zip$`)

func forwardMemberName(i int) string { return fmt.Sprintf("b%06d.zip", i+1) }

func (m *ForwardManifest) trustedComment(sha string) string {
	return fmt.Sprintf("format:%s office:%s to:%s seq:%d manifest-sha256:%s", ForwardFormat, m.Office.Code, m.To.Code, m.Seq, sha)
}

// FileName is <CODE>-<seq:06>-<yyyymmdd>.zip.age, as a batch's.
func (m *ForwardManifest) FileName() string {
	t, _ := time.Parse(timeLayout, m.CreatedAt)
	return fmt.Sprintf("%s-%06d-%s.zip.age", m.Office.Code, m.Seq, t.Format("20060102"))
}

// asManifest is the forwarding batch as a batch's manifest, for the
// callers that show a batch (its sender, seq and hash).
func (m *ForwardManifest) asManifest() *Manifest {
	to := m.To
	return &Manifest{Format: ForwardFormat, Office: m.Office, To: &to, KeyID: m.KeyID, Seq: m.Seq, PrevSHA256: m.PrevSHA256, CreatedAt: m.CreatedAt}
}

// isForward says whether a zip is a forwarding batch, by its manifest's
// version alone; readForward checks the rest.
func isForward(data []byte, lim Limits) bool {
	mb, ok := peekMember(data, ManifestName, maxForwardManifest)
	if !ok {
		return false
	}
	var head struct {
		Format string `json:"format"`
	}
	return json.Unmarshal(mb, &head) == nil && head.Format == ForwardFormat
}

// ReceivedDir is where a collecting office keeps the signed zip of every
// unit batch it imported, to forward it upward byte for byte.
func ReceivedDir(dataDir string) string { return filepath.Join(dataDir, "received") }

// keepReceived writes a unit batch's signed zip into received/, named by
// its hash; the same batch twice is one file.
func keepReceived(dataDir string, b *Batch) error {
	if len(b.Signed) == 0 || b.Forward != nil {
		return nil
	}
	name := b.SHA256 + ".zip"
	if _, err := os.Stat(filepath.Join(ReceivedDir(dataDir), name)); err == nil {
		return nil
	}
	return WriteFileAtomic(ReceivedDir(dataDir), name, b.Signed)
}

// ExportForward writes the next forwarding batch to the office above dest:
// every unit batch received here and not yet forwarded there, with the
// units and their keys. Unit batches received before this office kept
// them (received/) cannot be forwarded; they are listed in Missing.
func ExportForward(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir string, opt ExportOptions) (ExportResult, error) {
	var res ExportResult
	plan, err := st.PrepareForward(ctx, actor, opt.To)
	if err != nil {
		return res, err
	}
	res.Dest = plan.Dest
	if sg.KeyID() != plan.Key.KeyID {
		return res, fail(ProblemBadKey, "", "the unlocked key is not this office's current key", nil)
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	var items []store.ForwardItem
	var members []member
	var bytes int64
	m := &ForwardManifest{Format: ForwardFormat, Office: ManifestOffice{ID: plan.Office.ID, Code: plan.Office.Code, Name: plan.Office.Name},
		To: ManifestOffice{ID: plan.Dest.Office.ID, Code: plan.Dest.Office.Code, Name: plan.Dest.Office.Name}, KeyID: plan.Key.KeyID,
		Seq: plan.Seq, PrevSHA256: plan.PrevSHA256, CreatedAt: now().UTC().Format(timeLayout), Units: []Enrollment{}, Mergers: []ForwardMerger{},
		Batches: []ForwardRef{}}
	for _, mg := range plan.Mergers {
		m.Mergers = append(m.Mergers, ForwardMerger{Office: mg.OfficeID, Into: mg.IntoID, From: mg.From.Format(domain.DateLayout)})
	}
	m.Units = unitEnrollments(plan.Units, m.CreatedAt)
	for _, it := range plan.Items {
		if len(items) == MaxForwarded || bytes >= maxForwardBytes {
			break // the rest goes in the next batch
		}
		data, err := os.ReadFile(filepath.Join(ReceivedDir(dataDir), it.SHA256+".zip"))
		if err != nil || SHA256Hex(data) != it.SHA256 {
			res.Missing = append(res.Missing, fmt.Sprintf("%s %d", it.Code, it.Seq))
			continue
		}
		if bytes+int64(len(data)) > maxForwardBytes && len(items) > 0 {
			break // the rest goes in the next batch
		}
		bytes += int64(len(data))
		name := forwardMemberName(len(items))
		m.Batches = append(m.Batches, ForwardRef{Name: name, Office: it.OfficeID, Seq: it.Seq, Size: int64(len(data)), SHA256: it.SHA256})
		members = append(members, member{name, data})
		items = append(items, it)
	}
	if len(items) == 0 && len(res.Missing) > 0 {
		return res, &ForwardMissingError{Batches: res.Missing}
	}
	if len(items) == 0 && !opt.Full {
		return res, ErrNothingToExport
	}
	mb, err := marshalCanonical(m)
	if err != nil {
		return res, err
	}
	if len(mb) > maxForwardManifest {
		return res, fmt.Errorf("sync: a forwarding batch's manifest of %d bytes is over its limit", len(mb))
	}
	sig := sg.signText(mb, m.trustedComment(SHA256Hex(mb)))
	all := append(append([]member{{ManifestName, mb}}, members...), member{SignatureName, sig})
	signed, err := writeZip(all)
	if err != nil {
		return res, err
	}
	res.SHA256 = SHA256Hex(signed)
	if plan.Dest.Recipient == "" {
		return res, &Error{Problem: ProblemNotForUs, Detail: "the office above gave no encryption key"}
	}
	recipients := []string{plan.Dest.Recipient}
	if own := sg.Recipient(); own != "" {
		recipients = append(recipients, own)
	}
	data, err := seal(signed, recipients)
	if err != nil {
		return res, err
	}
	res.Encrypted, res.FileSHA256 = true, SHA256Hex(data)
	res.Manifest = m.asManifest()
	res.Forwarded = len(items)
	err = writeOutbox(OutboxDir(dataDir, plan.Dest), m.FileName(), data, opt.Extra, plan.Dest, &res, func() error {
		return st.RecordForwardSent(ctx, actor, store.SentBatch{Dest: plan.Dest.Office.ID, Seq: m.Seq, FileName: m.FileName(), SHA256: res.SHA256,
			FileSHA256: res.FileSHA256, PrevSHA256: m.PrevSHA256, KeyID: m.KeyID, CreatedAt: now().UTC(), Records: len(items)}, items)
	})
	return res, err
}

// unitEnrollments are the units a forwarding batch vouches for, each as
// its enrollment file would introduce it.
func unitEnrollments(units []store.UnitKeys, createdAt string) []Enrollment {
	out := []Enrollment{}
	for _, u := range units {
		e := Enrollment{Format: EnrollmentFormat, Office: EnrollOffice{ID: u.Office.ID, Code: u.Office.Code, Name: u.Office.Name,
			Kind: string(u.Office.Kind), Role: string(u.Office.Role)}, CreatedAt: createdAt}
		for _, k := range u.Keys {
			e.Keys = append(e.Keys, EnrollmentKey{KeyID: k.KeyID, PublicKey: k.PublicKey, PrevKeyID: k.PrevKeyID, RotationSig: k.RotationSig})
		}
		out = append(out, e)
	}
	return out
}

// unitTrust answers for the units a forwarding batch vouches for: an
// office not enrolled here is known by the forwarder's word, checked
// signature by signature; an enrolled one keeps its keys, plus those the
// forwarder lists that continue them.
type unitTrust struct {
	Trust
	units map[string]store.Enrollment
}

func (u unitTrust) Office(ctx context.Context, id string) (domain.Office, error) {
	o, err := u.Trust.Office(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		if e, ok := u.units[id]; ok {
			return e.Office, nil
		}
	}
	return o, err
}

func (u unitTrust) OfficeKeys(ctx context.Context, id string) ([]store.OfficeKey, error) {
	keys, err := u.Trust.OfficeKeys(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if e, ok := u.units[id]; ok {
		keys = append(keys, e.Keys...)
	}
	return keys, nil
}

// readForward checks a forwarding batch whole: the forwarder's signature
// by a key enrolled here, the units it vouches for (each key chain signed
// through), and every unit batch it carries against that unit's own
// signature. One unit batch changed on the way refuses the whole file.
func readForward(ctx context.Context, trust Trust, data []byte, lim Limits, encrypted bool) (*Batch, error) {
	mb, _ := peekMember(data, ManifestName, maxForwardManifest)
	if err := checkText(ManifestName, mb); err != nil {
		return nil, err
	}
	var m ForwardManifest
	if err := readDoc(ManifestName, mb, &m); err != nil {
		return nil, err
	}
	bad := func(field, why string) error {
		return &Error{Problem: ProblemBadField, Member: ManifestName, Detail: field + ": " + why}
	}
	if !encrypted {
		return nil, &Error{Problem: ProblemPlaintext, Detail: "a forwarding batch in clear", Args: map[string]any{"Office": vn.Printable(m.Office.Code)}}
	}
	for _, o := range []ManifestOffice{m.Office, m.To} {
		if _, err := uuid.Parse(o.ID); err != nil || len(o.ID) != 36 || !codeRE.MatchString(o.Code) || o.Name == "" || len(o.Name) > 800 {
			return nil, bad("office", "not an office")
		}
	}
	if m.Seq < 1 || m.Seq > 999999 || (m.Seq == 1) != (m.PrevSHA256 == "") || (m.PrevSHA256 != "" && !hexRE.MatchString(m.PrevSHA256)) || !validTime(m.CreatedAt) {
		return nil, bad("seq", "not a place in a chain")
	}
	if len(m.Batches) > MaxForwarded || len(m.Units) > 20000 {
		return nil, bad("batches", "too many")
	}
	names := []string{ManifestName}
	for i, r := range m.Batches {
		if r.Name != forwardMemberName(i) || !forwardNameRE.MatchString(r.Name) || !hexRE.MatchString(r.SHA256) || r.Seq < 1 || r.Size < 0 {
			return nil, bad("batches", "unexpected name, order or hash")
		}
		names = append(names, r.Name)
	}
	names = append(names, SignatureName)
	members, err := readZip(data, names, lim)
	if err != nil {
		return nil, err
	}
	to, err := trust.Office(ctx, m.To.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if !to.Self {
		return nil, &Error{Problem: ProblemAddressed, Member: ManifestName, Detail: "addressed to " + m.To.Code, Args: map[string]any{"Office": m.To.Code}}
	}
	b := &Batch{SHA256: SHA256Hex(data), Manifest: m.asManifest(), Encrypted: true, Signed: data}
	office, err := trust.Office(ctx, m.Office.ID)
	if errors.Is(err, store.ErrNotFound) {
		return b, &Error{Problem: ProblemUnknownOffice, Detail: m.Office.Code, Args: map[string]any{"Office": m.Office.Code, "Name": m.Office.Name}}
	} else if err != nil {
		return nil, err
	}
	if office.Self {
		return nil, &Error{Problem: ProblemWrongOffice, Detail: "this office's own batch"}
	}
	// Only a collecting office that reports here forwards: a commune (or
	// the office above) cannot vouch for units.
	if office.Role != domain.RoleCollector {
		return nil, &Error{Problem: ProblemForeign, Member: ManifestName, Detail: office.Code + " is not a collecting office", Args: map[string]any{"Office": office.Code}}
	}
	b.Office = office
	if err := verifySignedBy(ctx, trust, office, m.KeyID, SignatureName, mb, members[SignatureName], m.trustedComment(SHA256Hex(mb))); err != nil {
		return nil, err
	}
	// The units, as the forwarder vouches for them.
	fw := &Forward{}
	units := map[string]store.Enrollment{}
	for _, e := range m.Units {
		e := e
		if err := e.validate(); err != nil {
			return nil, err
		}
		if err := e.verifyChain(); err != nil {
			return nil, err
		}
		if e.Office.ID == office.ID || e.Office.Role == string(domain.RoleCollector) || units[e.Office.ID].Office.ID != "" {
			return nil, bad("units", "the forwarder, a collecting office or a unit twice")
		}
		known, err := trust.Office(ctx, e.Office.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, err
		case known.Self || known.Role == domain.RoleCollector || known.ParentID != office.ID:
			// A unit enrolled here directly, or another office's: not the
			// forwarder's to speak for.
			return nil, &Error{Problem: ProblemForeign, Member: ManifestName, Detail: "unit " + known.Code + " is not " + office.Code + "'s",
				Args: map[string]any{"Office": known.Code}}
		}
		se := e.StoreEnrollment()
		se.Office.ParentID = office.ID
		units[e.Office.ID] = se
		fw.Units = append(fw.Units, se)
	}
	for _, mg := range m.Mergers {
		from, err := time.Parse(domain.DateLayout, mg.From)
		if err != nil || units[mg.Office].Office.ID == "" || units[mg.Into].Office.ID == "" || mg.Office == mg.Into {
			return nil, bad("mergers", "a merger of offices the forwarder does not vouch for")
		}
		fw.Mergers = append(fw.Mergers, store.Merger{OfficeID: mg.Office, IntoID: mg.Into, From: from})
	}
	ut := unitTrust{Trust: trust, units: units}
	for _, r := range m.Batches {
		inner := members[r.Name]
		if int64(len(inner)) != r.Size || SHA256Hex(inner) != r.SHA256 {
			return nil, &Error{Problem: ProblemBadHash, Member: r.Name}
		}
		if _, ok := units[r.Office]; !ok {
			return nil, &Error{Problem: ProblemForeign, Member: r.Name, Detail: "a batch of an office the forwarder does not vouch for"}
		}
		ib, err := readBatch(ctx, ut, inner, lim, readOpts{via: office.ID})
		if err != nil {
			// Which unit's batch, and why: the office above tells the one
			// below exactly what it refused.
			var e *Error
			if errors.As(err, &e) {
				e.File = units[r.Office].Office.Code + fmt.Sprintf(" %d (%s)", r.Seq, r.Name)
			}
			return nil, err
		}
		if ib.Office.ID != r.Office || ib.Manifest.Seq != r.Seq {
			return nil, &Error{Problem: ProblemBadField, Member: r.Name, Detail: "not the batch the manifest names"}
		}
		ib.FileName = fmt.Sprintf("%s-%06d-via-%s.zip", ib.Office.Code, ib.Manifest.Seq, office.Code)
		ib.Encrypted = true // it travelled inside the forwarder's encryption
		fw.Batches = append(fw.Batches, ib)
	}
	b.Forward = fw
	return b, nil
}

// verifyChain checks that each key after the first is signed by the one
// before it.
func (e *Enrollment) verifyChain() error {
	for i := 1; i < len(e.Keys); i++ {
		prev, k := e.Keys[i-1], e.Keys[i]
		if k.PrevKeyID != prev.KeyID {
			return fail(ProblemBadSignature, EnrollmentName, "key chain broken", nil)
		}
		sig, err := parseSignature(EnrollmentName, []byte(k.RotationSig))
		if err != nil {
			return err
		}
		if err := verifySignature(EnrollmentName, prev.PublicKey, RotationMessage(e.Office.ID, prev.KeyID, k.PublicKey), []byte(k.RotationSig), sig, rotationComment(e.Office.ID, k.KeyID)); err != nil {
			return err
		}
	}
	return nil
}

// ForwardMissingError is a forwarding export with nothing to carry but
// unit batches received before this office kept them.
type ForwardMissingError struct{ Batches []string }

func (e *ForwardMissingError) Error() string {
	return fmt.Sprintf("sync: %d unit batches cannot be forwarded: received before they were kept", len(e.Batches))
}

// MessageCode implements domain.Coded.
func (e *ForwardMissingError) MessageCode() (string, map[string]any) {
	return "batch.forward_missing_all", map[string]any{"Count": len(e.Batches), "Batches": strings.Join(e.Batches, ", ")}
}
