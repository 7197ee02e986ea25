package exchange

import (
	"bytes"
	"context"
	"crypto/tls"
	"danvan/internal/domain"
	dsync "danvan/sync"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"danvan/store"
)

// SendOptions tune Send; the zero value sends to the address in the
// settings with the usual retries.
type SendOptions struct {
	// To is the destination (its office code or id) whose batches are
	// sent; "" is the primary one, or the one chain of an office that has
	// enrolled none.
	To       string
	URL      string        // the collecting office's address; the destination's when ""
	Client   *http.Client  // nil: one that checks the collecting office's pin
	Attempts int           // tries per batch before giving up for now; 6 when 0
	Backoff  time.Duration // the first wait between tries, doubling; 1 s when 0
	MaxWait  time.Duration // the longest wait; 30 s when 0
	Progress func(SendProgress)
	Now      func() time.Time
}

// SendProgress is said before each try and after each batch.
type SendProgress struct {
	Done, Total int   // batches through / batches waiting when Send began
	Seq         int64 // the batch at hand
	File        string
	Attempt     int           // 1 for the first try
	Attempts    int           // tries before Send gives up for now
	Wait        time.Duration // > 0: the last try failed (Err), next in Wait
	Err         error
	Result      string // after a batch: "imported", "replay" or "gap"
}

// Line is the sentence that says p, the same on the command line and in
// the window: its translation key (send.gap, send.done, send.wait,
// send.try; "" when there is nothing to say) and arguments. For send.wait
// the caller adds Reason, p.Err in the reader's words.
func (p SendProgress) Line() (key string, args map[string]any) {
	args = map[string]any{"Seq": p.Seq, "Done": p.Done, "Total": p.Total, "Attempt": p.Attempt, "Attempts": p.Attempts}
	switch {
	case p.Result == "gap":
		return "send.gap", args
	case p.Result != "":
		return "send.done", args
	case p.Wait > 0:
		args["Seconds"] = int(math.Ceil(p.Wait.Seconds()))
		return "send.wait", args
	case p.Attempt > 0:
		return "send.try", args
	}
	return "", nil
}

// SendResult is what Send got through.
type SendResult struct {
	Dest store.Destination // whom they went to; zero when no collecting office is enrolled
	Err  error             // for SendEach: why sending to Dest stopped
	// Settings is a settings file newer than the one applied here, which
	// the destination's server handed out with this send, kept in the data
	// folder (dsync.SettingsInbox) for a person to look at; "" for none.
	Settings    string
	SettingsDoc *dsync.SettingsDoc
	// NoAddress (SendEach to several destinations): Dest has batches
	// waiting and no network address; they go by USB or e-mail instead.
	NoAddress bool
	Sent      []int64 // batches a receipt now covers
	Pending   []int64 // batches still in the outbox, waiting for a receipt
	Receipt   *dsync.Receipt
}

// SendError says why sending stopped, in words (domain.Coded). The batches
// not covered by a receipt stay in the outbox for the next Send.
type SendError struct {
	Code    string // "no_address", "plain_http", "no_pin", "pin", "offline", "refused", "bad_answer", "missing_file"
	File    string
	Seq     int64
	Status  int      // the HTTP status, when there was an answer
	Refusal *Refusal // the collecting office's reason, for "refused"
	Err     error
}

