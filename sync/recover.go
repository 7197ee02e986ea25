package sync

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"danvan/store"
)

// RecoverProblem is an own batch file RecoverSent could not read.
type RecoverProblem struct {
	Path string
	Err  error
}

// OwnBatchFiles lists the files in dirs named as this office's batches
// (CODE-000123-yyyymmdd.zip or .zip.age), the outbox first.
func OwnBatchFiles(code string, dirs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			path := filepath.Join(d, name)
			if !e.Type().IsRegular() || !BatchNameRE.MatchString(name) || !strings.HasPrefix(name, code+"-") || seen[path] {
				continue
			}
			// Two destinations' batches share names, each in its own
			// folder; the same batch found twice is read once later.
			seen[path] = true
			out = append(out, path)
		}
	}
	return out
}

// RecoverSent reads this office's own sent batches back, from the outbox
// and any folder given (a USB stick that carried them, a copy from the
// sent mail), and gives them to the store (store.RecoverSent): the records
// a restored backup lacks come back, and batches no database here
// remembers join the chain again, so the next batch follows the last one
// the collecting office holds. Each file is checked as any batch is (its
// signature by this office's key, every hash and record); an encrypted one
// is opened with this office's own key (sg), to which danvan encrypts its
// batches too. Files that cannot be read are listed, not fatal.
func RecoverSent(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir string, more []string) (store.RecoverResult, []RecoverProblem, error) {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return store.RecoverResult{}, nil, err
	}
	dests, err := st.Destinations(ctx)
	if err != nil {
		return store.RecoverResult{}, nil, err
	}
	// A batch in danvan-batch/3 names its destination; an older one is of
	// the primary destination's chain (or of the one chain, with none).
	primary := ""
	var dirs []string
	for _, d := range dests {
		if d.Primary {
			primary = d.Office.ID
		}
		if d.Folder() != "" {
			dirs = append(dirs, OutboxDir(dataDir, d))
		}
	}
	dirs = append(append([]string{filepath.Join(dataDir, "outbox")}, dirs...), more...)
	for _, m := range more {
		for _, d := range dests {
			if d.Folder() != "" {
				dirs = append(dirs, filepath.Join(m, d.Folder()))
			}
		}
	}
	var in []store.SentRecovery
	var problems []RecoverProblem
	trust := WithKey(st, sg)
	for _, path := range OwnBatchFiles(self.Code, dirs) {
		if err := ctx.Err(); err != nil {
			return store.RecoverResult{}, problems, err
		}
		data, err := ReadFile(path, DefaultLimits)
		if err != nil {
			problems = append(problems, RecoverProblem{path, err})
			continue
		}
		b, err := readNamed(ctx, trust, path, data, DefaultLimits, true)
		if err != nil {
			problems = append(problems, RecoverProblem{path, err})
			continue
		}
		created, _ := time.Parse(timeLayout, b.Manifest.CreatedAt)
		dest := primary
		if b.Manifest.To != nil {
			dest = b.Manifest.To.ID
		}
		in = append(in, store.SentRecovery{Dest: dest, Seq: b.Manifest.Seq, FileName: filepath.Base(path), SHA256: b.SHA256, FileSHA256: SHA256Hex(data),
			PrevSHA256: b.Manifest.PrevSHA256, KeyID: b.Manifest.KeyID, CreatedAt: created, Full: b.Manifest.Full, Records: b.Records})
	}
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].Dest != in[j].Dest {
			return in[i].Dest < in[j].Dest
		}
		return in[i].Seq < in[j].Seq
	})
	// The same batch found twice (outbox and stick) is read once.
	uniq := in[:0]
	for i, b := range in {
		if i > 0 && b.Dest == in[i-1].Dest && b.Seq == in[i-1].Seq && b.SHA256 == in[i-1].SHA256 {
			continue
		}
		uniq = append(uniq, b)
	}
	res, err := st.RecoverSent(ctx, actor, uniq)
	return res, problems, err
}
