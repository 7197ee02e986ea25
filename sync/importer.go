package sync

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"danvan/store"
)

// FileResult is what verifying or importing did with one file.
type FileResult struct {
	Path        string
	Batch       *Batch            // nil when the file could not be read as a batch
	Chain       store.ChainStatus // where it sits in the sender's chain
	Import      store.BatchResult // on import
	Quarantined bool              // the sender is not enrolled; the file was set aside
	Err         error             // why the file was refused; nil when accepted
}

// batchNameRE is how batch files are named (<CODE>-<seq:06>-<yyyymmdd>.zip).
// A quarantined copy carries the first 12 hex digits of its hash in front.
var batchNameRE = regexp.MustCompile(`^([0-9a-f]{12}-)?[A-Z0-9][A-Z0-9_-]*-[0-9]{6}-[0-9]{8}\.zip$`)

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
			if !e.IsDir() && batchNameRE.MatchString(e.Name()) {
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

// readFile reads at most the limit's bytes, so that a huge file is refused
// without being loaded.
func readFile(path string, lim Limits) ([]byte, error) {
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
// changing anything.
func VerifyFile(ctx context.Context, st *store.Store, path string) FileResult {
	res := FileResult{Path: path}
	data, err := readFile(path, DefaultLimits)
	if err != nil {
		res.Err = err
		return res
	}
	res.Batch, res.Err = ReadBatch(ctx, st, path, data, DefaultLimits)
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

// ImportFile verifies one file and applies it in one transaction (or, with
// dryRun, says what applying would do). A batch from an office not enrolled
// here is copied into dataDir/quarantine and recorded there, never applied.
func ImportFile(ctx context.Context, st *store.Store, actor store.Actor, dataDir, path string, dryRun bool) FileResult {
	res := FileResult{Path: path}
	data, err := readFile(path, DefaultLimits)
	if err != nil {
		res.Err = err
		return res
	}
	res.Batch, res.Err = ReadBatch(ctx, st, path, data, DefaultLimits)
	if errors.Is(res.Err, ErrUnknownOffice) && res.Batch != nil && !dryRun {
		if err := quarantine(ctx, st, actor, dataDir, res.Batch, data); err != nil {
			res.Err = err
			return res
		}
		res.Quarantined = true
	}
	if res.Err != nil {
		return res
	}
	if !dryRun {
		// A copy of the data from before the import, so a wrong batch can be undone.
		if _, err := st.SnapshotBefore(ctx, store.SnapshotImport, 10*time.Minute); err != nil {
			res.Err = err
			return res
		}
	}
	res.Import, res.Err = st.ImportBatch(ctx, actor, res.Batch.Incoming(), dryRun)
	res.Chain = res.Import.Chain
	if res.Err == nil && !dryRun {
		// A batch set aside before its office was enrolled is dealt with
		// once it imports (or is found to be imported already).
		res.Err = st.ReleaseQuarantined(ctx, actor, res.Batch.SHA256)
	}
	return res
}

func quarantine(ctx context.Context, st *store.Store, actor store.Actor, dataDir string, b *Batch, data []byte) error {
	dir := filepath.Join(dataDir, "quarantine")
	name := b.SHA256[:12] + "-" + b.Manifest.FileName()
	if err := WriteFileAtomic(dir, name, data); err != nil {
		return err
	}
	return st.Quarantine(ctx, actor, store.QuarantinedBatch{FileName: name, SHA256: b.SHA256, OfficeID: b.Manifest.Office.ID,
		OfficeCode: b.Manifest.Office.Code, OfficeName: b.Manifest.Office.Name, Seq: b.Manifest.Seq, Reason: "unknown_office"})
}
