package exchange

import (
	"bytes"
	"context"
	"crypto/tls"
	"danvan/internal/domain"
	dsync "danvan/sync"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"danvan/store"
)

// testServer is a real server on a loopback port, over the collecting
// office's store, that a test can stop and start again on the same port.
type testServer struct {
	t      *testing.T
	htl    *office
	addr   string
	cfg    ServerConfig
	tls    *tls.Certificate
	stop   context.CancelFunc
	done   chan error
	events chan ServerEvent
}

func startServer(t *testing.T, htl *office, tweak func(*ServerConfig)) *testServer {
	t.Helper()
	ts := &testServer{t: t, htl: htl, addr: "127.0.0.1:0", events: make(chan ServerEvent, 100)}
	ts.cfg = ServerConfig{Store: htl.st, Actor: store.System, DataDir: htl.dir, Signer: htl.sg, Limits: Unlimited,
		ShutdownGrace: 200 * time.Millisecond, Log: func(ev ServerEvent) {
			select {
			case ts.events <- ev:
			default:
			}
		}}
	if tweak != nil {
		tweak(&ts.cfg)
	}
	ts.start()
	t.Cleanup(ts.halt)
	return ts
}

func (ts *testServer) start() {
	ts.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port of a stopped server may take a moment to free
		if ln, err = net.Listen("tcp", ts.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	ts.stop, ts.done = cancel, make(chan error, 1)
	srv := NewServer(ts.cfg)
	go func() { ts.done <- srv.Serve(ctx, ln, ts.tls) }()
}

func (ts *testServer) halt() {
	if ts.stop != nil {
		ts.stop()
		select {
		case err := <-ts.done:
			if err != nil {
				ts.t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			ts.t.Error("the server did not stop")
		}
		ts.stop = nil
	}
}

func (ts *testServer) url() string { return "http://" + ts.addr }

// pair is a commune and its collecting office, each enrolled at the other.
func pair(t *testing.T, code string, htl *office) *office {
	c := mustOffice(t, code, "UBND xã "+code, domain.RoleCommune)
	enroll(t, c, htl)
	enroll(t, htl, c)
	return c
}

func exportOne(t *testing.T, o *office) dsync.ExportResult {
	t.Helper()
	r, err := dsync.Export(context.Background(), o.st, store.System, o.sg, o.dir, dsync.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func received(t *testing.T, htl *office, c *office) []store.ReceivedBatch {
	t.Helper()
	got, err := htl.st.ReceivedBatches(context.Background(), c.self.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func quick(opt SendOptions) SendOptions {
	opt.Backoff, opt.MaxWait = 10*time.Millisecond, 50*time.Millisecond
	if opt.Attempts == 0 {
		opt.Attempts = 4
	}
	return opt
}

// TestSendOverNetwork: a commune sends its outbox; models and tallies
// arrive, the receipt comes back and marks the batches; sending again
// sends nothing, and posting the same file again stores nothing and gets
// the same receipt.
func TestSendOverNetwork(t *testing.T) {
	ctx := context.Background()
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ts := startServer(t, htl, nil)
	sh.addModel(t, "Nuôi cá lồng")
	spec := sh.addTally(t, "2025-M12", 10)
	b1 := exportOne(t, sh)
	sh.addModel(t, "Trồng bưởi đỏ")
	exportOne(t, sh)

	var steps []SendProgress
	res, err := Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url(), Progress: func(p SendProgress) { steps = append(steps, p) }}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Sent) != 2 || len(res.Pending) != 0 || res.Receipt == nil || len(res.Receipt.Batches) != 2 {
		t.Fatalf("send = %+v", res)
	}
	if last := steps[len(steps)-1]; last.Done != 2 || last.Total != 2 || last.Result != "imported" {
		t.Errorf("last progress = %+v", last)
	}
	if n := len(received(t, htl, sh)); n != 2 {
		t.Fatalf("HTL holds %d batches of SH", n)
	}
	if n, err := htl.st.CountModels(ctx, store.ModelFilter{}); err != nil || n != 2 {
		t.Fatalf("SH's models at HTL: %d, %v", n, err)
	}
	pt, err := htl.st.PeriodTallies(ctx, sh.self.ID, spec)
	if err != nil || len(pt.Rows) != 1 {
		t.Fatalf("SH's tallies at HTL: %d rows, %v", len(pt.Rows), err)
	}
	sent, _ := sh.st.SentBatches(ctx)
	if st := dsync.Summarize(sent); len(st.Pending) != 0 || len(st.Acknowledged) != 2 {
		t.Errorf("at SH after the receipt: %+v", st)
	}
	if last, _ := sh.st.LastSendOK(ctx, htl.self.ID); last.IsZero() {
		t.Error("the last good send is not recorded")
	}
	receipts, _ := os.ReadDir(filepath.Join(htl.dir, "receipts"))
	if len(receipts) == 0 {
		t.Error("HTL wrote no receipt file")
	}

	// Again: nothing is waiting, nothing is posted.
	res, err = Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url()}))
	if err != nil || len(res.Sent) != 0 {
		t.Fatalf("second send = %+v, %v", res, err)
	}
	// The same file posted by hand twice: the same receipt, byte for byte.
	data, _ := os.ReadFile(b1.Path)
	post := func() ([]byte, string) {
		resp, err := http.Post(ts.url()+BatchPath+b1.Manifest.FileName(), ContentBatch, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("replay: %d %s", resp.StatusCode, body)
		}
		return body, resp.Header.Get(HeaderResult)
	}
	r1, how := post()
	r2, _ := post()
	if how != "replay" || !bytes.Equal(r1, r2) {
		t.Errorf("replay answered %q; same receipt twice: %v", how, bytes.Equal(r1, r2))
	}
	if n := len(received(t, htl, sh)); n != 2 {
		t.Errorf("HTL holds %d batches after the replays", n)
	}
}

// TestSendGap: a batch posted before its predecessor is kept and answered
// as a gap; the receipt lists what is missing.
func TestSendGap(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ts := startServer(t, htl, nil)
	sh.addModel(t, "Một")
	exportOne(t, sh)
	sh.addModel(t, "Hai")
	b2 := exportOne(t, sh)
	data, _ := os.ReadFile(b2.Path)
	resp, err := http.Post(ts.url()+BatchPath+b2.Manifest.FileName(), ContentBatch, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get(HeaderResult) != "gap" || resp.Header.Get(HeaderMissing) != "1" {
		t.Fatalf("batch 2 first: %d %q missing %q", resp.StatusCode, resp.Header.Get(HeaderResult), resp.Header.Get(HeaderMissing))
	}
	if n := len(received(t, htl, sh)); n != 1 {
		t.Fatalf("HTL holds %d batches", n)
	}
	// The commune's Send then fills the gap.
	res, err := Send(context.Background(), sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url()}))
	if err != nil || len(res.Sent) != 2 || len(res.Receipt.Missing) != 0 {
		t.Fatalf("send = %+v, %v", res, err)
	}
}

