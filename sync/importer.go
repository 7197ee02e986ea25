package sync

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"danvan/store"
	"danvan/store/vn"
)

// FileResult is what verifying or importing did with one file.
type FileResult struct {
	Path        string
	Batch       *Batch            // nil when the file could not be read as a batch
	Chain       store.ChainStatus // where it sits in the sender's chain
	Import      store.BatchResult // on import
	Quarantined bool              // refused and set aside in quarantine/ (see quarantine.go)
	// QuarantinedAs is where the refused batch now is, with its note
	// (<path>.txt) beside it.
	QuarantinedAs string
	// OriginalKept says the refused file could not be removed from where
	// it was (a read-only stick): it was copied to quarantine/, not moved.
	OriginalKept bool
	// QuarantineErr says why a refused batch could not be set aside (the
	// disk is full …); Err is still why it was refused.
	QuarantineErr error
	Err           error // why the file was refused; nil when accepted
}

// BatchNameRE is how batch files are named (<CODE>-<seq:06>-<yyyymmdd>.zip,
// with .age after it when encrypted). A quarantined copy carries the first
// 12 hex digits of its hash in front. The office code is at most
// domain.MaxCodeLen (20) characters: a longer one is no batch of ours.
var BatchNameRE = regexp.MustCompile(`^([0-9a-f]{12}-)?[A-Z0-9][A-Z0-9_-]{0,19}-[0-9]{6}-[0-9]{8}\.zip(\.age)?$`)

// ExpandPaths turns the command line's FILE...|DIR into files: a folder
// gives its batch files (by name; enrollment files and receipts carried on
// the same stick are left alone), sorted, so that one office's batches come
// in order. A file named on the command line is always taken.
func ExpandPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && BatchNameRE.MatchString(e.Name()) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, filepath.Join(p, n))
		}
	}
	return out, nil
}

// SkippedFiles lists the files of the folders among paths that
// ExpandPaths leaves out, by name, so that an import can say what it did
// not look at (a batch renamed by hand, a document on the same stick).
// Hidden files are not listed.
func SkippedFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") && !BatchNameRE.MatchString(e.Name()) {
				out = append(out, e.Name())
			}
		}
	}
	sort.Strings(out)
	return out
}

// ReadFile reads at most the limit's bytes, so that a huge file is refused
// without being loaded.
func ReadFile(path string, lim Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, lim.File+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > lim.File {
		return nil, &Error{Problem: ProblemTooLarge, File: filepath.Base(path), Args: map[string]any{"Max": lim.File}}
	}
	return b, nil
}

// VerifyFile checks one file completely, chain position included, without
// changing anything. key, when not nil, decrypts an encrypted batch.
func VerifyFile(ctx context.Context, st *store.Store, key *Signer, path string) FileResult {
	res := FileResult{Path: path}
	data, err := ReadFile(path, DefaultLimits)
	if err != nil {
		res.Err = err
		return res
	}
	res.Batch, res.Err = ReadBatch(ctx, WithKey(st, key), path, data, DefaultLimits)
	if res.Err != nil {
		return res
	}
	links, err := st.ChainLinks(ctx, res.Batch.Office.ID)
	if err != nil {
		res.Err = err
		return res
	}
	res.Chain = store.ChainPosition(links, res.Batch.Link())
	if res.Chain.State == store.ChainFork {
		res.Err = &store.ChainError{Office: res.Batch.Office.Code, Seq: res.Batch.Manifest.Seq, Reason: res.Chain.Reason}
	}
	return res
}

// ImportFileWith is ImportWith for one file: the demo data's import, and
// the tests'.
func ImportFileWith(ctx context.Context, st *store.Store, actor store.Actor, dataDir, path string, opt Options) FileResult {
	res := FileResult{Path: path}
	got := false
	ImportWith(ctx, st, actor, dataDir, FileSources([]string{path}), opt, func(r FileResult) { res, got = r, true })
	if !got { // cancelled before the file was read
		res.Err = ctx.Err()
	}
	return res
}

// How many verified batches, and records, one transaction applies at most
// (store.ImportBatches). A group commits as a whole, so this bounds what a
// power cut in the middle of a long import loses (the files import again)
// and how many records wait in memory.
const (
	GroupBatches = 64
	groupRecords = 20_000
)

// Source is one batch to import: a file on disk, or bytes that arrived
// another way (an upload). Name is the batch's file name, shown to people
// and kept with a quarantined copy; Read gives its bytes, at most the
// limit's (readFile), and is called on the reading goroutine.
type Source struct {
	Name string
	Read func() ([]byte, error)
	// Path is the file the batch was read from, "" when it arrived
	// another way; a refused file is moved from there to quarantine/.
	Path string
	// Remote is the address an upload came from, "" for a file: a refused
	// upload keeps only its evidence in quarantine/ (quarantine.go).
	Remote string
}

// FileSources turns paths into sources read from disk.
func FileSources(paths []string) []Source {
	out := make([]Source, len(paths))
	for i, p := range paths {
		out[i] = Source{Name: p, Path: p, Read: func() ([]byte, error) { return ReadFile(p, DefaultLimits) }}
	}
	return out
}

