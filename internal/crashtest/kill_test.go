//go:build !windows

package crashtest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	stdsync "sync"
	"syscall"
	"testing"
	"time"

	"danvan/cli"
)

const childEnv = "DANVAN_CRASHTEST_CHILD"

// TestMain lets the test binary act as danvan when a test starts it as a
// child process.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		inv, err := cli.Parse(os.Args[1:])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(cli.ExitUsage)
		}
		os.Exit(cli.Run(context.Background(), inv))
	}
	os.Exit(m.Run())
}

func danvan(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"--data", dir, "--lang", "en"}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	return cmd
}

// lockedBuffer is the child's output, read by the test while the child
// still writes to it.
type lockedBuffer struct {
	mu  stdsync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// completeLines returns the lines of out that ended with a new line: the
// kill may cut the last one short, and a cut id was never reported.
func completeLines(out []byte) []string {
	s := string(out)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	} else {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestSIGKILLWhileSavingLosesNothing(t *testing.T) {
	kills := 10
	if v := os.Getenv("DANVAN_KILLS"); v != "" {
		kills, _ = strconv.Atoi(v)
	}
	if testing.Short() {
		kills = 3
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d kills", seed, kills)
	rng := rand.New(rand.NewPCG(seed, 0))

	work := t.TempDir()
	dir := filepath.Join(work, "data")
	pw := filepath.Join(work, "pw.txt")
	os.WriteFile(pw, []byte("mat-khau-lanh-dao\n"), 0o600)
	out, err := danvan(dir, "init", "--office-name", "UBND xã Suối Hoa", "--office-code", "SH", "--kind", "xa",
		"--role", "commune", "--collector-name", "Ban Dân vận", "--head-user", "chutich", "--password-file", pw).CombinedOutput()
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	login := []string{"--user", "chutich", "--password-file", pw}
	idsFile := filepath.Join(work, "ids.txt")
	total := 0
	for k := 1; k <= kills; k++ {
		var stdout lockedBuffer
		var stderr bytes.Buffer
		cmd := danvan(dir, append(login, "dev", "stress-save", "--count", "1000000")...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Every fourth kill lands anywhere in start-up (open, integrity
		// check, migrations, login); the others 0–800 ms after the first
		// save, so that most land in the middle of commits.
		if rng.IntN(4) == 0 {
			time.Sleep(time.Duration(20+rng.IntN(1000)) * time.Millisecond)
		} else {
			for i := 0; i < 300 && stdout.Len() == 0; i++ {
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(time.Duration(rng.IntN(800)) * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: the child was not killed (%v): %s", k, err, stderr.String())
		}
		ids := completeLines(stdout.Bytes())
		total += len(ids)
		f, err := os.OpenFile(idsFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			fmt.Fprintln(f, id)
		}
		f.Close()

		check, err := danvan(dir, append(login, "dev", "stress-check", "--ids", idsFile)...).CombinedOutput()
		if err != nil {
			t.Fatalf("kill %d: check failed (%v):\n%s", k, err, check)
		}
		if !strings.Contains(string(check), "missing 0") {
			t.Fatalf("kill %d: check said:\n%s", k, check)
		}
	}
	if total == 0 {
		t.Fatal("no record was reported saved in any run: the harness proves nothing")
	}
	t.Logf("%d kills, %d records reported saved, none lost, integrity_check ok each time", kills, total)
}
