package sync

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"danvan/store"
)

// TestImportFilesInOrder imports a stick holding one commune's three
// batches, another commune's batch, a damaged file and a batch from an
// office not enrolled here. Every file gets one result, in the files'
// order; the good batches apply (the three of one office in one
// transaction, in chain order), the damaged one and the stranger's are
// moved to quarantine/ with a note saying why (the stranger's also listed
// for release on enrolment), and the models are found by the search box. A
// second run over the same stick finds every good batch already received.
func TestImportFilesInOrder(t *testing.T) {
	ctx := context.Background()
	sh := mustOffice(t, "SH", "UBND xã Suối Hoa", domain.RoleCommune)
	pv := mustOffice(t, "PV", "UBND xã Phú Vinh", domain.RoleCommune)
	xx := mustOffice(t, "XX", "UBND xã Lạ", domain.RoleCommune)
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	for _, c := range []*office{sh, pv} {
		enroll(t, c, htl)
	}
	usb := t.TempDir()
	export := func(o *office, model string) string {
		o.addModel(t, model)
		r, err := Export(ctx, o.st, store.System, o.sg, o.dir, ExportOptions{Extra: usb})
		if err != nil {
			t.Fatal(err)
		}
		return r.ExtraPath
	}
	for _, name := range []string{"Nuôi cá lồng", "Trồng bưởi đỏ", "Đèn đường xóm Bưa"} {
		export(sh, name)
	}
	good := export(pv, "Nuôi dê")
	export(xx, "Mô hình của xã lạ")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(filepath.Join(usb, "AB-000001-20260105.zip"), data, 0o600); err != nil {
		t.Fatal(err)
	}

	files, err := ExpandPaths([]string{usb})
	if err != nil || len(files) != 6 {
		t.Fatalf("the stick holds %v, %v", files, err)
	}
	run := func(files []string) []FileResult {
		var got []FileResult
		ImportWith(ctx, htl.st, store.System, htl.dir, FileSources(files), Options{DryRun: false, Key: htl.sg}, func(r FileResult) { got = append(got, r) })
		if len(got) != len(files) {
			t.Fatalf("%d results for %d files", len(got), len(files))
		}
		for i, r := range got {
			if r.Path != files[i] {
				t.Fatalf("result %d is for %s, want %s", i, r.Path, files[i])
			}
		}
		return got
	}
	want := map[string]string{ // file name without its date → what happens on the first run
		"AB-000001": "quarantined",
		"PV-000001": "applied",
		"SH-000001": "applied",
		"SH-000002": "applied",
		"SH-000003": "applied",
		"XX-000001": "quarantined",
	}
	for _, r := range run(files) {
		name := filepath.Base(r.Path)[:9]
		got := "refused"
		switch {
		case r.Quarantined:
			got = "quarantined"
		case r.Err == nil && r.Import.Applied && r.Chain.State == store.ChainNext:
			got = "applied"
		}
		if got != want[name] {
			t.Errorf("%s: %s (err %v, chain %+v), want %s", name, got, r.Err, r.Chain, want[name])
		}
		if got == "quarantined" {
			if _, err := os.Stat(r.Path); !os.IsNotExist(err) {
				t.Errorf("%s: still on the stick after quarantine (%v)", name, err)
			}
			if filepath.Dir(r.QuarantinedAs) != QuarantineDir(htl.dir) {
				t.Errorf("%s: set aside as %q, not in quarantine/", name, r.QuarantinedAs)
			}
			note, err := os.ReadFile(r.QuarantinedAs + ".txt")
			if err != nil || !strings.Contains(string(note), r.Err.Error()) {
				t.Errorf("%s: note %q (%v) does not say why: %v", name, note, err, r.Err)
			}
		}
	}
	if q, err := htl.st.QuarantinedBatches(ctx); err != nil || len(q) != 1 || q[0].OfficeCode != "XX" {
		t.Errorf("quarantine list %+v (%v), want the batch of XX only", q, err)
	}
	for q, n := range map[string]int{"ca long": 1, "buoi do": 1, "den duong": 1, "nuoi de": 1, "xa la": 0} {
		if got, err := htl.st.CountModels(ctx, store.ModelFilter{Query: q}); err != nil || got != n {
			t.Errorf("search %q finds %d models (%v), want %d", q, got, err, n)
		}
	}
	left, err := ExpandPaths([]string{usb})
	if err != nil || len(left) != 4 {
		t.Fatalf("after the import the stick holds %v (%v), want the 4 good batches", left, err)
	}
	for _, r := range run(left) {
		name := filepath.Base(r.Path)[:9]
		if want[name] == "applied" && (r.Err != nil || r.Import.Applied || r.Chain.State != store.ChainReplay) {
			t.Errorf("second run, %s: err %v, applied %v, chain %+v; want already received", name, r.Err, r.Import.Applied, r.Chain)
		}
	}
	if n, _ := htl.st.CountModels(ctx, store.ModelFilter{}); n != 4 {
		t.Errorf("%d models after importing the stick twice, want 4", n)
	}
}

// The quarantine's list reads the newest notes only, however many refused
// uploads left theirs, and says how many there are in all.
func TestQuarantinedReadsTheNewestNotes(t *testing.T) {
	htl := mustOffice(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", domain.RoleCollector)
	dir := QuarantineDir(htl.dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < MaxQuarantineList+5; i++ {
		name := fmt.Sprintf("20261201-080000-net-%08d-X.zip.txt", i)
		p := filepath.Join(dir, name)
		note := fmt.Sprintf("X-%d.zip\n01/12/2026 08:00\nLý do \x1b[2J %d\n", i, i)
		if err := os.WriteFile(p, []byte(note), 0o600); err != nil {
			t.Fatal(err)
		}
		at := base.Add(time.Duration(i) * time.Minute)
		os.Chtimes(p, at, at)
	}
	list, all, err := Quarantined(context.Background(), htl.st, htl.dir)
	if err != nil {
		t.Fatal(err)
	}
	if all != MaxQuarantineList+5 || len(list) != MaxQuarantineList {
		t.Fatalf("%d listed of %d", len(list), all)
	}
	if list[0].Name != fmt.Sprintf("X-%d.zip", MaxQuarantineList+4) || strings.Contains(list[0].Reason, "\x1b") || !strings.Contains(list[0].Reason, "Lý do") {
		t.Errorf("newest first, escaped: %q %q", list[0].Name, list[0].Reason)
	}
}