func (e *SendError) Error() string {
	msg := "sync: send: " + e.Code
	if e.File != "" {
		msg += ": " + e.File
	}
	if e.Refusal != nil {
		msg += ": " + e.Refusal.Code
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *SendError) Unwrap() error { return e.Err }

// MessageCode implements domain.Coded. A refusal carries the collecting
// office's sentence in both languages; each language's message picks its
// own.
func (e *SendError) MessageCode() (string, map[string]any) {
	args := map[string]any{"File": e.File, "Seq": e.Seq, "Status": e.Status}
	if e.Err != nil {
		args["Detail"] = e.Err.Error()
	}
	if r := e.Refusal; r != nil {
		args["ReasonVI"], args["ReasonEN"], args["dsync.Quarantined"] = r.MessageVI, r.MessageEN, r.Quarantined
		if r.Quarantined {
			return "exchange.refused_quarantined", args
		}
	}
	return "exchange.send_" + e.Code, args
}

// pinError is a TLS certificate that is not the one the enrollment pinned.
type pinError struct{ got string }

func (e *pinError) Error() string {
	return "sync: the server's certificate " + e.got + " is not the pinned one"
}

// PinnedClient is an HTTP client that trusts only a server whose
// certificate, or whose public key, has a pinned SHA-256: the collecting
// office's, from its enrollment file.
func PinnedClient(pins []store.TLSPin) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is not checked against a certificate authority: the
		// pin below is the whole check, and a stricter one.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &pinError{}
			}
			got := dsync.PinsOf(cs.PeerCertificates[0])
			for _, p := range pins {
				if p.Cert == got.Cert || p.SPKI != "" && p.SPKI == got.SPKI {
					return nil
				}
			}
			return &pinError{got: got.Cert}
		},
	}
	tr.ResponseHeaderTimeout = 10 * time.Minute // the import of a big batch
	return &http.Client{Transport: tr, Timeout: 30 * time.Minute}
}