// cutTransport breaks chosen tries on purpose.
type cutTransport struct {
	mu    stdsync.Mutex
	tries int
	cut   func(try int, req *http.Request) (*http.Response, error, bool)
}

func (c *cutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.tries++
	n := c.tries
	c.mu.Unlock()
	if resp, err, ok := c.cut(n, req); ok {
		return resp, err
	}
	return http.DefaultTransport.RoundTrip(req)
}

// halfBody gives half of a body and then fails, as a cable pulled out.
type halfBody struct {
	r     io.Reader
	left  int
	after func()
}

func (h *halfBody) Read(p []byte) (int, error) {
	if h.left <= 0 {
		if h.after != nil {
			h.after()
			h.after = nil
		}
		return 0, io.ErrUnexpectedEOF
	}
	if len(p) > h.left {
		p = p[:h.left]
	}
	n, err := h.r.Read(p)
	h.left -= n
	return n, err
}
func (h *halfBody) Close() error { return nil }

// TestSendServerStopsMidUpload: the server stops while half a batch is
// up; the commune retries with back-off, the server comes back on the same
// port, and the batch arrives once.
func TestSendServerStopsMidUpload(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ts := startServer(t, htl, nil)
	sh.addModel(t, "Nuôi cá lồng")
	exportOne(t, sh)
	restarted := make(chan struct{})
	tr := &cutTransport{cut: func(try int, req *http.Request) (*http.Response, error, bool) {
		if try != 1 {
			return nil, nil, false
		}
		data, _ := io.ReadAll(req.Body)
		req.Body = &halfBody{r: bytes.NewReader(data), left: len(data) / 2, after: func() {
			ts.halt() // the office's PC is switched off with half the file up
			go func() { time.Sleep(100 * time.Millisecond); ts.start(); close(restarted) }()
		}}
		req.ContentLength = int64(len(data))
		resp, err := http.DefaultTransport.RoundTrip(req)
		return resp, err, true
	}}
	var waits int
	res, err := Send(context.Background(), sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url(), Attempts: 30,
		Client: &http.Client{Transport: tr, Timeout: 10 * time.Second},
		Progress: func(p SendProgress) {
			if p.Wait > 0 {
				waits++
			}
		}}))
	<-restarted
	if err != nil || len(res.Sent) != 1 {
		t.Fatalf("send after the restart = %+v, %v", res, err)
	}
	if waits == 0 {
		t.Error("the cut try was not reported as a wait")
	}
	if n := len(received(t, htl, sh)); n != 1 {
		t.Fatalf("HTL holds %d batches", n)
	}
	if q, _ := htl.st.QuarantinedBatches(context.Background()); len(q) != 0 {
		t.Errorf("the half file went to quarantine: %+v", q)
	}
}

