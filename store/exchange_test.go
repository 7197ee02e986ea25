package store

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"testing"
	"time"
)

func TestValidCollectorURL(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://192.168.1.10:8470", true},
		{"https://bdv.tanlac.example/danvan", true},
		{"http://127.0.0.1:8470", true}, // plain HTTP is refused to other machines when sending, not here
		{"ftp://192.168.1.10", false},
		{"192.168.1.10:8470", false},
		{"https://", false},
		{"https://a:b@host", false},
		{"https://host/?x=1", false},
		{"https://host/#top", false},
	} {
		if got := domain.ValidCollectorURL(c.url); got != c.ok {
			t.Errorf("ValidCollectorURL(%q) = %v", c.url, got)
		}
	}
}

// TestCollectorURLSettingAndLastSend: the address is saved with the
// settings and checked; the last good send is state beside them.
func TestCollectorURLSettingAndLastSend(t *testing.T) {
	ctx := context.Background()
	s, _ := mustSetUp(t)
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set.CollectorURL = "  https://192.168.1.10:8470 "
	if err := s.SaveSettings(ctx, System, set); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Settings(ctx); got.CollectorURL != "https://192.168.1.10:8470" {
		t.Errorf("saved address %q", got.CollectorURL)
	}
	set.CollectorURL = "192.168.1.10"
	var ve *domain.ValidationError
	if err := s.SaveSettings(ctx, System, set); !errors.As(err, &ve) || ve.Fields[0].Code != "invalid_url" {
		t.Errorf("a bad address saved: %v", err)
	}
	const dest = "6f1c7c2e-8d4b-4f8e-9a51-0b7f3c2d1e90"
	if last, err := s.LastSendOK(ctx, dest); err != nil || !last.IsZero() {
		t.Errorf("last send before any = %v, %v", last, err)
	}
	at := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	if err := s.RecordSendOK(ctx, dest, at); err != nil {
		t.Fatal(err)
	}
	if last, _ := s.LastSendOK(ctx, dest); !last.Equal(at) {
		t.Errorf("last send = %v", last)
	}
	if got, _ := s.Settings(ctx); got.CollectorURL != "https://192.168.1.10:8470" {
		t.Errorf("recording a send changed the settings: %+v", got)
	}
}
