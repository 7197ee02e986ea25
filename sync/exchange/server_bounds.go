package exchange

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	stdsync "sync"
)

// The bounds that keep `danvan serve` within a small office PC whatever
// arrives, before anyone has proved who they are (docs/exchange.md §7):
//
//   - connections: at most MaxConns in all and MaxConnsPerRemote from one
//     address; more are closed as they are accepted, so thousands of slow
//     connections cost nothing but the kernel's backlog;
//   - uploads: at most MaxUploads bodies are received at once, and
//     MaxUploadsPerRemote from one address; a body goes to a file in
//     incoming/, never to memory, and at most MaxBody of it;
//   - import: the importer holds at most groupBytes of uploads at a time;
//   - quarantine: an upload refused keeps only its evidence (quarantine.go).
type ServerBounds struct {
	MaxConns            int
	MaxConnsPerRemote   int
	MaxUploads          int
	MaxUploadsPerRemote int
}

// DefaultBounds serve a province's 100-odd communes from a 4 GB PC.
var DefaultBounds = ServerBounds{MaxConns: 512, MaxConnsPerRemote: 32, MaxUploads: 16, MaxUploadsPerRemote: 2}

func (b ServerBounds) orDefault() ServerBounds {
	d := DefaultBounds
	if b.MaxConns > 0 {
		d.MaxConns = b.MaxConns
	}
	if b.MaxConnsPerRemote > 0 {
		d.MaxConnsPerRemote = b.MaxConnsPerRemote
	}
	if b.MaxUploads > 0 {
		d.MaxUploads = b.MaxUploads
	}
	if b.MaxUploadsPerRemote > 0 {
		d.MaxUploadsPerRemote = b.MaxUploadsPerRemote
	}
	return d
}

// groupBytes bounds what one import group of uploads reads into memory.
const groupBytes = 128 << 20

// counted tracks how many of something each address holds, and in all.
type counted struct {
	mu        stdsync.Mutex
	per       map[string]int
	total     int
	max, each int
}

func newCounted(max, each int) *counted {
	return &counted{per: map[string]int{}, max: max, each: each}
}

// take counts one more for remote, unless that passes a bound.
func (c *counted) take(remote string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total >= c.max || c.per[remote] >= c.each {
		return false
	}
	c.total++
	c.per[remote]++
	return true
}

func (c *counted) give(remote string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total--
	if c.per[remote]--; c.per[remote] <= 0 {
		delete(c.per, remote)
	}
}

// boundedListener closes, as soon as it is accepted, a connection past the
// bounds of c.
type boundedListener struct {
	net.Listener
	c *counted
}

func (l *boundedListener) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		remote := remoteOf(conn.RemoteAddr().String())
		if !l.c.take(remote) {
			conn.Close()
			continue
		}
		return &countedConn{Conn: conn, release: func() { l.c.give(remote) }}, nil
	}
}

type countedConn struct {
	net.Conn
	once    stdsync.Once
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

func remoteOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}

// incomingDir is where uploads are received, one file each, before the
// importer reads them; it is emptied when the server starts.
func incomingDir(dataDir string) string { return filepath.Join(dataDir, "incoming") }

func newSpoolFile(dataDir string) (*os.File, error) {
	dir := incomingDir(dataDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var b [8]byte
	rand.Read(b[:])
	return os.OpenFile(filepath.Join(dir, hex.EncodeToString(b[:])+".part"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
}

// clearIncoming removes what a server stopped mid-upload left behind.
func clearIncoming(dataDir string) {
	matches, _ := filepath.Glob(filepath.Join(incomingDir(dataDir), "*.part"))
	for _, m := range matches {
		os.Remove(m)
	}
}