// TestSendReceiptLost: the server stores the batch, and the connection
// drops before the commune reads the receipt. The batch stays in the
// outbox; sending again stores nothing new and gets the same receipt.
func TestSendReceiptLost(t *testing.T) {
	ctx := context.Background()
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ts := startServer(t, htl, nil)
	sh.addModel(t, "Nuôi cá lồng")
	exportOne(t, sh)
	var lost []byte
	tr := &cutTransport{cut: func(try int, req *http.Request) (*http.Response, error, bool) {
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err == nil && try == 1 {
			lost, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			return nil, io.ErrUnexpectedEOF, true
		}
		return resp, err, true
	}}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	_, err := Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url(), Client: client, Attempts: 1}))
	var se *SendError
	if !errors.As(err, &se) || se.Code != "offline" {
		t.Fatalf("first send: %v", err)
	}
	sent, _ := sh.st.SentBatches(ctx)
	if s := dsync.Summarize(sent); len(s.Pending) != 1 {
		t.Fatalf("the batch left the outbox without a receipt: %+v", s)
	}
	if n := len(received(t, htl, sh)); n != 1 {
		t.Fatalf("HTL holds %d batches", n)
	}
	var again []byte
	tr.cut = func(try int, req *http.Request) (*http.Response, error, bool) {
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err == nil && req.Method == http.MethodPost { // the receipt, not the settings asked for after it
			again, _ = io.ReadAll(resp.Body)
			resp.Body = io.NopCloser(bytes.NewReader(again))
		}
		return resp, err, true
	}
	res, err := Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url(), Client: client}))
	if err != nil || len(res.Sent) != 1 {
		t.Fatalf("second send = %+v, %v", res, err)
	}
	if !bytes.Equal(lost, again) {
		t.Error("the resend got another receipt than the lost one")
	}
	if n := len(received(t, htl, sh)); n != 1 {
		t.Errorf("HTL holds %d batches after the resend", n)
	}
}

