package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"danvan/store"
	"danvan/store/vn"
)

// The quarantine policy, the same for the window, the command line and a
// network upload (ImportSources is the one place that applies it): on a
// real import (never a dry run) every refused batch is set aside in the
// data folder's quarantine/, with <name>.txt beside it saying when and why,
// in the words of the caller's language. A file on disk is moved there (the
// copy first, then the original removed; a read-only stick keeps it). A
// batch from an office not enrolled here is also listed in the store
// (store.Quarantine) so that enrolling the office releases it; it is named
// by its hash, so bringing it twice keeps one copy. Any other refusal is
// named by the time it arrived. A file already inside quarantine/ stays
// where it is and gets a new note.

// QuarantineDir is where refused batches go inside a data folder.
func QuarantineDir(dataDir string) string { return filepath.Join(dataDir, "quarantine") }

// setAside quarantines one refused batch and records where in r. data is
// what was read (nil when the source could not be read in full).
func setAside(ctx context.Context, st *store.Store, actor store.Actor, dataDir string, src Source, data []byte, r *FileResult, reason func(error) string, now time.Time) error {
	dir := QuarantineDir(dataDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if src.Remote != "" {
		return keepEvidence(ctx, st, actor, dir, src, data, r, reason, now)
	}
	unknown := errors.Is(r.Err, ErrUnknownOffice) && r.Batch != nil
	name := now.UTC().Format("20060102-150405") + "-" + filepath.Base(src.Name)
	if data != nil { // two different files of one name in the same second
		name = now.UTC().Format("20060102-150405") + "-" + SHA256Hex(data)[:8] + "-" + filepath.Base(src.Name)
	}
	if unknown {
		name = r.Batch.SHA256[:12] + "-" + r.Batch.Manifest.FileName()
	}
	if data == nil && src.Path == "" && src.Read != nil {
		data, _ = src.Read() // bytes that arrived in memory: read again
	}
	inside := src.Path != "" && sameDir(filepath.Dir(src.Path), dir)
	if inside {
		name = filepath.Base(src.Path)
	} else {
		var err error
		switch {
		case data != nil:
			err = WriteFileAtomic(dir, name, data)
		case src.Path != "":
			err = copyFileAtomic(dir, name, src.Path)
		default:
			return nil // nothing arrived to keep
		}
		if err != nil {
			return err
		}
	}
	if unknown {
		b := r.Batch
		if err := st.Quarantine(ctx, actor, store.QuarantinedBatch{FileName: name, SHA256: b.SHA256, OfficeID: b.Manifest.Office.ID,
			OfficeCode: b.Manifest.Office.Code, OfficeName: b.Manifest.Office.Name, Seq: b.Manifest.Seq, Reason: "unknown_office"}); err != nil {
			return err
		}
	}
	words := r.Err.Error()
	if reason != nil {
		words = reason(r.Err)
	}
	note := fmt.Sprintf("%s\n%s\n%s\n", vn.Printable(filepath.Base(src.Name)), now.Format("02/01/2006 15:04"), vn.Printable(words))
	if err := replaceFile(dir, name+".txt", []byte(note)); err != nil {
		return err
	}
	r.Quarantined, r.QuarantinedAs = true, filepath.Join(dir, name)
	if src.Path != "" && !inside {
		// The copy is safe; a read-only stick keeps the original, and the
		// person is told it was copied, not moved.
		if err := os.Remove(src.Path); err != nil && !os.IsNotExist(err) {
			r.OriginalKept = true
		}
	}
	return nil
}

// isReadFailure is a source that could not be read at all (a file gone, a
// folder without permission, the import cancelled), or an encrypted batch
// read while the key that opens it is locked: nothing is wrong with what
// arrived, or nothing arrived, so nothing is set aside. A file too large
// to read is set aside: it arrived.
func isReadFailure(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrNeedKey)
}

