package exchange

import (
	"context"
	"crypto/tls"
	"danvan/internal/domain"
	dsync "danvan/sync"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"danvan/store"
)

// ServerConfig is what `danvan serve` runs with at the collecting office.
type ServerConfig struct {
	Store   *store.Store
	Actor   store.Actor   // who imports and signs receipts (the audit names them)
	DataDir string        // quarantine/ and receipts/ are written here, as by a file import
	Signer  *dsync.Signer // the collecting office's unlocked key: decrypts batches, signs receipts

	// Explain says err in language ("vi" or "en") for a refusal's body;
	// the CLI passes the translation files. nil leaves the code only.
	Explain func(language string, err error) string
	// Log hears what happened to each upload, for the console.
	Log func(ServerEvent)

	MaxBody int64 // bytes an upload may have; DefaultLimits.File when 0
	Limits  RateLimits
	Bounds  ServerBounds // connections and uploads at once; DefaultBounds where 0
	// ShutdownGrace is how long a stop waits for uploads under way;
	// 15 s when 0.
	ShutdownGrace time.Duration
}

// ServerEvent is one upload's outcome.
type ServerEvent struct {
	Remote      string
	File        string
	Batch       *dsync.Batch // nil when the file could not be read as a batch
	Result      string       // "imported", "replay", "gap", or "refused"
	Quarantined bool
	Err         error
}

// Server accepts batches over HTTP and imports them through the one
// import pipeline (ImportWith), the same as files from a stick.
type Server struct {
	cfg     ServerConfig
	limit   *limiter
	uploads *counted // bodies being received
	jobs    chan *upload
	stopped chan struct{} // closed when the importer has stopped
}

// upload is one batch waiting for the importer: received into a file of
// incoming/, read when its group is imported, removed after.
type upload struct {
	name    string
	remote  string
	path    string
	size    int64
	res     dsync.FileResult
	receipt []byte
	err     error // about the receipt, after a good import
	done    chan struct{}
}

// NewServer makes a server; Run (or Serve, which calls it) imports.
func NewServer(cfg ServerConfig) *Server {
	if cfg.MaxBody <= 0 || cfg.MaxBody > dsync.DefaultLimits.File {
		cfg.MaxBody = dsync.DefaultLimits.File
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 15 * time.Second
	}
	cfg.Bounds = cfg.Bounds.orDefault()
	return &Server{cfg: cfg, limit: newLimiter(cfg.Limits), uploads: newCounted(cfg.Bounds.MaxUploads, cfg.Bounds.MaxUploadsPerRemote),
		jobs: make(chan *upload, dsync.GroupBatches), stopped: make(chan struct{})}
}

// Run imports the uploads the handler queues until ctx ends. Uploads that
// arrive together are imported together, one transaction for up to a
// group's worth (as a folder of files is). A group under way is finished
// even when ctx ends: an upload is either stored with its receipt
// answered, or not stored at all.
func (s *Server) Run(ctx context.Context) {
	defer close(s.stopped)
	// The receipts of a group are saved (their sync to disk waited for)
	// while the next group imports; one saver, so that they are written in
	// order and never race for a file name.
	saves := make(chan func(), 1)
	saverDone := make(chan struct{})
	go func() {
		defer close(saverDone)
		for f := range saves {
			f()
		}
	}()
	defer func() { close(saves); <-saverDone }()
	clearIncoming(s.cfg.DataDir)
	var next *upload // the upload that did not fit the last group
	for {
		var group []*upload
		var bytes int64
		if next != nil {
			group, bytes, next = append(group, next), next.size, nil
		} else {
			select {
			case u := <-s.jobs:
				group, bytes = append(group, u), u.size
			case <-ctx.Done():
				return
			}
		}
	more:
		for len(group) < dsync.GroupBatches {
			select {
			case u := <-s.jobs:
				if bytes+u.size > groupBytes {
					next = u // a group reads its uploads into memory: bounded
					break more
				}
				group, bytes = append(group, u), bytes+u.size
			default:
				break more
			}
		}
		saves <- s.importGroup(context.WithoutCancel(ctx), group)
	}
}

