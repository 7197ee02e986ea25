package cli

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"sync/atomic"

	"danvan/store"
	dsync "danvan/sync"
	"danvan/sync/exchange"
)

// `dev post` is hidden, for scripts/bench.sh: it posts every batch file of
// a folder to a running `danvan serve` from many clients at once, as that
// many communes would, and checks that each is answered with a receipt.
// Its output is for the script, not translated.
//
//	dev post --to URL [--cert SERVER-CERT.pem] [--clients N] DIR
func init() {
	Register(Command{Group: "dev", Sub: "post", Run: runDevPost})
}

func runDevPost(ctx context.Context, e *Env, _ *store.Store, args []string) error {
	fs := Flags("dev post")
	to := fs.String("to", "", "")
	certFile := fs.String("cert", "", "")
	clients := fs.Int("clients", 64, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if *to == "" || len(pos) == 0 || *clients < 1 {
		return usage("cli.bad_usage", map[string]any{"Detail": "dev post --to URL [--cert FILE] [--clients N] DIR"})
	}
	files, err := dsync.ExpandPaths(pos)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	if *certFile != "" {
		data, err := os.ReadFile(*certFile)
		if err != nil {
			return err
		}
		b, _ := pem.Decode(data)
		if b == nil {
			return fmt.Errorf("dev post: %s holds no certificate", *certFile)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return err
		}
		client = exchange.PinnedClient([]store.TLSPin{dsync.PinsOf(c)})
	}
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = *clients
	var ok, bad atomic.Int64
	var firstErr atomic.Value
	work := make(chan string)
	var wg stdsync.WaitGroup
	host := strings.TrimPrefix(strings.TrimPrefix(*to, "https://"), "http://")
	if h, _, err := net.SplitHostPort(strings.TrimSuffix(host, "/")); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	loopback := ip != nil && ip.To4() != nil && ip.IsLoopback()
	for i := range *clients {
		// Each client stands for a commune, which posts from its own
		// address: on loopback each takes one of 127.0.0.x, so that the
		// server's per-address bounds see communes, not one machine.
		client := client
		if loopback {
			tr := client.Transport.(*http.Transport).Clone()
			d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+(i+1)/250), byte(1+(i+1)%250))}}
			tr.DialContext = d.DialContext
			client = &http.Client{Transport: tr, Timeout: client.Timeout}
		}
		wg.Go(func() {
			for f := range work {
				if err := postFile(ctx, client, *to, f); err != nil {
					bad.Add(1)
					firstErr.CompareAndSwap(nil, err)
				} else {
					ok.Add(1)
				}
			}
		})
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	fmt.Fprintf(e.Stdout, "posted %d: %d answered with a receipt, %d not\n", len(files), ok.Load(), bad.Load())
	if err, _ := firstErr.Load().(error); err != nil {
		return err
	}
	return nil
}

func postFile(ctx context.Context, client *http.Client, base, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+exchange.BatchPath+filepath.Base(path), bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", exchange.ContentBatch)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get(exchange.HeaderResult) != "imported" {
		return fmt.Errorf("dev post %s: %s %s: %s", filepath.Base(path), resp.Status, resp.Header.Get(exchange.HeaderResult), body)
	}
	return nil
}
