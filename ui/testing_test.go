package ui

import (
	"context"
	"danvan/internal/domain"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"danvan/internal/i18n"
	"danvan/store"
)

// newTestApp builds an App over a fresh data folder set up as the commune
// "SH", with Fyne's test driver and a window, for screen tests.
func newTestApp(t *testing.T) *App {
	t.Helper()
	return newTestAppRole(t, domain.RoleCommune)
}

func newTestAppRole(t *testing.T, role domain.OfficeRole) *App {
	t.Helper()
	if err := i18n.Use("vi"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set := domain.DefaultSettings()
	set.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
	set.PlaceName = "Suối Hoa"
	self, err := st.Setup(ctx, store.SetupInput{
		Office:   domain.Office{Code: "SH", Name: "UBND xã Suối Hoa", Kind: domain.KindXa, Role: role},
		Settings: set,
	})
	if err != nil {
		t.Fatal(err)
	}
	fa := test.NewTempApp(t)
	a := &App{Fyne: fa, St: st, Self: self, Settings: set, Actor: store.System, ctx: ctx, theme: newAppTheme(false), inline: true}
	a.Win = fa.NewWindow("test")
	a.Win.Resize(fyne.NewSize(1200, 760))
	t.Cleanup(a.Win.Close)
	return a
}