// importGroup imports one group and returns the rest of its work: saving
// the new receipts, then answering every upload of the group.
func (s *Server) importGroup(ctx context.Context, group []*upload) func() {
	c := s.cfg
	srcs := make([]dsync.Source, len(group))
	for i, u := range group {
		path, name := u.path, u.name
		srcs[i] = dsync.Source{Name: name, Remote: u.remote, Read: func() ([]byte, error) {
			data, err := dsync.ReadFile(path, dsync.DefaultLimits)
			if pe, ok := err.(*dsync.Error); ok {
				pe.File = name // the upload's name, not the spool file's
			}
			return data, err
		}}
	}
	defer func() {
		for _, u := range group {
			os.Remove(u.path)
		}
	}()
	n := 0
	opt := dsync.Options{Key: c.Signer}
	if c.Explain != nil { // the quarantine note in the office's language, as the window writes it
		opt.Reason = func(err error) string { return c.Explain("vi", err) }
	}
	dsync.ImportWith(ctx, c.Store, c.Actor, c.DataDir, srcs, opt, func(r dsync.FileResult) {
		if n < len(group) {
			group[n].res = r
		}
		n++
	})
	for ; n < len(group); n++ {
		group[n].res = dsync.FileResult{Path: group[n].name, Err: &exchangeError{code: "shutting_down"}}
	}
	// The receipt of an office that got something new is recorded and
	// written to receipts/ once, as a file import does; one whose upload
	// changed nothing is given the same receipt again, unrecorded.
	fresh := map[string]bool{}
	for _, u := range group {
		if u.res.Err == nil && u.res.Import.Applied {
			fresh[u.res.Batch.Office.ID] = true
		}
	}
	type made struct {
		data []byte
		err  error
	}
	receipts := map[string]*made{}
	var save []dsync.SavedReceipt
	var saved []*made
	for _, u := range group {
		if u.res.Err != nil {
			continue
		}
		id := u.res.Batch.Office.ID
		if receipts[id] == nil {
			m := &made{}
			var r *dsync.Receipt
			m.data, r, m.err = dsync.CurrentReceipt(ctx, c.Store, c.Signer, id)
			receipts[id] = m
			if m.err == nil && fresh[id] {
				save, saved = append(save, dsync.SavedReceipt{Data: m.data, Receipt: r}), append(saved, m)
			}
		}
	}
	return func() {
		// Recorded and on disk before anyone is told: a receipt answered
		// is one the collecting office can show.
		if err := dsync.SaveReceipts(ctx, c.Store, c.Actor, c.DataDir, save); err != nil {
			for _, m := range saved {
				m.err = err
			}
		}
		for _, u := range group {
			if u.res.Err == nil {
				m := receipts[u.res.Batch.Office.ID]
				u.receipt, u.err = m.data, m.err
			}
			close(u.done)
		}
	}
}

// Handler is the HTTP side: docs/exchange.md.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+BatchPath+"{name}", s.postBatch)
	mux.HandleFunc("GET "+HealthPath, s.health)
	mux.HandleFunc("GET "+SettingsPath, s.settings)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.refuse(w, &exchangeError{code: "bad_path"}, http.StatusNotFound, false)
	})
	return mux
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	self, err := s.cfg.Store.SelfOffice(r.Context())
	if err != nil {
		s.refuse(w, err, http.StatusInternalServerError, false)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(HeaderFormat, ExchangeFormat)
	json.NewEncoder(w).Encode(map[string]string{"format": ExchangeFormat, "office": self.Code, "name": self.Name})
}

// settings hands out the latest settings file this office published: the
// units check its signature and show what it would change before anyone
// applies it.
func (s *Server) settings(w http.ResponseWriter, r *http.Request) {
	data, err := os.ReadFile(filepath.Join(dsync.PublishedDir(s.cfg.DataDir), dsync.LatestSettingsName))
	if err != nil {
		s.refuse(w, &exchangeError{code: "no_settings"}, http.StatusNotFound, false)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set(HeaderFormat, ExchangeFormat)
	w.Write(data)
}

func (s *Server) postBatch(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	remote, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		remote = r.RemoteAddr
	}
	ev := ServerEvent{Remote: remote, File: name, Result: "refused"}
	fail := func(err error, quarantined bool) {
		ev.Err, ev.Quarantined = err, quarantined
		s.log(ev)
		status, retry := statusOf(err)
		if !retry { // the sender's fault: it spends one of its refusals
			s.limit.noteRefused(remote)
		}
		s.refuse(w, err, status, quarantined)
	}
	if !dsync.BatchNameRE.MatchString(name) {
		fail(&exchangeError{code: "bad_name", args: map[string]any{"File": name}}, false)
		return
	}
	if wait, over := s.limit.tooManyRefused(remote); over {
		w.Header().Set("Retry-After", retryAfter(wait))
		fail(&exchangeError{code: "too_many_refused"}, false)
		return
	}
	if wait, ok := s.limit.allow(remote); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		fail(&exchangeError{code: "rate_limited"}, false)
		return
	}
	// A few bodies at a time, two from one address: the rest are asked to
	// come back, before a byte of theirs is read.
	if !s.uploads.take(remote) {
		w.Header().Set("Retry-After", "5")
		fail(&exchangeError{code: "busy"}, false)
		return
	}
	path, size, err := s.receive(w, r)
	s.uploads.give(remote)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(&dsync.Error{Problem: dsync.ProblemTooLarge, File: name, Args: map[string]any{"Max": s.cfg.MaxBody}}, false)
		return
	}
	if err != nil { // the commune went away mid-upload: nothing was stored
		ev.Err = &exchangeError{code: "upload_cut"}
		s.log(ev)
		return
	}
	u := &upload{name: name, remote: remote, path: path, size: size, done: make(chan struct{})}
	queued := false
	defer func() {
		if !queued {
			os.Remove(path)
		}
	}()
	select {
	case s.jobs <- u:
		queued = true // the importer removes it
	case <-s.stopped:
		fail(&exchangeError{code: "shutting_down"}, false)
		return
	case <-r.Context().Done():
		return
	}
	// Once queued the upload is imported whether or not the commune
	// still listens; sending it again then gets the same receipt.
	select {
	case <-u.done:
	case <-s.stopped:
		select {
		case <-u.done:
		default:
			fail(&exchangeError{code: "shutting_down"}, false)
			return
		}
	}
	ev.Batch = u.res.Batch
	if u.res.Err != nil {
		fail(u.res.Err, u.res.Quarantined)
		return
	}
	if u.err != nil {
		fail(u.err, false)
		return
	}
	ev.Result = "imported"
	switch u.res.Chain.State {
	case store.ChainReplay:
		ev.Result = "replay"
	case store.ChainGap:
		ev.Result = "gap"
		w.Header().Set(HeaderMissing, store.SeqRanges(u.res.Chain.Missing))
	}
	s.log(ev)
	w.Header().Set(HeaderFormat, ExchangeFormat)
	w.Header().Set(HeaderResult, ev.Result)
	w.Header().Set("Content-Type", ContentBatch)
	w.WriteHeader(http.StatusOK)
	w.Write(u.receipt)
}