// TestSendTwoCommunesAtOnce: two communes send their backlogs at the same
// time; each gets its own batches through, once.
func TestSendTwoCommunesAtOnce(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	communes := []*office{pair(t, "SH", htl), pair(t, "PV", htl)}
	ts := startServer(t, htl, nil)
	for _, c := range communes {
		for _, m := range []string{"Một", "Hai", "Ba"} {
			c.addModel(t, m)
			exportOne(t, c)
		}
	}
	var wg stdsync.WaitGroup
	errs := make([]error, len(communes))
	for i, c := range communes {
		wg.Go(func() {
			res, err := Send(context.Background(), c.st, store.System, c.dir, quick(SendOptions{URL: ts.url()}))
			if err == nil && len(res.Sent) != 3 {
				err = errors.New("not every batch was covered")
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, c := range communes {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.self.Code, errs[i])
		}
		if n := len(received(t, htl, c)); n != 3 {
			t.Errorf("HTL holds %d batches of %s", n, c.self.Code)
		}
	}
}

// TestSendRefused: an office not enrolled, a tampered body, an oversized
// body. Each is refused with a reason in both languages, stored nowhere
// (the stranger's goes to quarantine), and stays in the commune's outbox.
func TestSendRefused(t *testing.T) {
	ctx := context.Background()
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	explain := func(lang string, err error) string { return lang + ":" + err.Error() }
	ts := startServer(t, htl, func(c *ServerConfig) { c.Explain = explain; c.MaxBody = 64 << 10 })

	xx := mustOffice(t, "XX", "UBND xã Lạ", domain.RoleCommune)
	enroll(t, htl, xx) // XX trusts HTL, HTL does not know XX
	xx.addModel(t, "Mô hình của xã lạ")
	exportOne(t, xx)
	_, err := Send(ctx, xx.st, store.System, xx.dir, quick(SendOptions{URL: ts.url()}))
	var se *SendError
	if !errors.As(err, &se) || se.Code != "refused" || se.Status != http.StatusForbidden || se.Refusal.Code != "batch.unknown_office" ||
		!se.Refusal.Quarantined || se.Refusal.MessageVI == "" || se.Refusal.MessageEN == "" {
		t.Fatalf("unknown office: %v %+v", err, se)
	}
	if code, _ := se.MessageCode(); code != "exchange.refused_quarantined" {
		t.Errorf("message code %q", code)
	}
	if q, _ := htl.st.QuarantinedBatches(ctx); len(q) != 1 {
		t.Errorf("quarantine holds %d", len(q))
	}
	sent, _ := xx.st.SentBatches(ctx)
	if s := dsync.Summarize(sent); len(s.Pending) != 1 {
		t.Errorf("XX's batch left the outbox: %+v", s)
	}

	sh := pair(t, "SH", htl)
	sh.addModel(t, "Nuôi cá lồng")
	exportOne(t, sh)
	tamper := &cutTransport{cut: func(try int, req *http.Request) (*http.Response, error, bool) {
		data, _ := io.ReadAll(req.Body)
		data[len(data)/2] ^= 0x01
		req.Body = io.NopCloser(bytes.NewReader(data))
		resp, err := http.DefaultTransport.RoundTrip(req)
		return resp, err, true
	}}
	_, err = Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url(), Client: &http.Client{Transport: tamper}}))
	if !errors.As(err, &se) || se.Code != "refused" || se.Refusal.Retry || se.Refusal.Code == "" {
		t.Fatalf("tampered: %v", err)
	}
	if tamper.tries != 1 {
		t.Errorf("a refused batch was tried %d times", tamper.tries)
	}
	if n := len(received(t, htl, sh)); n != 0 {
		t.Errorf("HTL stored %d tampered batches", n)
	}

	big := bytes.Repeat([]byte{'x'}, 65<<10)
	resp, err := http.Post(ts.url()+BatchPath+"SH-000002-20260105.zip", ContentBatch, bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", resp.StatusCode)
	}
	// The commune's own batch still goes once the line is clean.
	res, err := Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: ts.url()}))
	if err != nil || len(res.Sent) != 1 {
		t.Fatalf("clean send = %+v, %v", res, err)
	}
}

// TestSendOffline: nobody answers; the tries run out, the batch stays in
// the outbox, and the error says so.
func TestSendOffline(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	sh.addModel(t, "Nuôi cá lồng")
	exportOne(t, sh)
	res, err := Send(context.Background(), sh.st, store.System, sh.dir, quick(SendOptions{URL: "http://" + addr, Attempts: 3}))
	var se *SendError
	if !errors.As(err, &se) || se.Code != "offline" || len(res.Pending) != 1 {
		t.Fatalf("offline: %+v, %v", res, err)
	}
	if code, _ := se.MessageCode(); code != "exchange.send_offline" {
		t.Errorf("message code %q", code)
	}
}

// TestSendPlainOnlyOnLoopback: plain HTTP to another machine is refused
// before anything is sent.
func TestSendPlainOnlyOnLoopback(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	sh.addModel(t, "Nuôi cá lồng")
	exportOne(t, sh)
	_, err := Send(context.Background(), sh.st, store.System, sh.dir, SendOptions{URL: "http://192.0.2.1:8470"})
	var se *SendError
	if !errors.As(err, &se) || se.Code != "plain_http" {
		t.Fatalf("plain http to a LAN address: %v", err)
	}
}

