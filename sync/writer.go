package sync

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"danvan/store"
)

// BuildBatch encodes and signs the batch a plan describes: the signed zip,
// in version danvan-batch/2 when the plan has recipients to encrypt to
// (Seal does that next), danvan-batch/3 when it also goes to a destination
// other than the primary one, and danvan-batch/1 when it has none. The same plan,
// key and time give the same bytes.
func BuildBatch(plan store.ExportPlan, sg *Signer, now time.Time, progress func(done, total int)) ([]byte, *Manifest, error) {
	if sg.KeyID() != plan.Key.KeyID {
		return nil, nil, fail(ProblemBadKey, "", "the unlocked key is not this office's current key", nil)
	}
	members := map[string][]byte{}
	var counts Counts
	kinds := map[string]store.SyncKind{}
	for _, k := range store.SyncKinds() {
		kinds[k.Kind] = k
	}
	for i, r := range plan.Records {
		k, ok := kinds[r.Kind]
		if !ok {
			return nil, nil, fmt.Errorf("sync: no member for record kind %q", r.Kind)
		}
		name := k.Member
		if r.DeletedAt != "" {
			name = DeletionsName
		}
		b, err := appendRecord(members[name], k, r)
		if err != nil {
			return nil, nil, err
		}
		members[name] = b
		c := counts.of(name)
		if c == nil {
			return nil, nil, fmt.Errorf("sync: kind %q names member %q, which the format does not have", r.Kind, name)
		}
		*c++
		if progress != nil && (i%500 == 0 || i == len(plan.Records)-1) {
			progress(i+1, len(plan.Records))
		}
	}
	format := FormatClear
	var to *ManifestOffice
	switch {
	case len(plan.Recipients) > 0 && plan.Addressed():
		format = FormatTo
		d := plan.Dest.Office
		to = &ManifestOffice{ID: d.ID, Code: d.Code, Name: d.Name}
	case len(plan.Recipients) > 0:
		format = Format
	}
	m := &Manifest{
		Format:     format,
		Office:     ManifestOffice{ID: plan.Office.ID, Code: plan.Office.Code, Name: plan.Office.Name},
		To:         to,
		KeyID:      plan.Key.KeyID,
		Seq:        plan.Seq,
		PrevSHA256: plan.PrevSHA256,
		CreatedAt:  now.UTC().Format(timeLayout),
		Full:       plan.Full,
		Counts:     counts,
	}
	for _, n := range dataMembers {
		m.Members = append(m.Members, MemberInfo{Name: n, Size: int64(len(members[n])), SHA256: SHA256Hex(members[n])})
	}
	data, err := assemble(m, members, sg)
	return data, m, err
}

// assemble writes the manifest, signs it and zips everything in order.
func assemble(m *Manifest, members map[string][]byte, sg *Signer) ([]byte, error) {
	mb, err := marshalCanonical(m)
	if err != nil {
		return nil, err
	}
	sig := sg.signText(mb, m.trustedComment(SHA256Hex(mb)))
	list := []member{{ManifestName, mb}}
	for _, n := range dataMembers {
		list = append(list, member{n, members[n]})
	}
	list = append(list, member{SignatureName, sig})
	return writeZip(list)
}

// ExportOptions choose what Export writes and where.
type ExportOptions struct {
	// To is the destination (its office code or id); "" is the primary
	// one, or the one chain of an office that has enrolled none.
	To       string
	Full     bool             // every owned record, not only changes
	Extra    string           // a second folder (a USB stick) to copy the file to; "" for none
	Now      func() time.Time // the clock; time.Now when nil
	Progress func(done, total int)
}

// ExportResult is the file Export wrote.
type ExportResult struct {
	Dest       store.Destination // whom it is for; zero when no collecting office is enrolled
	Path       string            // in the data folder's outbox/ (outbox/<code>/ for a destination other than the primary)
	ExtraPath  string            // the copy, when asked for
	SHA256     string            // of the signed zip (inside the encryption, when encrypted)
	FileSHA256 string            // of the file as written: what the outbox holds
	Manifest   *Manifest
	// Encrypted says the file is encrypted to the collecting offices'
	// recipients; false when none is enrolled, and the batch went in clear.
	Encrypted bool
	// Forwarded counts the unit batches a forwarding batch carries
	// (ExportForward); Missing names those it could not, "CODE seq".
	Forwarded int
	Missing   []string
}

// Seal encrypts a signed batch (BuildBatch) to recipients with age. The
// zip's hash stays the batch's hash; the sealed bytes differ every time.
func Seal(signed []byte, recipients []string) ([]byte, error) {
	return seal(signed, recipients)
}