// receive writes the request's body into a new file of incoming/, at most
// MaxBody of it; on any error the file is gone.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) (path string, size int64, err error) {
	f, err := newSpoolFile(s.cfg.DataDir)
	if err != nil {
		return "", 0, err
	}
	size, err = io.Copy(f, http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", 0, err
	}
	return f.Name(), size, nil
}

func (s *Server) log(ev ServerEvent) {
	if s.cfg.Log != nil {
		s.cfg.Log(ev)
	}
}

func (s *Server) refuse(w http.ResponseWriter, err error, status int, quarantined bool) {
	_, retry := statusOf(err)
	rf := Refusal{Format: ExchangeFormat, Status: status, Quarantined: quarantined, Retry: retry}
	var coded domain.Coded
	if errors.As(err, &coded) {
		rf.Code, rf.Args = coded.MessageCode()
	} else {
		rf.Code = "unexpected"
		rf.Args = map[string]any{"Detail": err.Error()}
	}
	rf.Args = plainArgs(rf.Args)
	rf.MessageVI, rf.MessageEN = err.Error(), err.Error()
	if s.cfg.Explain != nil {
		rf.MessageVI, rf.MessageEN = s.cfg.Explain("vi", err), s.cfg.Explain("en", err)
	}
	w.Header().Set("Content-Type", ContentRefusal)
	w.Header().Set(HeaderFormat, ExchangeFormat)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(rf)
}

// plainArgs keeps the message arguments JSON can carry as they are and
// leaves out empty ones.
func plainArgs(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		switch x := v.(type) {
		case string:
			if x != "" {
				out[k] = x
			}
		case int, int64, float64, bool:
			out[k] = x
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Serve answers on ln until ctx ends, over TLS with cert, or plain HTTP
// when cert is nil (the CLI allows that on loopback only). On a stop it
// waits up to ShutdownGrace for uploads under way, then the importer
// finishes its group and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener, cert *tls.Certificate) error {
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	ran := make(chan struct{})
	go func() { defer close(ran); s.Run(runCtx) }()
	defer func() { stopRun(); <-ran }()
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A whole batch at a slow commune line: 96 MB at 1 Mbit/s is
		// about 13 minutes; most are a few hundred kB.
		ReadTimeout:    15 * time.Minute,
		WriteTimeout:   16 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 16 << 10,
		BaseContext:    func(net.Listener) context.Context { return runCtx },
	}
	ln = &boundedListener{Listener: ln, c: newCounted(s.cfg.Bounds.MaxConns, s.cfg.Bounds.MaxConnsPerRemote)}
	if cert != nil {
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
	}
	shut := make(chan struct{})
	go func() {
		defer close(shut)
		select {
		case <-ctx.Done():
		case <-runCtx.Done():
			return
		}
		grace, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
		defer cancel()
		if hs.Shutdown(grace) != nil {
			hs.Close()
		}
	}()
	err := hs.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-shut
		return nil
	}
	stopRun()
	<-shut
	return err
}
