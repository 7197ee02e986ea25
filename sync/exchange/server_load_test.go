package exchange

import (
	"bufio"
	"context"
	"danvan/internal/domain"
	"danvan/internal/race"
	dsync "danvan/sync"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	stdsync "sync"
	"syscall"
	"testing"
	"time"

	"danvan/store"
)

// childEnv names the data folder the re-run test binary serves.
const childEnv = "DANVAN_SERVE_BOUNDED_CHILD"

// TestServeBoundedChild is the server of TestServeStaysBounded, run in a
// process of its own so that its peak memory can be read alone. It is
// skipped unless the parent starts it.
func TestServeBoundedChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("run by TestServeStaysBounded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sg, _, err := dsync.OpenKey(ctx, st, store.System, testPass)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }() // the parent closes stdin to stop it
	srv := NewServer(ServerConfig{Store: st, Actor: store.System, DataDir: dir, Signer: sg, ShutdownGrace: 200 * time.Millisecond})
	if err := srv.Serve(ctx, ln, nil); err != nil {
		t.Fatal(err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestServeStaysBounded is the attack of issue #26 on `danvan serve`, on
// loopback only and bounded in time: thirty 100 MiB bodies at once from
// one address, and 6.000 connections that never finish their request from
// another. The server must stay under 300 MB at its peak, keep its
// quarantine under its cap, and still take a real commune's batch from a
// third address meanwhile. Run without -race (make bounds): the race
// detector multiplies memory.
func TestServeStaysBounded(t *testing.T) {
	if race.Enabled || testing.Short() {
		t.Skip("measures memory: run without -race (make bounds)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's peak memory from /proc")
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	const slow = 6000
	if lim.Cur < slow+1000 {
		t.Skipf("this machine allows %d open files; the test needs %d", lim.Cur, slow+1000)
	}

	htl := mustOffice(t, "HTL", "Ban Tuyên giáo và Dân vận Tỉnh ủy", domain.RoleCollector)
	sh := pair(t, "SH", htl)
	sh.addModel(t, "Nuôi ong lấy mật")
	exportOne(t, sh)
	htl.st.Close() // the server's process opens it

	cmd := exec.Command(os.Args[0], "-test.run=^TestServeBoundedChild$")
	cmd.Env = append(os.Environ(), childEnv+"="+htl.dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
	}()
	lines := bufio.NewScanner(stdout)
	var addr string
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "ADDR "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		t.Fatal("the server did not start")
	}
	go io.Copy(io.Discard, stdout)

	from := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
		return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	}
	deadline := time.Now().Add(90 * time.Second)

	// 6.000 connections that send half a request line and wait.
	var conns []net.Conn
	var connMu stdsync.Mutex
	var wg stdsync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.3")}, Timeout: 2 * time.Second}
			for i := 0; i < slow/8 && time.Now().Before(deadline); i++ {
				c, err := d.Dial("tcp", addr)
				if err != nil {
					continue
				}
				c.Write([]byte("POST /v1/batches/SH-000009-20261207.zip HTTP/1.1\r\nHost: x\r\n"))
				connMu.Lock()
				conns = append(conns, c)
				connMu.Unlock()
			}
		}()
	}
	// Thirty bodies of 100 MiB at once.
	statuses := make(chan int, 30)
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := io.LimitReader(zeros{}, 100<<20)
			resp, err := from("127.0.0.2").Post("http://"+addr+BatchPath+fmt.Sprintf("SH-%06d-20261207.zip", 100+i), ContentBatch, body)
			if err != nil {
				statuses <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- resp.StatusCode
		}(i)
	}
	// Meanwhile the real commune sends.
	time.Sleep(300 * time.Millisecond)
	res, err := Send(context.Background(), sh.st, store.System, sh.dir, SendOptions{URL: "http://" + addr, Client: from("127.0.0.1"),
		Attempts: 20, Backoff: 300 * time.Millisecond, MaxWait: 2 * time.Second})
	if err != nil {
		t.Fatalf("the commune's batch did not get through: %v", err)
	}
	if len(res.Sent) != 1 {
		t.Errorf("sent %+v", res)
	}
	// Forty junk files of 1 MiB, each under the size bound, from a fourth
	// address: refused, and only their evidence kept.
	for i := 0; i < 40; i++ {
		resp, err := from("127.0.0.4").Post("http://"+addr+BatchPath+fmt.Sprintf("SH-%06d-20261207.zip", 200+i), ContentBatch, io.LimitReader(zeros{}, 1<<20))
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[http.StatusOK] != 0 {
		t.Errorf("junk bodies answered 200: %v", counts)
	}

	peak := peakKB(t, cmd.Process.Pid)
	connMu.Lock()
	held := len(conns)
	for _, c := range conns {
		c.Close()
	}
	connMu.Unlock()
	var quarantined int64
	filepath.Walk(dsync.QuarantineDir(htl.dir), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			quarantined += fi.Size()
		}
		return nil
	})
	t.Logf("server peak %d MB; bodies answered %v; %d slow connections held by the client; quarantine %d bytes", peak>>10, counts, held, quarantined)
	if peak > 300<<10 {
		t.Errorf("the server's peak memory was %d MB, over 300 MB", peak>>10)
	}
	// Each refused upload keeps a note and its first 4 KiB, not its MiB.
	if quarantined == 0 || quarantined > 40*(dsync.EvidenceHead+1<<10) {
		t.Errorf("quarantine holds %d bytes for forty 1 MiB junk uploads", quarantined)
	}
}

// peakKB is a process's peak resident memory (VmHWM), in KiB.
func peakKB(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
