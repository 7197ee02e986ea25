// Package ui is the Fyne window: the shell (navigation, status line, theme),
// first-run set-up and one struct per screen. It calls the store for data
// and never builds SQL; slow work runs in goroutines and comes back through
// fyne.Do.
package ui

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"log"
	"os"
	"os/signal"
	stdsync "sync"
	"sync/atomic"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"danvan/assets"
	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
)

// AppID is the application's ID, the same as in FyneApp.toml.
const AppID = "vn.danvan.app"

// App is the running window and what every screen shares.
type App struct {
	Fyne fyne.App
	Win  fyne.Window
	St   *store.Store
	Self domain.Office
	// savePath, in tests, is where the save dialog would have written a
	// file proposed as name; nil shows the dialog.
	savePath func(name string) string
	Settings domain.Settings
	Actor    store.Actor

	ctx      context.Context
	shell    *shell
	theme    *appTheme
	exitCode int
	inline   bool              // set by screen tests only; see Background
	dialogs  []closable        // open dialogs, newest last; Esc closes the newest
	menu     *widget.PopUpMenu // a button's menu while it is open (showMenu); Esc closes it

	sessMu stdsync.Mutex
	sess   *dsync.Session // the opened signing key (signing.go)
	// busy counts background work in flight: the window waits for it to
	// end before it closes the store. pending counts it until its done has
	// run on the UI goroutine: the one thing a test waits for (waitIdle).
	busy    stdsync.WaitGroup
	pending atomic.Int32
}

// Ctx is the context for store calls made by screens.
func (a *App) Ctx() context.Context { return a.ctx }

// Options are what main passes to Main.
type Options struct {
	DataDir string
	Lang    string // "" means the office's setting
	Version string
}

// Main opens the window on the data folder and runs until it is closed. It
// returns the process exit code.
func Main(opts Options) int {
	defer openLog(opts.DataDir)()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := useLanguage(firstNonEmpty(opts.Lang, "vi")); err != nil {
		log.Printf("translations: %v", err)
	}
	fa := app.NewWithID(AppID)
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a := &App{Fyne: fa, ctx: ctx, Actor: store.System}
	a.theme = newAppTheme(fa.Settings().ThemeVariant() == 1)
	fa.Settings().SetTheme(a.theme)
	a.Win = fa.NewWindow(i18n.T("app.name"))
	a.Win.SetMaster()
	a.installEscape()
	a.restoreWindowSize()
	quitOnSignal(fa)
	// Ctrl+Q quits from every screen, set-up and login included.
	a.Win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		a.quit()
	})

	// The window shows at once, saying that the data is being opened; the
	// open (its page check takes a second on a collecting office's 300 MB
	// file) and the first screen's queries run after it is on screen.
	view, stopOpening := newOpeningView()
	a.Win.SetContent(view)
	a.Win.Show()
	var first *store.Store
	opening := make(chan struct{})
	go func() {
		defer close(opening)
		st, err := store.Open(ctx, opts.DataDir)
		first = st
		fyne.Do(func() {
			stopOpening()
			a.opened(opts, st, err)
		})
	}()
	fa.Run()
	a.dropSigner()
	// Stop what is in flight, let it end, then close: a store closed under
	// a running query would turn its end into an error or a lost write.
	cancel()
	<-opening // a store still being opened when the window closed is closed too
	a.busy.Wait()
	if a.St != nil {
		a.St.Close()
	}
	if first != nil && first != a.St {
		first.Close()
	}
	return a.exitCode
}

// open opens the data folder again after a snapshot was put in place of a
// damaged file.
func (a *App) open(opts Options) {
	st, err := store.Open(a.ctx, opts.DataDir)
	a.opened(opts, st, err)
}

// opened routes to set-up, login or the shell. A folder that cannot be
// used fills the window with the reason; a damaged database also gets the
// offer to put the newest good snapshot in its place.
func (a *App) opened(opts Options, st *store.Store, err error) {
	if err != nil {
		log.Printf("open %s: %v", opts.DataDir, err)
		a.exitCode = 3
		if errors.Is(err, store.ErrLocked) {
			a.exitCode = 1
		}
		a.showFatal(err)
		if errors.Is(err, store.ErrDamaged) {
			offerRecovery(a, opts.DataDir, func() {
				a.exitCode = 0
				a.open(opts)
			})
		}
		return
	}
	a.St = st
	a.Win.SetCloseIntercept(a.quit)
	a.afterOpen(opts.Lang)
}

// afterOpen routes a freshly opened store: set-up when the folder is new,
// the shell otherwise.
func (a *App) afterOpen(langOverride string) {
	ok, err := a.St.IsSetUp(a.ctx)
	if err != nil {
		a.showFatal(err)
		return
	}
	if !ok {
		a.Win.SetContent(newSetupScreen(a, func() { a.login(langOverride) }).content())
		return
	}
	a.dailySnapshot()
	a.login(langOverride)
}

// login asks who is at the keyboard, then shows the shell as that user.
func (a *App) login(langOverride string) {
	if set, err := a.St.Settings(a.ctx); err == nil {
		if err := useLanguage(firstNonEmpty(langOverride, set.Language)); err != nil {
			log.Printf("translations: %v", err)
		}
	}
	showLogin(a, func(actor store.Actor) {
		a.Actor = actor
		a.start(langOverride)
	})
}