func sameDir(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// copyFileAtomic copies a file that was too large to read whole, without
// holding it in memory.
func copyFileAtomic(dir, name, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	return replaceFrom(dir, name, in)
}

// replaceFile writes dir/name, replacing what was there: a note says the
// latest reason.
func replaceFile(dir, name string, data []byte) error {
	return replaceFrom(dir, name, bytes.NewReader(data))
}

// replaceFrom writes what r gives to dir/name through a synced temporary
// file and a rename, so that a power cut leaves the old file or the new.
func replaceFrom(dir, name string, r io.Reader) error {
	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// An upload from the network may be junk sent to fill the disk before
// anyone has proved who they are; the commune that really sent it still
// has it in its outbox and sends it again. So a refused upload keeps only
// its evidence: a note with the name, the sender's address, the reason,
// the size and the SHA-256, and its first bytes, within evidenceBudget
// for all uploads together (past it, the note alone).
const (
	EvidenceHead   = 4 << 10 // the first bytes of a refused upload kept
	evidenceBudget = 64 << 20
)

func keepEvidence(ctx context.Context, st *store.Store, actor store.Actor, dir string, src Source, data []byte, r *FileResult, reason func(error) string, now time.Time) error {
	if data == nil && src.Read != nil {
		data, _ = src.Read()
	}
	words := r.Err.Error()
	if reason != nil {
		words = reason(r.Err)
	}
	sum := "-"
	if data != nil {
		sum = SHA256Hex(data)
	}
	name := now.UTC().Format("20060102-150405") + "-net-" + sum[:min(8, len(sum))] + "-" + filepath.Base(src.Name)
	note := fmt.Sprintf("%s\n%s\n%s\nfrom %s, %d bytes, sha256 %s\n", vn.Printable(filepath.Base(src.Name)), now.Format("02/01/2006 15:04"),
		vn.Printable(words), vn.Printable(src.Remote), len(data), sum)
	if len(data) > 0 && quarantineSize(dir) < evidenceBudget {
		if err := replaceFile(dir, name+".head", data[:min(len(data), EvidenceHead)]); err != nil {
			return err
		}
	}
	if err := replaceFile(dir, name+".txt", []byte(note)); err != nil {
		return err
	}
	// A batch from an office not enrolled yet is listed for the clerk, as
	// from a stick; its sender sends it again once enrolled.
	if b := r.Batch; errors.Is(r.Err, ErrUnknownOffice) && b != nil {
		if err := st.Quarantine(ctx, actor, store.QuarantinedBatch{FileName: name, SHA256: b.SHA256, OfficeID: b.Manifest.Office.ID,
			OfficeCode: b.Manifest.Office.Code, OfficeName: b.Manifest.Office.Name, Seq: b.Manifest.Seq, Reason: "unknown_office"}); err != nil {
			return err
		}
	}
	r.Quarantined, r.QuarantinedAs = true, filepath.Join(dir, name)
	return nil
}

// quarantineSize is the bytes the network's evidence takes in dir.
func quarantineSize(dir string) int64 {
	entries, _ := os.ReadDir(dir)
	var n int64
	for _, e := range entries {
		if !strings.Contains(e.Name(), "-net-") {
			continue
		}
		if fi, err := e.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// WaitingFiles are the batches set aside because their office was not
// enrolled (§5.1) and still waiting in the data folder's quarantine/,
// oldest first: ready, the files of those whose office is enrolled now,
// which importing (ImportWith) releases; and how many others wait for
// their office.
func WaitingFiles(ctx context.Context, st *store.Store, dataDir string) (ready []string, others int, err error) {
	waiting, err := st.QuarantinedBatches(ctx)
	if err != nil {
		return nil, 0, err
	}
	dir := QuarantineDir(dataDir)
	for _, q := range waiting {
		p := filepath.Join(dir, filepath.Base(q.FileName))
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if _, err := st.Office(ctx, q.OfficeID); err != nil {
			others++
			continue
		}
		ready = append(ready, p)
	}
	return ready, others, nil
}

// QuarantineEntry is one refused batch set aside in quarantine/, as its
// note says: what arrived, when, why, and from whom when the store knows.
type QuarantineEntry struct {
	Note     string    // the note's path
	Path     string    // the file kept ("" when only its evidence is: a network upload)
	Name     string    // the file's name as it arrived (escaped)
	At       time.Time // when it was set aside (the note's minute)
	Reason   string    // why, in the words of the language it was refused in (escaped)
	Office   string    // "SH — UBND xã Suối Hoa" for a batch waiting for its office; "" when unknown
	Waiting  bool      // its office was not enrolled: it imports once it is
	Imported bool      // waited for its office, imported since (a copy an older version kept)
	Ready    bool      // waiting, and its office is enrolled now
}

// StateKey is the message key of q's state, as the inbox and `batch
// quarantine` say it: imports now, waits for its office, imported since,
// or refused.
func (q QuarantineEntry) StateKey() string {
	switch {
	case q.Ready:
		return "batch.quarantine_ready"
	case q.Waiting:
		return "batch.quarantine_waiting"
	case q.Imported:
		return "batch.quarantine_imported"
	}
	return "batch.quarantine_refused"
}

// MaxQuarantineList bounds what Quarantined reads: the newest notes.
const MaxQuarantineList = 1000

// maxNote bounds a note read: notes are written here, but the folder is
// open to anyone with the PC.
const maxNote = 8 << 10

// Quarantined lists the quarantine's notes, newest first (at most
// MaxQuarantineList), and how many there are in all.
func Quarantined(ctx context.Context, st *store.Store, dataDir string) ([]QuarantineEntry, int, error) {
	dir := QuarantineDir(dataDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	waiting, err := st.QuarantineLog(ctx)
	if err != nil {
		return nil, 0, err
	}
	byFile := map[string]store.QuarantinedBatch{}
	for _, q := range waiting {
		byFile[filepath.Base(q.FileName)] = q
	}
	enrolled := map[string]bool{}
	if offices, err := st.Offices(ctx); err == nil {
		for _, o := range offices {
			enrolled[o.ID] = true
		}
	}
	// The notes, newest first by the time they were written; only the
	// newest MaxQuarantineList are read: refused uploads can leave many.
	type note struct {
		entry fs.DirEntry
		at    time.Time
	}
	var notes []note
	for _, e := range entries {
		if !isNote(e) {
			continue
		}
		n := note{entry: e}
		if fi, err := e.Info(); err == nil {
			n.at = fi.ModTime()
		}
		notes = append(notes, n)
	}
	sort.SliceStable(notes, func(i, j int) bool {
		if !notes[i].at.Equal(notes[j].at) {
			return notes[i].at.After(notes[j].at)
		}
		return notes[i].entry.Name() > notes[j].entry.Name()
	})
	all := len(notes)
	if len(notes) > MaxQuarantineList {
		notes = notes[:MaxQuarantineList]
	}
	out := make([]QuarantineEntry, 0, len(notes))
	for _, n := range notes {
		name := n.entry.Name()
		q := QuarantineEntry{Note: filepath.Join(dir, name), At: n.at}
		kept := strings.TrimSuffix(name, ".txt")
		if fi, err := os.Lstat(filepath.Join(dir, kept)); err == nil && fi.Mode().IsRegular() {
			q.Path = filepath.Join(dir, kept)
		}
		lines := readNote(q.Note)
		q.Name = vn.Printable(kept)
		if len(lines) > 0 && lines[0] != "" {
			q.Name = vn.Printable(lines[0])
		}
		if len(lines) > 1 {
			if at, err := time.ParseInLocation("02/01/2006 15:04", lines[1], time.Local); err == nil {
				q.At = at // the minute the refusal was noted, as the note says it
			}
		}
		if len(lines) > 2 {
			q.Reason = vn.Printable(strings.Join(lines[2:], " "))
		}
		if b, ok := byFile[kept]; ok {
			q.Office = vn.Printable(b.OfficeCode + " — " + b.OfficeName)
			q.Imported = b.Released
			q.Waiting = !b.Released
			q.Ready = q.Waiting && q.Path != "" && enrolled[b.OfficeID]
		}
		out = append(out, q)
	}
	return out, all, nil
}

// isNote says whether a quarantine/ entry is a refusal's note.
func isNote(e fs.DirEntry) bool {
	return strings.HasSuffix(e.Name(), ".txt") && !strings.HasPrefix(e.Name(), ".") && e.Type().IsRegular()
}

// QuarantinedCount is how many refused batches quarantine/ holds: the
// inbox's button, which need not read their notes.
func QuarantinedCount(dataDir string) (int, error) {
	entries, err := os.ReadDir(QuarantineDir(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	n := 0
	for _, e := range entries {
		if isNote(e) {
			n++
		}
	}
	return n, err
}

// readNote reads a quarantine note's lines, at most maxNote bytes of it.
func readNote(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, maxNote))
	var lines []string
	for _, l := range strings.Split(strings.ToValidUTF8(string(data), "\uFFFD"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// leaveQuarantine removes a batch that waited in quarantine/ once it is
// imported, with its note: it is received now, and the list shows only
// what still needs someone.
func leaveQuarantine(dataDir string, src Source) {
	if src.Path == "" || !sameDir(filepath.Dir(src.Path), QuarantineDir(dataDir)) {
		return
	}
	os.Remove(src.Path)
	os.Remove(src.Path + ".txt")
}
