package cli

import (
	"context"
	"crypto/tls"
	"danvan/internal/domain"
	"errors"
	"net"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/time/rate"

	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
	"danvan/sync/exchange"
)

func init() {
	Register(Command{Group: "serve", HelpKey: "cli.cmd.serve", Store: true, Run: runServe})
}

// runServe is `danvan serve`: the collecting office receives batches over
// the network (docs/exchange.md) until Ctrl+C.
func runServe(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("serve")
	listen := fs.String("listen", "127.0.0.1:8470", "")
	plain := fs.Bool("plain", false, "")
	file := fs.String("passphrase-file", "", "")
	perSecond := fs.Float64("rate", 2, "") // uploads a second from one address; 0: no limit (benchmarks)
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if *plain && !exchange.IsLoopback(*listen) {
		return usage("serve.plain_not_loopback", nil)
	}
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return err
	}
	if self.Role != domain.RoleCollector {
		return usage("serve.not_collector", nil)
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	// Every upload would be refused as forbidden: an officer cannot import,
	// so the server does not start for one.
	if err := actor.Require(store.PermEnroll); err != nil {
		return err
	}
	sg, err := unlock(ctx, e, st, actor, *file) // batches are decrypted and receipts signed as they come and go
	if err != nil {
		return err
	}
	var cert *tls.Certificate
	var pin store.TLSPin
	if !*plain {
		host, _, _ := net.SplitHostPort(*listen)
		c, p, err := dsync.ServerCertificate(e.DataDir, self, time.Now(), host)
		if err != nil {
			return err
		}
		cert, pin = &c, p
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return usage("cli.bad_usage", i18n.Args{"Detail": "serve --listen " + *listen + ": " + err.Error()})
	}
	limits := exchange.RateLimits{PerRemote: rate.Limit(*perSecond)}
	if *perSecond <= 0 {
		limits = exchange.Unlimited
	}
	srv := exchange.NewServer(exchange.ServerConfig{Store: st, Actor: actor, DataDir: e.DataDir, Signer: sg, Limits: limits,
		Explain: i18n.ErrIn, Log: func(ev exchange.ServerEvent) { serveLine(e, ev) }})
	if cert != nil {
		e.Printf("serve.listening", i18n.Args{"URL": "https://" + ln.Addr().String(), "Pin": groupHex(pin.Cert)})
		e.Printf("serve.curl_pin", i18n.Args{"Pin": dsync.CurlPin(pin.SPKI), "Cert": filepath.Join(e.DataDir, "tls", "server-cert.pem")})
	} else {
		e.Printf("serve.listening_plain", i18n.Args{"URL": "http://" + ln.Addr().String()})
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err = srv.Serve(ctx, ln, cert)
	e.Warnf("serve.stopped")
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// serveLine says what happened to one upload, one line on the console.
func serveLine(e *Env, ev exchange.ServerEvent) {
	a := i18n.Args{"Remote": ev.Remote, "File": ev.File}
	if b := ev.Batch; b != nil {
		a["Office"], a["Seq"] = b.Manifest.Office.Code, b.Manifest.Seq
	}
	if ev.Err != nil {
		a["Reason"] = i18n.Err(ev.Err)
		e.Warnf("serve.event.refused", a)
		if ev.Quarantined {
			e.Warnf("serve.event.quarantined", a)
		}
		return
	}
	e.Printf("serve.event."+ev.Result, a)
}

// groupHex writes a pin in groups of four, to be read out on the phone.
func groupHex(s string) string {
	var parts []string
	for len(s) > 4 {
		parts, s = append(parts, strings.ToUpper(s[:4])), s[4:]
	}
	return strings.Join(append(parts, strings.ToUpper(s)), " ")
}
