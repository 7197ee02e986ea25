package sync

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	stdsync "sync"
	"time"

	"danvan/store"
)

// ReceiptFormat is the version of receipt files.
const ReceiptFormat = "danvan-receipt/1"

// Member names of a receipt file.
const (
	ReceiptName    = "receipt.json"
	ReceiptSigName = "receipt.json.minisig"
)

// Receipt is receipt.json: what the collecting office (From) has received
// from one office (To), every batch so far, signed by the collecting
// office's key. Being cumulative, the latest receipt says it all.
type Receipt struct {
	Format    string         `json:"format"`
	From      ManifestOffice `json:"from"`
	KeyID     string         `json:"key_id"`
	To        ManifestOffice `json:"to"`
	CreatedAt string         `json:"created_at"`
	Batches   []ReceiptBatch `json:"batches"`
	Missing   []int64        `json:"missing"`
}

// ReceiptBatch is one batch received.
type ReceiptBatch struct {
	Seq       int64  `json:"seq"`
	SHA256    string `json:"sha256"`
	ArrivedAt string `json:"arrived_at"`
	Result    string `json:"result"` // "imported"
	New       int    `json:"new"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Older     int    `json:"older"`
	Rejected  int    `json:"rejected"`
}

// FileName is the name a receipt is written under.
func (r *Receipt) FileName() string {
	t, _ := time.Parse(timeLayout, r.CreatedAt)
	return fmt.Sprintf("%s-receipt-%s-%s.zip", r.From.Code, r.To.Code, t.Format("20060102-150405"))
}

func receiptComment(r *Receipt, sha string) string {
	return fmt.Sprintf("format:%s from:%s to:%s sha256:%s", ReceiptFormat, r.From.Code, r.To.Code, sha)
}

// BuildReceipt writes and signs a receipt for office to.
func BuildReceipt(self, to domain.Office, got []store.ReceivedBatch, sg *Signer, now time.Time) ([]byte, *Receipt, error) {
	r := &Receipt{
		Format:    ReceiptFormat,
		From:      ManifestOffice{ID: self.ID, Code: self.Code, Name: self.Name},
		KeyID:     sg.KeyID(),
		To:        ManifestOffice{ID: to.ID, Code: to.Code, Name: to.Name},
		CreatedAt: now.UTC().Format(timeLayout),
		Batches:   []ReceiptBatch{},
		Missing:   []int64{},
	}
	links := make([]store.ChainLink, 0, len(got))
	for _, b := range got {
		r.Batches = append(r.Batches, ReceiptBatch{Seq: b.Seq, SHA256: b.SHA256, ArrivedAt: b.ArrivedAt.UTC().Format(timeLayout), Result: "imported",
			New: b.Counts.New, Updated: b.Counts.Updated, Unchanged: b.Counts.Unchanged, Older: b.Counts.Older, Rejected: b.Counts.Rejected})
		links = append(links, store.ChainLink{Seq: b.Seq})
	}
	if m := store.Missing(links); m != nil {
		r.Missing = m
	}
	doc, err := marshalCanonical(r)
	if err != nil {
		return nil, nil, err
	}
	sig := sg.signText(doc, receiptComment(r, SHA256Hex(doc)))
	data, err := writeZip([]member{{ReceiptName, doc}, {ReceiptSigName, sig}})
	return data, r, err
}

// WriteReceipt writes the receipt for one sending office into
// dataDir/receipts (and extra, when set) and returns its path.
func WriteReceipt(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir, officeID, extra string, now time.Time) (string, error) {
	data, r, err := buildReceiptFor(ctx, st, sg, officeID, func([]store.ReceivedBatch) time.Time { return now })
	if err != nil {
		return "", err
	}
	return saveReceipt(ctx, st, actor, dataDir, extra, data, r)
}

// WriteCurrentReceipt is WriteReceipt dated by the last arrival from the
// office, as CurrentReceipt is: importing a batch again, with nothing new,
// writes the same file under the same name rather than another receipt.
func WriteCurrentReceipt(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir, officeID, extra string) (string, error) {
	data, r, err := CurrentReceipt(ctx, st, sg, officeID)
	if err != nil {
		return "", err
	}
	return saveReceipt(ctx, st, actor, dataDir, extra, data, r)
}

// CurrentReceipt is the receipt for one sending office as of the last batch
// it got here, dated by that batch's arrival: the same state gives the same
// bytes (the signature is deterministic), so an upload sent twice is
// answered with the same receipt. It is neither recorded nor written;
// SaveReceipts does that for the ones that are new.
func CurrentReceipt(ctx context.Context, st *store.Store, sg *Signer, officeID string) ([]byte, *Receipt, error) {
	return buildReceiptFor(ctx, st, sg, officeID, lastArrival)
}

// SavedReceipt is a receipt to record and keep, for SaveReceipts.
type SavedReceipt struct {
	Data    []byte
	Receipt *Receipt
}

// SaveReceipts records receipts in the audit (one transaction) and writes
// them into dataDir/receipts, as WriteReceipt does one at a time. The
// files are written side by side: each waits for its own sync to disk.
func SaveReceipts(ctx context.Context, st *store.Store, actor store.Actor, dataDir string, rs []SavedReceipt) error {
	notes := make([]store.ReceiptNote, len(rs))
	for i, r := range rs {
		notes[i] = store.ReceiptNote{OfficeID: r.Receipt.To.ID, FileName: r.Receipt.FileName(), SHA256: SHA256Hex(r.Data)}
	}
	if err := st.RecordReceipts(ctx, actor, notes); err != nil {
		return err
	}
	dir := filepath.Join(dataDir, "receipts")
	errs := make([]error, len(rs))
	sem := make(chan struct{}, 8)
	var wg stdsync.WaitGroup
	for i, r := range rs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, errs[i] = writeReceiptFile(dir, r.Receipt.FileName(), r.Data)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func lastArrival(got []store.ReceivedBatch) time.Time {
	var t time.Time
	for _, b := range got {
		if b.ArrivedAt.After(t) {
			t = b.ArrivedAt
		}
	}
	return t
}

func buildReceiptFor(ctx context.Context, st *store.Store, sg *Signer, officeID string, at func([]store.ReceivedBatch) time.Time) ([]byte, *Receipt, error) {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return nil, nil, err
	}
	to, err := st.Office(ctx, officeID)
	if err != nil {
		return nil, nil, err
	}
	got, err := st.ReceivedBatches(ctx, officeID)
	if err != nil {
		return nil, nil, err
	}
	return BuildReceipt(self, to, got, sg, at(got))
}

func saveReceipt(ctx context.Context, st *store.Store, actor store.Actor, dataDir, extra string, data []byte, r *Receipt) (string, error) {
	if err := st.RecordReceipt(ctx, actor, r.To.ID, r.FileName(), SHA256Hex(data)); err != nil {
		return "", err
	}
	dir := filepath.Join(dataDir, "receipts")
	name, err := writeReceiptFile(dir, r.FileName(), data)
	if err != nil {
		return "", err
	}
	if extra != "" {
		if err := WriteFileAtomic(extra, r.FileName(), data); err != nil {
			return "", &copyError{Path: filepath.Join(extra, r.FileName()), Err: err}
		}
		return filepath.Join(extra, r.FileName()), nil
	}
	return filepath.Join(dir, name), nil
}

// writeReceiptFile keeps every receipt: a name is to the second, and two
// batches of one office imported within a second make two receipts under
// one name, so the later one takes a numbered name beside the first.
func writeReceiptFile(dir, name string, data []byte) (string, error) {
	base := strings.TrimSuffix(name, ".zip")
	for i := 1; ; i++ {
		err := WriteFileAtomic(dir, name, data)
		if !errors.Is(err, ErrFileExists) || i >= 100 {
			return name, err
		}
		name = fmt.Sprintf("%s-%d.zip", base, i+1)
	}
}

// ReadReceipt checks a receipt: layout, strict JSON, addressed to self, and
// signed by a key enrolled here for the office it comes from.
func ReadReceipt(ctx context.Context, trust Trust, self domain.Office, name string, data []byte) (*Receipt, error) {
	r, err := readReceipt(ctx, trust, self, data)
	var e *Error
	if errors.As(err, &e) && e.File == "" {
		e.File = filepath.Base(name)
	}
	return r, err
}

func readReceipt(ctx context.Context, trust Trust, self domain.Office, data []byte) (*Receipt, error) {
	members, err := readZip(data, []string{ReceiptName, ReceiptSigName}, Limits{File: 8 << 20, Member: 8 << 20, Total: 8 << 20})
	if err != nil {
		return nil, err
	}
	doc := members[ReceiptName]
	if err := checkText(ReceiptName, doc); err != nil {
		return nil, err
	}
	var head struct {
		Format string `json:"format"`
	}
	if err := decodeLoose(doc, &head); err != nil || head.Format != ReceiptFormat {
		return nil, &Error{Problem: ProblemVersion, Member: ReceiptName, Args: map[string]any{"Version": head.Format}}
	}
	var r Receipt
	if err := readDoc(ReceiptName, doc, &r); err != nil {
		return nil, err
	}
	if r.To.ID != self.ID {
		return nil, &Error{Problem: ProblemWrongOffice, Member: ReceiptName, Args: map[string]any{"Office": r.To.Code}}
	}
	for _, b := range r.Batches {
		if b.Seq < 1 || !hexRE.MatchString(b.SHA256) || !validTime(b.ArrivedAt) {
			return nil, fail(ProblemBadField, ReceiptName, "batches", nil)
		}
	}
	from, err := trust.Office(ctx, r.From.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Problem: ProblemUnknownOffice, Args: map[string]any{"Office": r.From.Code, "Name": r.From.Name}}
	} else if err != nil {
		return nil, err
	}
	if err := verifySignedBy(ctx, trust, from, r.KeyID, ReceiptSigName, doc, members[ReceiptSigName], receiptComment(&r, SHA256Hex(doc))); err != nil {
		return nil, err
	}
	return &r, nil
}

// ImportReceipt verifies a receipt and marks the batches it lists as
// acknowledged.
func ImportReceipt(ctx context.Context, st *store.Store, actor store.Actor, name string, data []byte) (*Receipt, store.AckResult, error) {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return nil, store.AckResult{}, err
	}
	r, err := ReadReceipt(ctx, st, self, name, data)
	if err != nil {
		return nil, store.AckResult{}, err
	}
	acks := make([]store.Ack, len(r.Batches))
	for i, b := range r.Batches {
		t, _ := time.Parse(time.RFC3339Nano, b.ArrivedAt)
		acks[i] = store.Ack{Seq: b.Seq, SHA256: b.SHA256, ArrivedAt: t, Result: b.Result}
	}
	res, err := st.AcknowledgeBatches(ctx, actor, r.From.ID, acks)
	return r, res, err
}