// unsavedWork says whether a page holds typed figures not saved yet,
// which closing the window would lose. (The model form needs no question:
// its draft is kept and offered back on the next Ctrl+N.)
func (a *App) unsavedWork() bool {
	if a.shell == nil {
		return false
	}
	t, ok := a.shell.built["tallies"].(*talliesScreen)
	return ok && t.dirty
}

// quit closes the window, the program with it, after asking when typed
// figures would be lost (the close button, Alt+F4 and Ctrl+Q alike).
func (a *App) quit() {
	if a.unsavedWork() {
		a.confirm(i18n.T("app.quit_title"), i18n.T("app.quit_unsaved"), func(ok bool) {
			if ok {
				a.saveWindowSize()
				a.Fyne.Quit()
			}
		})
		return
	}
	a.saveWindowSize()
	a.Fyne.Quit()
}

// dailySnapshot takes the day's automatic backup off the UI goroutine; a
// failure is told but does not stop the work of the day.
func (a *App) dailySnapshot() {
	a.Background(func() error {
		_, err := a.St.DailySnapshot(a.ctx)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
		}
	})
}

// start loads the office and shows the shell.
func (a *App) start(langOverride string) {
	self, err := a.St.SelfOffice(a.ctx)
	if err != nil {
		a.showFatal(err)
		return
	}
	a.Self = self
	if err := a.ReloadSettings(); err != nil {
		a.ShowError(err)
	}
	if err := useLanguage(firstNonEmpty(langOverride, a.Settings.Language)); err != nil {
		log.Printf("translations: %v", err)
	}
	a.theme.setDark(a.St.Preference(a.ctx, "theme", "light") == "dark")
	a.Fyne.Settings().SetTheme(a.theme)
	a.Win.SetTitle(i18n.T("app.name") + " — " + a.Self.Name)
	a.shell = newShell(a)
	a.Win.SetContent(a.shell.content())
	a.shell.navigate("dashboard")
	a.RefreshStatus()
}

// ReloadSettings reads the office's settings again after a change.
func (a *App) ReloadSettings() error {
	st, err := a.St.Settings(a.ctx)
	if err != nil {
		return err
	}
	a.Settings = st
	return nil
}

// Navigate switches the shell to the page with the given ID.
func (a *App) Navigate(id string) {
	if a.shell != nil {
		a.shell.navigate(id)
	}
}

// RefreshStatus recounts what the status line shows, off the UI goroutine.
func (a *App) RefreshStatus() {
	if a.shell != nil {
		a.shell.status.refresh()
	}
}

// ShowError tells the person what went wrong in their language and keeps
// the technical cause in the log.
func (a *App) ShowError(err error) {
	if err == nil {
		return
	}
	log.Printf("error: %v", err)
	d := dialog.NewInformation(i18n.T("common.error_title"), i18n.Err(err), a.Win)
	a.show(d)
}

// Background runs work off the UI goroutine and then done on it.
func (a *App) Background(work func() error, done func(err error)) {
	if a.inline {
		// Fyne's test driver has no UI goroutine: its fyne.Do runs the
		// callback on whatever goroutine calls it, racing the test's own
		// taps. Screen tests therefore run background work in place.
		done(work())
		return
	}
	a.busy.Add(1)
	a.pending.Add(1)
	go func() {
		defer a.busy.Done()
		err := work()
		fyne.Do(func() {
			uiMu.Lock()
			defer uiMu.Unlock()
			defer a.pending.Add(-1)
			done(err)
		})
	}()
}

// uiMu serialises what background work hands back to the UI. In the window
// fyne.Do already runs those one at a time on the main goroutine; Fyne's
// test driver runs them on the calling goroutine, so tests (waitFor) take
// the same lock to read what they wrote.
var uiMu stdsync.Mutex

// showFatal fills the window with an error the program cannot get past
// (locked folder, damaged file), with a button to close.
func (a *App) showFatal(err error) {
	a.Win.SetContent(newFatalView(a, err))
}

// The window's size belongs to the computer, not to the data folder (which
// may be copied to another computer with another screen), so it is kept in
// Fyne's preferences. The first size fits a 1024×768 screen with the
// Windows taskbar and the title bar; every page is laid out to fit it.
const defaultWidth, defaultHeight = 1000, 680

func (a *App) restoreWindowSize() {
	p := a.Fyne.Preferences()
	w := p.FloatWithFallback("window.width", defaultWidth)
	h := p.FloatWithFallback("window.height", defaultHeight)
	if w < 640 || h < 480 {
		w, h = defaultWidth, defaultHeight
	}
	a.Win.Resize(fyne.NewSize(float32(w), float32(h)))
}

func (a *App) saveWindowSize() {
	size := a.Win.Canvas().Size()
	if size.Width < 100 || size.Height < 100 {
		return
	}
	a.Fyne.Preferences().SetFloat("window.width", float64(int(size.Width)))
	a.Fyne.Preferences().SetFloat("window.height", float64(int(size.Height)))
}

// quitOnSignal closes the window cleanly on Ctrl+C or a service stop, so
// the store is closed and the process exits 0.
func quitOnSignal(fa fyne.App) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ch
		fyne.Do(fa.Quit)
	}()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
