package ui

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
)

// enrollCollector enrolls a collecting office at a's store with kinds.
func enrollCollector(t *testing.T, a *App, code, name string, kinds []string) string {
	t.Helper()
	id := store.NewID()
	if _, err := a.St.EnrollOffice(context.Background(), store.System, store.Enrollment{
		Office: domain.Office{ID: id, Code: code, Name: name, Kind: domain.KindTinh, Role: domain.RoleCollector},
		Keys:   []store.OfficeKey{{KeyID: fmt.Sprintf("%016X", len(code)*7919), PublicKey: "k"}},
		Kinds:  kinds,
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestDestinationsOnTheExchangePage: a commune that sends models to the
// province's Ban Tuyên giáo và Dân vận and tallies to its Văn phòng sees
// both on the exchange page, each with what it receives and the next report
// due; the Sửa dialog refuses a destination that receives nothing and an
// address without https://, says so inside the dialog, and saves once fixed.
func TestDestinationsOnTheExchangePage(t *testing.T) {
	a := newTestApp(t)
	enrollCollector(t, a, "BTG", "Ban Tuyên giáo và Dân vận Tỉnh ủy", []string{domain.DataModels})
	vp := enrollCollector(t, a, "VPUB", "Văn phòng UBND tỉnh", []string{domain.DataTallies})
	s := newExchangeScreen(a)
	onUI(func() { a.Win.SetContent(s.content()) })
	waitFor(t, func() bool { return len(s.dests.box.Objects) == 4 })
	text := ""
	onUI(func() {
		for _, o := range s.dests.box.Objects {
			for _, l := range findAll[*widget.Label](o) {
				text += l.Text + "\n"
			}
		}
	})
	for _, want := range []string{"BTG — Ban Tuyên giáo", "Nhận: mô hình, điển hình.", "VPUB — Văn phòng UBND tỉnh", "Nhận: hồ sơ TTHC."} {
		if !strings.Contains(text, want) {
			t.Errorf("the destinations do not say %q:\n%s", want, text)
		}
	}
	if ui(func() bool { return !strings.Contains(s.dests.due.Text, "hạn gửi") }) {
		t.Errorf("no next due date: %q", s.dests.due.Text)
	}

	d, err := a.St.Destination(a.Ctx(), vp)
	if err != nil {
		t.Fatal(err)
	}
	onUI(func() { s.dests.edit(d) })
	var dlg *widget.CheckGroup
	var url *keyEntry
	var save *widget.Button
	var msg *widget.Label
	onUI(func() {
		top := a.Win.Canvas().Overlays().Top()
		dlg = findAll[*widget.CheckGroup](top)[0]
		url = findAll[*keyEntry](top)[0]
		for _, b := range findAll[*widget.Button](top) {
			if b.Text == "Lưu" {
				save = b
			}
		}
		for _, l := range findAll[*widget.Label](top) {
			if l.Importance == widget.DangerImportance {
				msg = l
			}
		}
	})
	onUI(func() { dlg.SetSelected(nil); test.Tap(save) })
	waitFor(t, func() bool { return msg.Text != "" })
	onUI(func() { dlg.SetSelected([]string{"hồ sơ TTHC"}); test.Type(url, "10.0.0.9"); test.Tap(save) })
	waitFor(t, func() bool { return strings.Contains(msg.Text, "https://") })
	onUI(func() { url.SetText("https://10.0.0.9:8470"); test.Tap(save) })
	waitFor(t, func() bool { return a.Win.Canvas().Overlays().Top() == nil })
	d, _ = a.St.Destination(a.Ctx(), vp)
	if d.URL != "https://10.0.0.9:8470" || !slices.Equal(d.Kinds, []string{domain.DataTallies}) {
		t.Errorf("saved destination %+v", d)
	}
}

// findAll is every object of type T inside o.
func findAll[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	walk(o, func(o fyne.CanvasObject) {
		if w, ok := o.(T); ok {
			out = append(out, w)
		}
	})
	return out
}
