package cli

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"
)

// lockedBuffer is a buffer the serving goroutine writes while the test reads.
type lockedBuffer struct {
	mu stdsync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestServeAndSendCLI: `danvan serve` at the collecting office over TLS
// with the certificate pinned through its enrollment file, and `danvan
// batch send` at the commune; both say what happened, and a second send
// has nothing to do.
func TestServeAndSendCLI(t *testing.T) {
	sh, shPass := syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	htl, htlPass := syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	carry := t.TempDir()
	f := filepath.Join(carry, "SH-enrollment.zip")
	mustRun(t, 0, "--data", sh, "enrollment", "export", f, "--passphrase-file", shPass)
	mustRun(t, 0, "--data", htl, "offices", "enroll", f)
	hf := filepath.Join(carry, "HTL.zip")
	mustRun(t, 0, "--data", htl, "enrollment", "export", hf, "--passphrase-file", htlPass)
	mustRun(t, 0, "--data", sh, "offices", "enroll", hf)
	addModel(t, sh, "Nuôi cá lồng")
	mustRun(t, 0, "--data", sh, "batch", "export", "--passphrase-file", shPass)

	_, errOut := mustRun(t, 2, "--data", htl, "--lang", "vi", "serve", "--plain", "--listen", "0.0.0.0:8470", "--passphrase-file", htlPass)
	if !strings.Contains(errOut, "chính máy này") {
		t.Errorf("plain serve on the LAN: %q", errOut)
	}

	_, errOut = mustRun(t, 2, "--data", sh, "--lang", "vi", "serve", "--passphrase-file", shPass)
	if !strings.Contains(errOut, "Chỉ cơ quan nhận báo cáo") {
		t.Errorf("serve at a commune: %q", errOut)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	inv, err := Parse([]string{"--data", htl, "--lang", "vi", "serve", "--listen", addr, "--passphrase-file", htlPass})
	if err != nil {
		t.Fatal(err)
	}
	var out, errb lockedBuffer
	inv.Stdout, inv.Stderr = &out, &errb
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Run(ctx, inv) }()
	defer func() {
		stop()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	for i := 0; !strings.Contains(out.String(), "Đang nhận"); i++ {
		if i > 200 {
			t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	got, _ := mustRun(t, 0, "--data", sh, "--lang", "vi", "batch", "send", "--to", "https://"+addr)
	if !strings.Contains(got, "Đã gửi lô 1 (1/1)") || !strings.Contains(got, "Đã nhận: lô 1") {
		t.Errorf("batch send = %q", got)
	}
	if !strings.Contains(out.String(), "đã nhập lô 1 của SH") {
		t.Errorf("serve said %q", out.String())
	}
	got, _ = mustRun(t, 0, "--data", sh, "--lang", "vi", "batch", "send", "--to", "https://"+addr)
	if !strings.Contains(got, "Không có lô nào chờ gửi") {
		t.Errorf("second batch send = %q", got)
	}
	// Plain HTTP to another machine is refused before anything is sent.
	_, errOut = mustRun(t, 2, "--data", sh, "--lang", "vi", "batch", "send", "--to", "http://192.0.2.1:8470")
	if !strings.Contains(errOut, "không mã hóa") {
		t.Errorf("plain send to the LAN: %q", errOut)
	}
}