// DataSource is a batch already in memory under its file name.
func DataSource(name string, data []byte) Source {
	return Source{Name: name, Read: func() ([]byte, error) {
		if int64(len(data)) > DefaultLimits.File {
			return nil, &Error{Problem: ProblemTooLarge, File: filepath.Base(name), Args: map[string]any{"Max": DefaultLimits.File}}
		}
		return data, nil
	}}
}

// Options say how ImportWith runs.
type Options struct {
	// DryRun previews: every batch is verified and applied in a
	// transaction that is rolled back at the end (store.Preview), so the
	// second batch of a unit previews as the import will apply it.
	// Nothing is quarantined.
	DryRun bool
	// Reason says a refusal in the words of the caller's language, for the
	// note beside a quarantined batch; nil writes the error's own text.
	Reason func(error) string
	// Now is the clock for quarantine names and notes; nil is time.Now.
	Now func() time.Time
	// Key is this office's unlocked key, whose identity decrypts batches
	// encrypted to this office. Without it an encrypted batch is refused
	// as needing the key, and left where it is.
	Key *Signer
}

// ImportWith verifies batches and applies them in order, calling each with
// every file's result, in order, once it is final: applied and committed,
// previewed (DryRun), or refused and quarantined (quarantine.go: the one
// quarantine policy, for every carrier). Before the first batch is applied, a copy of the data is taken
// (store.SnapshotImport), so a wrong import can be undone.
//
// The next files are read and verified on another goroutine while the
// store applies the current ones, and the batches that are ready together
// are applied in one transaction (docs/performance.md P5).
func ImportWith(ctx context.Context, st *store.Store, actor store.Actor, dataDir string, srcs []Source, opt Options, each func(FileResult)) {
	dryRun := opt.DryRun
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type verified struct {
		res  FileResult
		src  Source
		data []byte // kept for quarantine only
	}
	ready := make(chan verified, 2*GroupBatches)
	trust := WithKey(st, opt.Key)
	// A collecting office keeps what its units sent, to forward it upward.
	keep := false
	if self, err := st.SelfOffice(ctx); err == nil && self.Role == domain.RoleCollector {
		keep = true
	}
	go func() {
		defer close(ready)
		for _, src := range srcs {
			p := src.Name
			v := verified{res: FileResult{Path: p}, src: src}
			data, err := src.Read()
			if err != nil {
				v.res.Err = err
			} else {
				v.res.Batch, v.res.Err = ReadBatch(ctx, trust, p, data, DefaultLimits)
				if v.res.Err != nil {
					v.data = data
				} else {
					// A collecting office keeps what its units signed, to
					// forward it upward (a copy of a batch the store then
					// refuses is never forwarded: forwarding goes by what
					// was received). Then the bytes are let go.
					if keep && !dryRun {
						keepAll(dataDir, v.res.Batch)
					}
					release(v.res.Batch)
				}
			}
			select {
			case ready <- v:
			case <-ctx.Done():
				return
			}
		}
	}()

	var group []verified
	records := 0
	snapped := false
	var snapErr error
	var preview *store.Preview
	defer func() {
		if preview != nil {
			preview.Close()
		}
	}()
	flush := func() {
		if len(group) == 0 {
			return
		}
		if !dryRun && !snapped {
			_, snapErr = st.SnapshotBefore(ctx, store.SnapshotImport, 10*time.Minute)
			snapped = true
		}
		// A forwarding batch applies as its own place in the forwarder's
		// chain, then each unit batch it carries; its units are enrolled
		// first (by the forwarder's word, every key chain checked).
		var in []store.IncomingBatch
		start := make([]int, len(group))
		enrollErr := make([]error, len(group))
		carried := make([]bool, len(group))
		for i, v := range group {
			start[i] = len(in)
			b := v.res.Batch
			// Its units, mergers and unit batches only when it is the next
			// in the forwarder's chain: an old file imported again (a
			// replay) or one contradicting the chain (a fork) must not undo
			// what later ones said. The store says which of the two.
			carry := b.Forward != nil && !dryRun && snapErr == nil
			if carry {
				links, err := st.ChainLinks(ctx, b.Office.ID)
				if err != nil {
					enrollErr[i] = err
					continue
				}
				if state := store.ChainPosition(links, b.Link()).State; state == store.ChainReplay || state == store.ChainFork {
					carry = false
				}
			}
			if carry {
				enrollErr[i] = st.EnrollVia(ctx, actor, b.Office, b.Forward.Units)
				if enrollErr[i] == nil {
					enrollErr[i] = st.MergersVia(ctx, actor, b.Office, b.Forward.Mergers)
				}
				if enrollErr[i] != nil {
					continue
				}
			}
			carried[i] = carry
			if carry {
				continue // all or nothing, below
			}
			in = append(in, b.Incoming())
		}
		var res []store.BatchResult
		var errs []error
		err := snapErr
		switch {
		case err != nil:
		case len(in) == 0:
		case dryRun:
			// One preview for every group, so each sees the ones before.
			if preview == nil {
				preview, err = st.BeginPreview(ctx, actor)
			}
			if err == nil {
				res, errs, err = preview.Apply(ctx, in)
			}
		default:
			res, errs, err = st.ImportBatches(ctx, actor, in, false)
		}
		// A forwarding batch that is the next in its forwarder's chain
		// applies with its unit batches in one transaction: one refused,
		// none stored.
		fres := make([][]store.BatchResult, len(group))
		ferrs := make([][]error, len(group))
		for i, v := range group {
			if !carried[i] || err != nil {
				continue
			}
			b := v.res.Batch
			fin := []store.IncomingBatch{b.Incoming()}
			for _, ib := range b.Forward.Batches {
				fin = append(fin, ib.Incoming())
			}
			fres[i], ferrs[i], err = st.ImportAtomic(ctx, actor, fin)
		}
		for i, v := range group {
			r := v.res
			switch {
			case err != nil: // the database failed, not the batch
				r.Err = err
				each(r)
				continue
			case enrollErr[i] != nil:
				r.Err = enrollErr[i]
			case carried[i]:
				fr, fe := fres[i], ferrs[i]
				r.Import, r.Chain, r.Err = fr[0], fr[0].Chain, fe[0]
				// The forwarding batch is what its unit batches did; one
				// refused refuses it (and nothing of it was stored).
				for k, ib := range r.Batch.Forward.Batches {
					br, berr := fr[1+k], fe[1+k]
					if berr != nil && r.Err == nil {
						r.Err = &ForwardedError{Office: ib.Office.Code, Seq: ib.Manifest.Seq, Err: berr}
					}
					if br.Chain.State == store.ChainReplay {
						continue // it came before, directly or forwarded
					}
					r.Import.Counts.New += br.Counts.New
					r.Import.Counts.Updated += br.Counts.Updated
					r.Import.Counts.Unchanged += br.Counts.Unchanged
					r.Import.Counts.Older += br.Counts.Older
					r.Import.Counts.Rejected += br.Counts.Rejected
					r.Import.Rejections = append(r.Import.Rejections, br.Rejections...)
					if br.Applied {
						r.Import.Applied = true
					}
				}
				if r.Err != nil {
					r.Import.Applied = false
				}
			default:
				j := start[i]
				r.Import, r.Chain, r.Err = res[j], res[j].Chain, errs[j]
			}
			if r.Err != nil && !dryRun { // refused by the store: a fork, a unit merged away …
				if qerr := setAside(ctx, st, actor, dataDir, v.src, nil, &r, opt.Reason, now()); qerr != nil {
					r.QuarantineErr = qerr
				}
			}
			if r.Err == nil && !dryRun {
				leaveQuarantine(dataDir, v.src)
			}
			each(r)
		}
		group, records = group[:0], 0
	}
	for v := range ready {
		r := v.res
		if r.Err != nil {
			flush()
			if !dryRun && !isReadFailure(r.Err) {
				if err := setAside(ctx, st, actor, dataDir, v.src, v.data, &r, opt.Reason, now()); err != nil {
					r.QuarantineErr = err
				}
			}
			each(r)
			continue
		}
		group = append(group, v)
		records += len(r.Batch.Records)
		// Apply when the group is full, or when nothing else is verified
		// yet: the store is idle otherwise.
		if len(group) >= GroupBatches || records >= groupRecords || len(ready) == 0 {
			flush()
		}
	}
	flush()
}

