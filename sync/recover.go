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
			if !e.Type().IsRegular() || !BatchNameRE.MatchString(name) || !strings.HasPrefix(name, code+"-") || seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, filepath.Join(d, name))
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
	dirs := append([]string{filepath.Join(dataDir, "outbox")}, more...)
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
		in = append(in, store.SentRecovery{Seq: b.Manifest.Seq, FileName: filepath.Base(path), SHA256: b.SHA256, FileSHA256: SHA256Hex(data),
			PrevSHA256: b.Manifest.PrevSHA256, KeyID: b.Manifest.KeyID, CreatedAt: created, Full: b.Manifest.Full, Records: b.Records})
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].Seq < in[j].Seq })
	// The same batch found twice (outbox and stick) is read once.
	uniq := in[:0]
	for i, b := range in {
		if i > 0 && b.Seq == in[i-1].Seq && b.SHA256 == in[i-1].SHA256 {
			continue
		}
		uniq = append(uniq, b)
	}
	res, err := st.RecoverSent(ctx, actor, uniq)
	return res, problems, err
}