// TestSendTLSPinned: the collecting office serves under its self-signed
// certificate; its enrollment file carries the pin, the commune sends over
// HTTPS to it, and refuses a server showing another certificate.
func TestSendTLSPinned(t *testing.T) {
	ctx := context.Background()
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	cert, pin, err := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, again, err := dsync.ServerCertificate(htl.dir, htl.self, time.Now(), ""); err != nil || again != pin {
		t.Fatalf("the certificate changed on a second start: %v", err)
	}
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	enroll(t, sh, htl)
	data, err := dsync.ExportEnrollmentFrom(ctx, htl.st, htl.sg, htl.dir, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := dsync.Enroll(ctx, sh.st, store.System, "htl.zip", data, "")
	if err != nil || e.TLSCertSHA256 != pin.Cert || e.TLSSPKISHA256 != pin.SPKI || pin.SPKI == "" {
		t.Fatalf("enrollment pins %q %q, want %+v: %v", e.TLSCertSHA256, e.TLSSPKISHA256, pin, err)
	}
	ts := &testServer{t: t, htl: htl, addr: "127.0.0.1:0", tls: &cert,
		cfg: ServerConfig{Store: htl.st, Actor: store.System, DataDir: htl.dir, Signer: htl.sg, Limits: Unlimited, ShutdownGrace: 200 * time.Millisecond}}
	ts.start()
	t.Cleanup(ts.halt)
	sh.addModel(t, "Nuôi cá lồng")
	exportOne(t, sh)
	res, err := Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: "https://" + ts.addr}))
	if err != nil || len(res.Sent) != 1 {
		t.Fatalf("send over TLS = %+v, %v", res, err)
	}

	other := mustOffice(t, "HX", "Ban Dân vận khác", domain.RoleCollector)
	otherCert, _, err := dsync.ServerCertificate(other.dir, other.self, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	ts2 := &testServer{t: t, htl: htl, addr: "127.0.0.1:0", tls: &otherCert, cfg: ts.cfg}
	ts2.start()
	t.Cleanup(ts2.halt)
	sh.addModel(t, "Trồng bưởi")
	exportOne(t, sh)
	_, err = Send(ctx, sh.st, store.System, sh.dir, quick(SendOptions{URL: "https://" + ts2.addr}))
	var se *SendError
	if !errors.As(err, &se) || se.Code != "pin" {
		t.Fatalf("a server with another certificate: %v", err)
	}
	if n := len(received(t, htl, sh)); n != 1 {
		t.Errorf("HTL holds %d batches", n)
	}
}