// keepAll keeps a batch's signed zip, or those a forwarding batch carried.
// A copy that cannot be written only means that batch cannot be forwarded
// later; the import stands.
func keepAll(dataDir string, b *Batch) {
	if b.Forward != nil {
		for _, ib := range b.Forward.Batches {
			_ = keepReceived(dataDir, ib)
		}
		return
	}
	_ = keepReceived(dataDir, b)
}

// release drops the signed bytes a batch kept, once nothing needs them.
func release(b *Batch) {
	b.Signed = nil
	if b.Forward != nil {
		for _, ib := range b.Forward.Batches {
			ib.Signed = nil
		}
	}
}

// ForwardedError is a unit batch inside a forwarding batch that the store
// refused (a fork of that unit's chain, a unit merged away …): the whole
// forwarding batch is refused, and says which unit batch and why.
type ForwardedError struct {
	Office string
	Seq    int64
	Err    error
}

func (e *ForwardedError) Error() string {
	return fmt.Sprintf("sync: forwarded batch %d of %s: %v", e.Seq, e.Office, e.Err)
}
func (e *ForwardedError) Unwrap() error { return e.Err }

// Reason is the unit batch's own refusal, which the message quotes.
func (e *ForwardedError) Reason() error { return e.Err }

// MessageCode implements domain.Coded: the unit batch, then the reason.
func (e *ForwardedError) MessageCode() (string, map[string]any) {
	return "batch.forwarded_refused", map[string]any{"Office": vn.Printable(e.Office), "Seq": e.Seq}
}
