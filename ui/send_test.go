package ui

import (
	"context"
	"danvan/internal/domain"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"danvan/store"
	dsync "danvan/sync"
	"danvan/sync/exchange"
)

// TestSendButton: with the collecting office's address set, Gửi sends the
// outbox to a real server on loopback; the panel says it went, the
// acknowledgement and the last good send show, and the dashboard card
// says nothing waits.
func TestSendButton(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	const pass = "mat khau ky 1"
	km, err := dsync.GenerateKey(nil, pass)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.St.CreateSelfKey(ctx, store.System, km); err != nil {
		t.Fatal(err)
	}
	sg, err := dsync.Unlock(km, pass)
	if err != nil {
		t.Fatal(err)
	}

	htl, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { htl.Close() })
	hkm, err := dsync.GenerateKey(nil, pass)
	if err != nil {
		t.Fatal(err)
	}
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận Tỉnh ủy"
	if _, err := htl.Setup(ctx, store.SetupInput{Office: domain.Office{Code: "HTL", Name: "Ban Dân vận Huyện ủy Tân Lạc",
		Kind: domain.KindHuyen, Role: domain.RoleCollector}, Settings: set, Key: &hkm}); err != nil {
		t.Fatal(err)
	}
	hsg, err := dsync.Unlock(hkm, pass)
	if err != nil {
		t.Fatal(err)
	}
	for _, way := range []struct {
		from, to *store.Store
		sg       *dsync.Signer
	}{{a.St, htl, sg}, {htl, a.St, hsg}} {
		data, err := dsync.ExportEnrollment(ctx, way.from, way.sg, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := dsync.Enroll(ctx, way.to, store.System, "e.zip", data, ""); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	srv := exchange.NewServer(exchange.ServerConfig{Store: htl, Actor: store.System, DataDir: htl.Dir(), Signer: hsg, Limits: exchange.Unlimited})
	go func() { done <- srv.Serve(sctx, ln, nil) }()
	t.Cleanup(func() { stop(); <-done })

	set = a.Settings
	set.CollectorURL = "http://" + ln.Addr().String()
	if err := a.St.SaveSettings(ctx, store.System, set); err != nil {
		t.Fatal(err)
	}
	if _, err := a.St.SaveModel(ctx, store.System, domain.Model{Kind: domain.KindModel, Name: "Nuôi cá lồng", Field: domain.FieldEconomy,
		Year: 2025, Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Nuôi cá."}); err != nil {
		t.Fatal(err)
	}
	if _, err := dsync.Export(ctx, a.St, store.System, sg, a.St.Dir(), dsync.ExportOptions{}); err != nil {
		t.Fatal(err)
	}

	s := newExchangeScreen(a)
	onUI(func() { a.Win.SetContent(s.content()) })
	waitFor(t, func() bool { return strings.Contains(s.send.outbox.Text, "Chờ gửi: 1 lô (lô 1)") })
	if !ui(func() bool { return strings.Contains(s.send.last.Text, "Chưa gửi qua mạng") }) {
		t.Errorf("last sent = %q", s.send.last.Text)
	}
	onUI(func() { test.Tap(s.send.sendB) })
	waitFor(t, func() bool { return strings.Contains(s.send.status.Text, "Đã gửi hết") })
	waitFor(t, func() bool {
		return strings.Contains(s.send.outbox.Text, "Không có lô nào chờ gửi") && strings.Contains(s.send.last.Text, "Gửi được lần cuối") &&
			strings.Contains(s.acks.Text, "Đã nhận: lô 1")
	})
	got, err := htl.ReceivedBatches(ctx, a.Self.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("HTL holds %d batches: %v", len(got), err)
	}

	// The dashboard's card says the same.
	card := newExchangeCard(a)
	if txt := labelsText(card); !strings.Contains(txt, "Không có lô nào chờ gửi") || !strings.Contains(txt, "Gửi được lần cuối") {
		t.Errorf("dashboard card = %q", txt)
	}
}

// labelsText joins the text of every label under o.
func labelsText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.Card:
			if x.Content != nil {
				walk(x.Content)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}