// Export writes this office's next batch into dataDir/outbox (and the extra
// folder), and records it as sent. It never changes or deletes a record.
// The file is written to a temporary name, synced, recorded, and only then
// renamed, so a failure leaves neither a partial file nor a batch number
// used by two different files.
func Export(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir string, opt ExportOptions) (ExportResult, error) {
	var res ExportResult
	// A collecting office reports upward by forwarding its units' batches.
	if self, err := st.SelfOffice(ctx); err != nil {
		return res, err
	} else if self.Role == domain.RoleCollector {
		dests, err := st.Destinations(ctx)
		if err != nil {
			return res, err
		}
		// With an office above, a collecting office forwards; without
		// one it writes its own batch, as it always could.
		if len(dests) > 0 {
			if opt.To == "" {
				opt.To = dests[0].Office.ID
			}
			return ExportForward(ctx, st, actor, sg, dataDir, opt)
		}
	}
	plan, err := st.PrepareExport(ctx, actor, opt.To, opt.Full)
	if err != nil {
		return res, err
	}
	res.Dest = plan.Dest
	// Nothing changed since the last batch: no batch, and no number used
	// for it (a number the collecting office would wait for in vain, or
	// that a restore would make collide). A full export always writes.
	if len(plan.Records) == 0 && !opt.Full {
		return res, ErrNothingToExport
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	data, m, err := BuildBatch(plan, sg, now(), opt.Progress)
	if err != nil {
		return res, err
	}
	res.Manifest, res.SHA256 = m, SHA256Hex(data)
	if m.Encrypted() {
		// To the collecting offices, and to this office itself: its own
		// sent batches are how a restore gets back what a backup lacks
		// (RecoverSent), and only its key opens them here.
		recipients := plan.Recipients
		if own := sg.Recipient(); own != "" && !slices.Contains(recipients, own) {
			recipients = append(slices.Clip(recipients), own)
		}
		if data, err = seal(data, recipients); err != nil {
			return res, err
		}
		res.Encrypted = true
	}
	res.FileSHA256 = SHA256Hex(data)
	outbox := OutboxDir(dataDir, plan.Dest)
	err = writeOutbox(outbox, m.FileName(), data, opt.Extra, plan.Dest, &res, func() error {
		return st.RecordBatchSent(ctx, actor, store.SentBatch{
			Dest: plan.Dest.Office.ID, Seq: m.Seq, FileName: m.FileName(), SHA256: res.SHA256, FileSHA256: res.FileSHA256, PrevSHA256: m.PrevSHA256, KeyID: m.KeyID,
			CreatedAt: now().UTC(), Full: m.Full, Records: len(plan.Records), MaxChange: plan.MaxChange,
		})
	})
	return res, err
}

// writeOutbox writes a batch file into outbox through a temporary name,
// records it (record), and only then gives it its name; then copies it to
// extra/<destination's folder> when asked. A failure leaves neither a
// partial file nor a number used by two files.
func writeOutbox(outbox, name string, data []byte, extra string, dest store.Destination, res *ExportResult, record func() error) error {
	tmp, err := writeTemp(outbox, name, data)
	if err != nil {
		return err
	}
	if err := record(); err != nil {
		os.Remove(tmp)
		return err
	}
	final := filepath.Join(outbox, name)
	if err := commitTemp(tmp, final); err != nil {
		return err
	}
	res.Path = final
	if extra != "" {
		dir := filepath.Join(extra, dest.Folder())
		res.ExtraPath = filepath.Join(dir, name)
		if err := WriteFileAtomic(dir, name, data); err != nil {
			return &copyError{Path: res.ExtraPath, Err: err}
		}
	}
	return nil
}

// OutboxDir is the folder a destination's batches are written to: the
// outbox for the primary one, outbox/<code>/ for each other.
func OutboxDir(dataDir string, d store.Destination) string {
	return filepath.Join(dataDir, "outbox", d.Folder())
}

// ExportEach writes the next batch to every destination (or only to the
// one opt.To names), in the order store.Destinations gives. A destination
// with nothing new gets no batch and no error. It stops at the first
// other failure, returning what was written before it.
func ExportEach(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir string, opt ExportOptions) ([]ExportResult, error) {
	targets := []string{opt.To}
	if opt.To == "" {
		dests, err := st.Destinations(ctx)
		if err != nil {
			return nil, err
		}
		if len(dests) > 0 {
			targets = targets[:0]
			for _, d := range dests {
				targets = append(targets, d.Office.ID)
			}
		}
	}
	var out []ExportResult
	for _, to := range targets {
		o := opt
		o.To = to
		r, err := Export(ctx, st, actor, sg, dataDir, o)
		if errors.Is(err, ErrNothingToExport) {
			continue
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, ErrNothingToExport
	}
	return out, nil
}

// ErrNothingToExport is an export asked for when nothing changed since the
// last batch.
var ErrNothingToExport = &Error{Problem: ProblemNothingNew}

type copyError struct {
	Path string
	Err  error
}

func (e *copyError) Error() string { return "sync: copy to " + e.Path + ": " + e.Err.Error() }
func (e *copyError) Unwrap() error { return e.Err }
func (e *copyError) MessageCode() (string, map[string]any) {
	return "batch.copy_failed", map[string]any{"Path": e.Path, "Detail": e.Err.Error()}
}

// WriteFileAtomic writes data to dir/name through a synced temporary file
// and a rename. An existing file with other content is never replaced.
func WriteFileAtomic(dir, name string, data []byte) error {
	tmp, err := writeTemp(dir, name, data)
	if err != nil {
		return err
	}
	return commitTemp(tmp, filepath.Join(dir, name))
}

// ErrFileExists is returned instead of overwriting a different file.
var ErrFileExists = errors.New("sync: a different file with that name exists")

func writeTemp(dir, name string, data []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if old, err := os.ReadFile(filepath.Join(dir, name)); err == nil && string(old) != string(data) {
		return "", fmt.Errorf("%w: %s", ErrFileExists, filepath.Join(dir, name))
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func commitTemp(tmp, final string) error {
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		d.Sync() // the rename itself must survive a power cut; not all systems allow it
		d.Close()
	}
	return nil
}
