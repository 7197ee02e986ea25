package ui

import (
	"bytes"
	"context"
	"danvan/internal/domain"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"danvan/cli"
	"danvan/internal/tanlac"
	"danvan/store"
	dsync "danvan/sync"
)

// These tests run the screens' slow work as the window does: on its own
// goroutine, handing the result back through fyne.Do (App.Background with
// inline off), not in place as the other screen tests do.

// TestTallySaveInBackground saves a tally from the grid through the real
// background path and finds it stored and shown as saved.
func TestTallySaveInBackground(t *testing.T) {
	a := newTestApp(t)
	a.inline = false
	s := openTallies(t, a, "2024-M04")
	for col, v := range map[int]string{domain.ColOnline: "12", domain.ColInPerson: "30", domain.ColCarried: "3",
		domain.ColEarly: "20", domain.ColOnTime: "15", domain.ColLate: "1", domain.ColWithin: "8", domain.ColOverdue: "1"} {
		typeCell(s, 0, col, v)
	}
	test.Tap(s.draftB)
	settle(t, s)
	pt, err := a.St.PeriodTallies(context.Background(), "", s.spec)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := pt.Rows[s.rows[0].field.ID]
	if !ok {
		t.Fatal("the saved row is not in the store")
	}
	if v, _ := r.Counts.Effective().Get(domain.ColReceived); v != 45 {
		t.Errorf("stored (3) = %d, want 45", v)
	}
	var state string
	waitFor(t, func() bool { state = s.state.Text; return strings.Contains(state, "1 dòng nháp") })
}

// TestInboxPreviewEqualsImportAndCLI brings three new batches of one unit
// at once: the window's check, run in the background, and `danvan batch
// import --dry-run` give the same preview of each (the second and third
// follow the first, no gap), and the import then does exactly that.
func TestInboxPreviewEqualsImportAndCLI(t *testing.T) {
	root := demoCopy(t)
	ctx := context.Background()
	lot := t.TempDir()
	st, sg := openDemoUnit(t, root, "SH")
	var first domain.Model
	for i, name := range []string{"Nuôi ong lấy mật", "Trồng chè Shan tuyết", "Đan lát mây tre"} {
		at := time.Date(2025, 3, 20+i, 2, 0, 0, 0, time.UTC)
		st.Now = func() time.Time { return at }
		m, err := st.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: name, Field: domain.FieldEconomy,
			Year: 2025, Body: domain.BodyFarmers, PersonName: "Đinh Văn Sơn", Tasks: "Hướng dẫn kỹ thuật"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = m
		} else { // the first model changes in every later batch: "updated"
			first.Tasks += "; lượt " + name
			if first, err = st.SaveModel(ctx, store.System, first); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := dsync.Export(ctx, st, store.System, sg, st.Dir(), dsync.ExportOptions{Extra: lot, Now: func() time.Time { return at }}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	// The command line first: the window's store holds the folder's lock.
	passFile := filepath.Join(t.TempDir(), "pass.txt")
	if err := os.WriteFile(passFile, []byte(demoPass), 0o600); err != nil {
		t.Fatal(err)
	}
	inv, err := cli.Parse([]string{"--data", filepath.Join(root, tanlac.CollectorCode), "batch", "import", "--dry-run", "--passphrase-file", passFile, lot})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	inv.Stdout, inv.Stderr = &out, &errOut
	if code := cli.Run(ctx, inv); code != 0 {
		t.Fatalf("batch import --dry-run: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	cliLines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if errOut.Len() > 0 {
		t.Errorf("the command line warns on a complete lot: %s", errOut.String())
	}

	a := newCollectorApp(t, root)
	a.inline = false
	s := newInboxScreen(a)
	a.Win.SetContent(s.content())
	test.Type(s.pass, demoPass)
	s.add([]string{lot})
	waitFor(t, func() bool { return len(s.items) == 3 && !s.busy })
	type seen struct {
		chain  store.ChainState
		counts store.ImportCounts
	}
	var preview []seen
	var items []*inboxItem
	waitFor(t, func() bool {
		items = append([]*inboxItem(nil), s.items...)
		return true
	})
	if len(cliLines) != len(items) {
		t.Fatalf("the command line previewed %d files, the window %d:\n%s", len(cliLines), len(items), out.String())
	}
	for i, it := range items {
		if it.res.Err != nil || it.state != "checked" || strings.Contains(it.detail, "Thiếu") {
			t.Errorf("%s: %v %s %q", filepath.Base(it.path), it.res.Err, it.state, it.detail)
		}
		c := it.res.Import.Counts
		preview = append(preview, seen{it.res.Chain.State, c})
		// The command line says the same of the same file.
		for _, want := range []string{filepath.Base(it.path), "mới " + fmt.Sprint(c.New), "cập nhật " + fmt.Sprint(c.Updated)} {
			if !strings.Contains(cliLines[i], want) {
				t.Errorf("command line %q lacks %q (the window's preview)", cliLines[i], want)
			}
		}
	}
	if preview[1].counts.Updated != 1 || preview[2].counts.Updated != 1 || preview[1].chain != store.ChainNext {
		t.Errorf("later batches do not preview as following the first: %+v", preview)
	}

	test.Type(s.pass, demoPass)
	test.Tap(s.importB)
	waitFor(t, func() bool { return !s.busy && s.items[0].state == "imported" })
	waitFor(t, func() bool {
		items = append([]*inboxItem(nil), s.items...)
		return true
	})
	for i, it := range items {
		got := seen{it.res.Chain.State, it.res.Import.Counts}
		if it.res.Err != nil || !it.res.Import.Applied || got != preview[i] {
			t.Errorf("%s: imported %+v (%v, applied %v), previewed %+v", filepath.Base(it.path), got, it.res.Err, it.res.Import.Applied, preview[i])
		}
	}
}

// openDemoUnit opens a demo unit's data folder with its unlocked key, to
// make batches as the unit would; the caller closes the store.
func openDemoUnit(t *testing.T, root, code string) (*store.Store, *dsync.Signer) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(root, code))
	if err != nil {
		t.Fatal(err)
	}
	km, err := st.SelfKey(ctx)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	sg, err := dsync.Unlock(km, demoPass)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st, sg
}
