package cli

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"danvan/store"
)

// chainFixture: a commune SH and its collecting office HTL, enrolled both
// ways; SH sends batch 1, is backed up, then sends batches 2 and 3, each
// imported at HTL.
type chainFixture struct {
	sh, shPass, htl, htlPass, backup string
}

func newChainFixture(t *testing.T) *chainFixture {
	f := &chainFixture{}
	f.sh, f.shPass = syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	f.htl, f.htlPass = syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	carry := t.TempDir()
	mustRun(t, 0, "--data", f.sh, "enrollment", "export", filepath.Join(carry, "sh.zip"), "--passphrase-file", f.shPass)
	mustRun(t, 0, "--data", f.htl, "offices", "enroll", filepath.Join(carry, "sh.zip"))
	mustRun(t, 0, "--data", f.htl, "enrollment", "export", filepath.Join(carry, "htl.zip"), "--passphrase-file", f.htlPass)
	mustRun(t, 0, "--data", f.sh, "offices", "enroll", filepath.Join(carry, "htl.zip"))
	addModel(t, f.sh, "Mô hình A")
	f.send(t)
	f.backup = filepath.Join(t.TempDir(), "sh-sau-lo-1.db")
	mustRun(t, 0, "--data", f.sh, "backup", "--out", f.backup)
	addModel(t, f.sh, "Mô hình B")
	f.send(t)
	addModel(t, f.sh, "Mô hình C")
	f.send(t)
	return f
}

// send exports SH's next batch and imports it at HTL, which must accept it.
func (f *chainFixture) send(t *testing.T) {
	t.Helper()
	carry := t.TempDir()
	mustRun(t, 0, "--data", f.sh, "batch", "export", "--out", carry, "--passphrase-file", f.shPass)
	out, errOut := mustRun(t, 0, "--data", f.htl, "batch", "import", "--passphrase-file", f.htlPass, carry)
	if !strings.Contains(out, "đã nhập lô số") || strings.Contains(out+errOut, "rẽ nhánh") {
		t.Fatalf("HTL did not accept SH's batch:\n%s%s", out, errOut)
	}
}

func modelNames(t *testing.T, dir, owner string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, err := st.SearchModels(context.Background(), store.ModelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		if strings.HasPrefix(m.Name, "Mô hình ") {
			out = append(out, m.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Restoring a backup taken before the last batches, on the same computer:
// the restore says so, keeps the chain, the records sent since come back
// from the office's own sent batches, and the next batch is accepted by
// the collecting office with nothing lost on either side.
func TestRestoreOldBackupKeepsTheChain(t *testing.T) {
	f := newChainFixture(t)
	_, errOut := mustRun(t, 0, "--data", f.sh, "restore", f.backup)
	if !strings.Contains(errOut, "chỉ biết đến lô số 1") || !strings.Contains(errOut, "đến lô số 3") || !strings.Contains(errOut, "batch recover") {
		t.Errorf("restore did not warn about the older state:\n%s", errOut)
	}
	if got := modelNames(t, f.sh, ""); strings.Join(got, ",") != "Mô hình A" {
		t.Fatalf("after the restore SH holds %v", got)
	}
	out, _ := mustRun(t, 0, "--data", f.sh, "batch", "recover", "--passphrase-file", f.shPass)
	if !strings.Contains(out, "lấy lại 2 bản ghi mới") || !strings.Contains(out, "lô số 4") {
		t.Errorf("recover said:\n%s", out)
	}
	if got := modelNames(t, f.sh, ""); strings.Join(got, ",") != "Mô hình A,Mô hình B,Mô hình C" {
		t.Fatalf("after recovering SH holds %v", got)
	}
	// A second recover changes nothing.
	if out, _ := mustRun(t, 0, "--data", f.sh, "batch", "recover", "--passphrase-file", f.shPass); !strings.Contains(out, "lấy lại 0 bản ghi mới, 0") {
		t.Errorf("a second recover said:\n%s", out)
	}
	addModel(t, f.sh, "Mô hình D")
	f.send(t) // batch 4, accepted: no fork
	outbox, _ := filepath.Glob(filepath.Join(f.sh, "outbox", "SH-000004-*"))
	if len(outbox) != 1 {
		t.Fatalf("outbox after the restore: %v", outbox)
	}
	if got := modelNames(t, f.htl, ""); strings.Join(got, ",") != "Mô hình A,Mô hình B,Mô hình C,Mô hình D" {
		t.Fatalf("HTL holds %v", got)
	}
	// Nothing was sent twice: batch 4 carried D alone.
	st, _ := store.Open(context.Background(), f.sh)
	sent, _ := st.SentBatches(context.Background())
	st.Close()
	if n := len(sent); n != 4 || sent[3].Records != 1 {
		t.Errorf("sent batches %+v", sent)
	}
}

// On a new computer only the backup and a copy of the sent batches are
// left: restore into an empty folder, recover from the copy, and the
// collecting office accepts the next batch.
func TestRestoreOnANewComputer(t *testing.T) {
	f := newChainFixture(t)
	copyDir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(f.sh, "outbox", "*"))
	for _, p := range files {
		data, _ := os.ReadFile(p)
		os.WriteFile(filepath.Join(copyDir, filepath.Base(p)), data, 0o600)
	}
	fresh := filepath.Join(t.TempDir(), "may-moi")
	mustRun(t, 0, "--data", fresh, "restore", f.backup)
	out, _ := mustRun(t, 0, "--data", fresh, "batch", "recover", "--passphrase-file", f.shPass, "--from", copyDir)
	if !strings.Contains(out, "nối lại 2 lô") || !strings.Contains(out, "lô số 4") {
		t.Errorf("recover on the new computer said:\n%s", out)
	}
	if got := modelNames(t, fresh, ""); strings.Join(got, ",") != "Mô hình A,Mô hình B,Mô hình C" {
		t.Fatalf("the new computer holds %v", got)
	}
	f.sh = fresh
	addModel(t, f.sh, "Mô hình D")
	f.send(t)
	if got := modelNames(t, f.htl, ""); strings.Join(got, ",") != "Mô hình A,Mô hình B,Mô hình C,Mô hình D" {
		t.Fatalf("HTL holds %v", got)
	}
}

// Without recovering, the restored office still continues the chain: its
// next batch is number 4, accepted, and holds what changed since.
func TestRestoreWithoutRecoverStillContinues(t *testing.T) {
	f := newChainFixture(t)
	mustRun(t, 0, "--data", f.sh, "restore", f.backup)
	addModel(t, f.sh, "Mô hình D")
	f.send(t)
	if got := modelNames(t, f.htl, ""); strings.Join(got, ",") != "Mô hình A,Mô hình B,Mô hình C,Mô hình D" {
		t.Fatalf("HTL holds %v", got)
	}
}