// TestEnrollmentPinOnlyForCollectors: a commune's enrollment file carries
// no certificate pin, and one that claims a pin is refused.
func TestEnrollmentPinOnlyForCollectors(t *testing.T) {
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	data, err := dsync.ExportEnrollmentFrom(ctx, sh.st, sh.sg, sh.dir, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	e, err := dsync.ReadEnrollment("sh.zip", data)
	if err != nil || e.TLSCertSHA256 != "" {
		t.Fatalf("a commune's file: pin %q, %v", e.TLSCertSHA256, err)
	}
	keys, _ := sh.st.OfficeKeys(ctx, sh.self.ID)
	forged, err := dsync.BuildEnrollmentPinned(sh.self, keys, sh.sg, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), store.TLSPin{Cert: dsync.CertPin([]byte("x"))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.ReadEnrollment("sh.zip", forged); !errors.Is(err, dsync.ErrBadField) {
		t.Fatalf("a commune's file with a pin: %v", err)
	}
}

// TestServeRateLimited: past its burst an address is answered 429 with
// Retry-After and a reason, before the body is read; nothing is stored.
// The health answer names the office.
func TestServeRateLimited(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ts := startServer(t, htl, func(c *ServerConfig) { c.Limits = RateLimits{PerRemote: 0.01, PerRemoteBurst: 1} })
	sh.addModel(t, "Nuôi cá lồng")
	b := exportOne(t, sh)
	data, _ := os.ReadFile(b.Path)
	post := func() *http.Response {
		resp, err := http.Post(ts.url()+BatchPath+b.Manifest.FileName(), ContentBatch, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if r := post(); r.StatusCode != 200 {
		t.Fatalf("first post: %d", r.StatusCode)
	}
	r := post()
	raw, _ := io.ReadAll(r.Body)
	rf := ParseRefusal(r.StatusCode, raw)
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || rf.Code != "exchange.rate_limited" || !rf.Retry {
		t.Fatalf("second post: %d %q %+v", r.StatusCode, r.Header.Get("Retry-After"), rf)
	}
	if n := len(received(t, htl, sh)); n != 1 {
		t.Errorf("HTL holds %d batches", n)
	}
	resp, err := http.Get(ts.url() + HealthPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"office":"HTL"`)) {
		t.Errorf("health: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(ts.url() + "/v1/other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown path: %d", resp.StatusCode)
	}
}

// TestServeTooManyRefused: an address whose uploads keep being refused
// (each may go to quarantine) is turned away before its body is read,
// until its budget grows back.
func TestServeTooManyRefused(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	ts := startServer(t, htl, func(c *ServerConfig) { c.Limits = RateLimits{PerRemote: 1000, Global: 1000, RefusedBurst: 2} })
	post := func() (int, Refusal) {
		resp, err := http.Post(ts.url()+BatchPath+"XX-000001-20260105.zip", ContentBatch, bytes.NewReader([]byte("not a zip")))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, ParseRefusal(resp.StatusCode, raw)
	}
	for i := range 2 {
		if code, rf := post(); code != http.StatusUnprocessableEntity || rf.Code != "batch.malformed" {
			t.Fatalf("refusal %d: %d %+v", i+1, code, rf)
		}
	}
	if code, rf := post(); code != http.StatusTooManyRequests || rf.Code != "exchange.too_many_refused" {
		t.Fatalf("third: %d %+v", code, rf)
	}
}

// TestServeEncrypted: an encrypted batch goes over the network as it lies
// in the outbox and is decrypted by the key the server unlocked; the zip
// taken out of its encryption, and a later batch in clear, are refused
// with 422 and their reason, and store nothing.
func TestServeEncrypted(t *testing.T) {
	ctx := context.Background()
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	ts := startServer(t, htl, nil)
	sh.addModel(t, "Nuôi cá lồng")
	b1 := exportOne(t, sh)
	if !b1.Encrypted || !strings.HasSuffix(b1.Path, ".zip.age") {
		t.Fatalf("batch 1 not encrypted: %s", b1.Path)
	}
	post := func(name string, data []byte) (int, Refusal) {
		t.Helper()
		resp, err := http.Post(ts.url()+BatchPath+name, ContentBatch, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, ParseRefusal(resp.StatusCode, raw)
	}
	data, _ := os.ReadFile(b1.Path)
	if code, rf := post(filepath.Base(b1.Path), data); code != http.StatusOK {
		t.Fatalf("encrypted upload: %d %+v", code, rf)
	}
	if got := received(t, htl, sh); len(got) != 1 || !got[0].Encrypted || got[0].SHA256 != b1.SHA256 {
		t.Fatalf("received %+v", got)
	}

	// Batch 2, built in clear as a stale program would, and batch 2's zip
	// out of its encryption.
	sh.addModel(t, "Trồng bưởi đỏ")
	plan, err := sh.st.PrepareExport(ctx, store.System, "", false)
	if err != nil {
		t.Fatal(err)
	}
	signed, m, err := dsync.BuildBatch(plan, sh.sg, time.Date(2026, 1, 6, 2, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	plan.Recipients = nil
	clear, mc, err := dsync.BuildBatch(plan, sh.sg, time.Date(2026, 1, 6, 2, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		code string
	}{
		{strings.TrimSuffix(m.FileName(), ".age"), signed, "batch.plaintext"},
		{mc.FileName(), clear, "batch.plaintext_after"},
	} {
		if code, rf := post(c.name, c.data); code != http.StatusUnprocessableEntity || rf.Code != c.code {
			t.Errorf("%s: %d %+v, want 422 %s", c.name, code, rf, c.code)
		}
	}
	if got := received(t, htl, sh); len(got) != 1 {
		t.Errorf("a refused upload was stored: %+v", got)
	}
}
