package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/assets"
	"danvan/internal/i18n"
	"danvan/store"
)

// showLogin is called by the shell at start. On a folder with accounts it
// fills the window with the login form and calls done with the logged-in
// user once the password is right; on a folder without accounts (set up
// before they existed) it calls done(store.System) at once.
func showLogin(a *App, done func(store.Actor)) {
	has, err := a.St.HasUsers(a.ctx)
	if err != nil {
		a.showFatal(err)
		return
	}
	if !has {
		a.Actor = store.System
		done(store.System)
		return
	}
	l := newLoginScreen(a, done)
	a.Win.SetContent(l.content())
	a.Win.Canvas().Focus(l.user)
}

// loginScreen asks for the login name and password.
type loginScreen struct {
	a      *App
	done   func(store.Actor)
	user   *keyEntry
	pass   *keyEntry
	msg    *widget.Label
	loginB *widget.Button
}

func newLoginScreen(a *App, done func(store.Actor)) *loginScreen {
	return &loginScreen{a: a, done: done}
}

func (l *loginScreen) content() fyne.CanvasObject {
	l.user = newKeyEntry(false)
	l.user.SetPlaceHolder(i18n.T("safety.login.user_hint"))
	l.user.OnSubmitted = func(string) { l.a.Win.Canvas().Focus(l.pass) }
	l.pass = newSecretEntry()
	l.pass.OnSubmitted = func(string) { l.onLogin() }
	l.msg = widget.NewLabel("")
	l.msg.Wrapping = fyne.TextWrapWord
	l.msg.Importance = widget.DangerImportance
	l.loginB = widget.NewButtonWithIcon(i18n.T("safety.login.submit"), theme.LoginIcon(), l.onLogin)
	l.loginB.Importance = widget.HighImportance

	logo := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(64, 64))
	office := ""
	if self, err := l.a.St.SelfOffice(l.a.ctx); err == nil {
		office = self.Name
	}
	title := widget.NewLabelWithStyle(i18n.T("app.name"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("field.username"), l.user),
		widget.NewFormItem(i18n.T("field.password"), l.pass),
	)
	box := container.NewVBox(
		container.NewCenter(logo),
		title,
		widget.NewLabelWithStyle(office, fyne.TextAlignCenter, fyne.TextStyle{}),
		widget.NewSeparator(),
		widget.NewLabelWithStyle(i18n.T("safety.login.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form,
		l.msg,
		container.NewHBox(l.loginB),
	)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, 420), box))
}

func (l *loginScreen) onLogin() {
	name, pw := strings.TrimSpace(l.user.Text), l.pass.Text
	if name == "" {
		l.msg.SetText(i18n.T("safety.login.need_name"))
		l.a.Win.Canvas().Focus(l.user)
		return
	}
	l.loginB.Disable()
	l.msg.SetText("")
	var actor store.Actor
	l.a.Background(func() error {
		// Say why the answer is slow when earlier failures impose a wait.
		if n, err := l.a.St.FailedLogins(l.a.ctx, name); err == nil {
			if d := store.LoginDelay(n); d > 0 {
				fyne.Do(func() { l.msg.SetText(i18n.T("safety.login.wait", i18n.Args{"Seconds": int(d.Seconds())})) })
			}
		}
		var err error
		actor, err = l.a.St.Login(l.a.ctx, name, pw)
		return err
	}, func(err error) {
		l.loginB.Enable()
		if err != nil {
			l.msg.SetText(i18n.Err(err))
			l.pass.SetText("")
			l.a.Win.Canvas().Focus(l.pass)
			return
		}
		l.a.Actor = actor
		l.done(actor)
	})
}