// Send posts every batch of the outbox that no receipt covers yet, oldest
// first, and imports each receipt that comes back exactly as a receipt
// file is imported. A try that fails for the network, or because the
// collecting office is busy, is tried again after a growing wait; when the
// tries run out the rest waits in the outbox, and the next Send goes on
// from there. A refusal stops Send: later batches would only arrive as a
// gap.
func Send(ctx context.Context, st *store.Store, actor store.Actor, dataDir string, opt SendOptions) (SendResult, error) {
	var res SendResult
	if opt.Attempts <= 0 {
		opt.Attempts = 6
	}
	if opt.Backoff <= 0 {
		opt.Backoff = time.Second
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 30 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	progress := func(p SendProgress) {
		if opt.Progress != nil {
			opt.Progress(p)
		}
	}
	var err error
	if opt.To != "" {
		if res.Dest, err = st.Destination(ctx, opt.To); err != nil {
			return res, err
		}
	} else if dests, err := st.Destinations(ctx); err != nil {
		return res, err
	} else if len(dests) > 0 {
		res.Dest = dests[0]
	}
	sent, err := st.SentBatchesTo(ctx, res.Dest.Office.ID)
	if err != nil {
		return res, err
	}
	var queue []store.SentBatch
	for _, b := range sent {
		if b.AcknowledgedAt.IsZero() {
			queue = append(queue, b)
		}
	}
	pending := func(from int) []int64 {
		var out []int64
		for _, b := range queue[from:] {
			if !slices.Contains(res.Sent, b.Seq) {
				out = append(out, b.Seq)
			}
		}
		return out
	}
	// The address is checked even with nothing to send, so that a wrong
	// one is heard of now rather than on the day something waits.
	base, client, err := sendTarget(ctx, st, res.Dest, opt)
	var se *SendError
	if len(queue) == 0 && (err == nil || errors.As(err, &se) && se.Code == "no_address") {
		return res, nil
	}
	if err != nil {
		res.Pending = pending(0)
		return res, err
	}
	for i, b := range queue {
		if slices.Contains(res.Sent, b.Seq) { // an earlier receipt covered it
			continue
		}
		data, err := os.ReadFile(filepath.Join(dsync.OutboxDir(dataDir, res.Dest), b.FileName))
		if errors.Is(err, os.ErrNotExist) {
			// A batch written before destinations, copied into this
			// destination's chain by the migration, is in the outbox itself.
			data, err = os.ReadFile(filepath.Join(dataDir, "outbox", b.FileName))
		}
		if err != nil {
			res.Pending = pending(i)
			return res, &SendError{Code: "missing_file", File: b.FileName, Seq: b.Seq, Err: err}
		}
		body, result, err := postBatch(ctx, client, base, b, data, opt, func(p SendProgress) {
			p.Done, p.Total = len(res.Sent), len(queue)
			progress(p)
		})
		if err != nil {
			res.Pending = pending(i)
			return res, err
		}
		r, ack, err := dsync.ImportReceipt(ctx, st, actor, "receipt.zip", body)
		if err != nil {
			res.Pending = pending(i)
			return res, &SendError{Code: "bad_answer", File: b.FileName, Seq: b.Seq, Status: http.StatusOK, Err: err}
		}
		res.Receipt = r
		covered := append(ack.Acknowledged, ack.Already...)
		for _, s := range covered {
			if !slices.Contains(res.Sent, s) && slices.ContainsFunc(queue, func(q store.SentBatch) bool { return q.Seq == s }) {
				res.Sent = append(res.Sent, s)
			}
		}
		if !slices.Contains(covered, b.Seq) {
			res.Pending = pending(i)
			return res, &SendError{Code: "bad_answer", File: b.FileName, Seq: b.Seq, Status: http.StatusOK}
		}
		if err := st.RecordSendOK(ctx, res.Dest.Office.ID, opt.Now()); err != nil {
			return res, err
		}
		progress(SendProgress{Done: len(res.Sent), Total: len(queue), Seq: b.Seq, File: b.FileName, Result: result})
	}
	slices.Sort(res.Sent)
	// The office's latest settings come back over the same connection;
	// they are only kept, never applied unseen. A failure here is no
	// failure of the send.
	if res.Dest.Receives(domain.DataTallies) {
		if data, err := getSettings(ctx, client, base); err == nil {
			res.Settings, res.SettingsDoc, _ = dsync.KeepOffered(ctx, st, dataDir, data)
		}
	}
	return res, nil
}

// getSettings fetches the destination's latest settings file, at most 1 MiB.
func getSettings(ctx context.Context, client *http.Client, base *url.URL) ([]byte, error) {
	u := *base
	u.Path = strings.TrimSuffix(u.Path, "/") + SettingsPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(HeaderFormat, ExchangeFormat)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &SendError{Code: "bad_answer", Status: resp.StatusCode}
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// SendEach sends to every destination in turn (or only to opt.To), each
// as Send does; a destination that fails does not stop the next one. Its
// error is in its result's Err.
func SendEach(ctx context.Context, st *store.Store, actor store.Actor, dataDir string, opt SendOptions) ([]SendResult, error) {
	if opt.To != "" {
		r, err := Send(ctx, st, actor, dataDir, opt)
		r.Err = err
		return []SendResult{r}, nil
	}
	dests, err := st.Destinations(ctx)
	if err != nil {
		return nil, err
	}
	if len(dests) == 0 {
		r, err := Send(ctx, st, actor, dataDir, opt)
		r.Err = err
		return []SendResult{r}, nil
	}
	var out []SendResult
	for _, d := range dests {
		o := opt
		o.To = d.Office.ID
		r, err := Send(ctx, st, actor, dataDir, o)
		r.Err = err
		var se *SendError
		if len(dests) > 1 && errors.As(err, &se) && se.Code == "no_address" {
			r.Err, r.NoAddress = nil, true
		}
		out = append(out, r)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// sendTarget checks the address and picks the client: plain HTTP to this
// machine only, HTTPS only with the pin from the destination's enrollment
// file.
func sendTarget(ctx context.Context, st *store.Store, dest store.Destination, opt SendOptions) (*url.URL, *http.Client, error) {
	raw := opt.URL
	if raw == "" {
		raw = dest.URL
	}
	if raw == "" && dest.Office.ID == "" {
		set, err := st.Settings(ctx)
		if err != nil {
			return nil, nil, err
		}
		raw = set.CollectorURL
	}
	if raw == "" {
		return nil, nil, &SendError{Code: "no_address"}
	}
	if !domain.ValidCollectorURL(raw) {
		return nil, nil, &SendError{Code: "bad_address", File: raw}
	}
	base, _ := url.Parse(raw)
	if base.Scheme == "http" && !IsLoopback(base.Host) {
		return nil, nil, &SendError{Code: "plain_http", File: raw}
	}
	if opt.Client != nil {
		return base, opt.Client, nil
	}
	if base.Scheme == "http" {
		return base, &http.Client{Timeout: 30 * time.Minute}, nil
	}
	pin, err := st.PinOf(ctx, dest.Office.ID)
	if err != nil {
		return nil, nil, err
	}
	if pin.Cert == "" {
		return nil, nil, &SendError{Code: "no_pin"}
	}
	return base, PinnedClient([]store.TLSPin{pin}), nil
}

// postBatch sends one file until it is answered, the tries run out, or it
// is refused. It returns the receipt's bytes and the server's result.
func postBatch(ctx context.Context, client *http.Client, base *url.URL, b store.SentBatch, data []byte, opt SendOptions, progress func(SendProgress)) ([]byte, string, error) {
	wait := opt.Backoff
	var last error
	for attempt := 1; ; attempt++ {
		progress(SendProgress{Seq: b.Seq, File: b.FileName, Attempt: attempt, Attempts: opt.Attempts})
		body, result, retryIn, err := postOnce(ctx, client, base, b, data)
		if err == nil {
			return body, result, nil
		}
		var se *SendError
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		if errors.As(err, &se) && se.Code != "offline" {
			return nil, "", err
		}
		last = err
		if attempt >= opt.Attempts {
			return nil, "", &SendError{Code: "offline", File: b.FileName, Seq: b.Seq, Err: errors.Unwrap(last)}
		}
		d := max(wait, retryIn)
		d = min(d, opt.MaxWait)
		progress(SendProgress{Seq: b.Seq, File: b.FileName, Attempt: attempt, Attempts: opt.Attempts, Wait: d, Err: err})
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, "", ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, opt.MaxWait)
	}
}

// postOnce is one try. A failure worth trying again is a SendError
// "offline" (with how long the server asked to wait); anything else is
// final.
func postOnce(ctx context.Context, client *http.Client, base *url.URL, b store.SentBatch, data []byte) ([]byte, string, time.Duration, error) {
	offline := func(err error) *SendError { return &SendError{Code: "offline", File: b.FileName, Seq: b.Seq, Err: err} }
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, batchURL(base, b.FileName), bytes.NewReader(data))
	if err != nil {
		return nil, "", 0, &SendError{Code: "bad_address", File: base.String(), Err: err}
	}
	req.Header.Set("Content-Type", ContentBatch)
	req.Header.Set(HeaderFormat, ExchangeFormat)
	resp, err := client.Do(req)
	if err != nil {
		var pe *pinError
		if errors.As(err, &pe) {
			return nil, "", 0, &SendError{Code: "pin", File: b.FileName, Seq: b.Seq, Err: err}
		}
		return nil, "", 0, offline(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
		if err != nil { // cut while the receipt came: the batch may be stored; sending again says so
			return nil, "", 0, offline(err)
		}
		return body, resp.Header.Get(HeaderResult), 0, nil
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, "", 0, offline(err)
	}
	rf := ParseRefusal(resp.StatusCode, raw)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 || rf.Retry {
		wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		e := offline(errors.New(resp.Status + ": " + rf.MessageEN))
		return nil, "", time.Duration(wait) * time.Second, e
	}
	return nil, "", 0, &SendError{Code: "refused", File: b.FileName, Seq: b.Seq, Status: resp.StatusCode, Refusal: &rf}
}

// ParseRefusal reads the body of an answer that is not a receipt. Whatever
// answered (a proxy's error page, a truncated body) the result is a Refusal
// with the status and readable text, never longer than maxRefusalText.
func ParseRefusal(status int, raw []byte) Refusal {
	var rf Refusal
	if json.Unmarshal(raw, &rf) != nil || rf.Format != ExchangeFormat {
		text := strings.ToValidUTF8(string(raw), "")
		rf = Refusal{Format: ExchangeFormat, Code: "unexpected", MessageVI: text, MessageEN: text}
	}
	if rf.Code == "" {
		rf.Code = "unexpected"
	}
	rf.Status = status
	rf.Retry = rf.Retry || status == http.StatusTooManyRequests || status >= 500
	rf.MessageVI, rf.MessageEN = clip(rf.MessageVI), clip(rf.MessageEN)
	return rf
}

const maxRefusalText = 2000

func clip(s string) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= maxRefusalText {
		return s
	}
	s = s[:maxRefusalText]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
