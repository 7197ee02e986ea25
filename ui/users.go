package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store"
)

func init() {
	registerSettingsSection(40, "safety.users.title", func(a *App) fyne.CanvasObject { return newUsersSection(a).content() })
}

// usersSection (Cài đặt › Người dùng) lists the accounts and lets the head
// add officers, reset passwords and turn accounts off. The store checks the
// role again; the section only spares an officer buttons that would fail.
type usersSection struct {
	a     *App
	list  *fyne.Container
	users []store.User

	username, fullName, password *keyEntry
	role                         *widget.Select
	rows                         fieldRows
	addB                         *widget.Button
}

func newUsersSection(a *App) *usersSection {
	return &usersSection{a: a, rows: fieldRows{}}
}

func (s *usersSection) content() fyne.CanvasObject {
	if !s.a.Actor.Can(store.PermUsers) {
		l := widget.NewLabel(i18n.T("safety.users.head_only"))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	s.list = container.NewVBox()
	s.username = newKeyEntry(false)
	s.username.SetPlaceHolder(i18n.T("safety.users.username_hint"))
	s.fullName = newKeyEntry(false)
	s.password = newSecretEntry()
	s.role = widget.NewSelect([]string{i18n.T("safety.role.officer"), i18n.T("safety.role.head")}, nil)
	s.role.SetSelectedIndex(0)
	s.addB = widget.NewButtonWithIcon(i18n.T("safety.users.add"), theme.ContentAddIcon(), s.onAdd)
	form := widget.NewForm(
		s.rows.add("username", s.username).formItem(),
		s.rows.add("full_name", s.fullName).formItem(),
		s.rows.add("password", s.password).formItem(),
		s.rows.add("user_role", s.role).formItem(),
	)
	s.reload()
	return container.NewVBox(
		s.list,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(i18n.T("safety.users.add_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form,
		container.NewHBox(s.addB),
	)
}

// reload reads the accounts and rebuilds the list.
func (s *usersSection) reload() {
	var users []store.User
	s.a.Background(func() (err error) {
		users, err = s.a.St.Users(s.a.ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
			return
		}
		s.users = users
		s.list.Objects = nil
		for _, u := range users {
			s.list.Add(s.userRow(u))
		}
		s.list.Refresh()
	})
}

func (s *usersSection) userRow(u store.User) fyne.CanvasObject {
	text := i18n.T("safety.users.row", i18n.Args{"Name": u.FullName, "User": u.Username, "Role": i18n.T("safety.role." + string(u.Role))})
	if u.Disabled {
		text += " — " + i18n.T("safety.users.disabled")
	}
	label := widget.NewLabel(text)
	reset := widget.NewButtonWithIcon(i18n.T("safety.users.reset"), theme.ViewRefreshIcon(), func() { s.askReset(u) })
	toggleKey := "safety.users.disable"
	if u.Disabled {
		toggleKey = "safety.users.enable"
	}
	toggle := widget.NewButton(i18n.T(toggleKey), func() { s.setDisabled(u, !u.Disabled) })
	history := widget.NewButtonWithIcon("", theme.HistoryIcon(), func() { showHistory(s.a, "user", u.ID) })
	return container.NewHBox(label, layout.NewSpacer(), history, reset, toggle)
}

func (s *usersSection) onAdd() {
	nu := store.NewUser{Username: s.username.Text, FullName: s.fullName.Text, Password: s.password.Text}
	role := store.RoleOfficer
	if s.role.SelectedIndex() == 1 {
		role = store.RoleHead
	}
	s.rows.clear()
	s.addB.Disable()
	s.a.Background(func() error {
		_, err := s.a.St.AddUser(s.a.ctx, s.a.Actor, nu, role)
		return err
	}, func(err error) {
		s.addB.Enable()
		if err != nil {
			if rest, handled := s.rows.show(err); !handled || len(rest) > 0 {
				s.a.ShowError(err)
			}
			return
		}
		s.username.SetText("")
		s.fullName.SetText("")
		s.password.SetText("")
		s.reload()
	})
}

// askReset asks the head for the new password in a dialog.
func (s *usersSection) askReset(u store.User) {
	pw := newSecretEntry()
	row := newFieldRow("password", pw)
	d := dialog.NewForm(i18n.T("safety.users.reset_title", i18n.Args{"User": u.Username}), i18n.T("common.save"), i18n.T("common.cancel"),
		[]*widget.FormItem{row.formItem()}, func(ok bool) {
			if ok {
				s.resetPassword(u, pw.Text, nil)
			}
		}, s.a.Win)
	d.Resize(fyne.NewSize(460, 200))
	s.a.show(d)
}

// resetPassword sets u's password and tells the head; done (for tests) is
// called with the result on the UI goroutine.
func (s *usersSection) resetPassword(u store.User, pw string, done func(error)) {
	s.a.Background(func() error {
		return s.a.St.ResetPassword(s.a.ctx, s.a.Actor, u.ID, pw)
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
		} else {
			s.a.inform(i18n.T("safety.users.title"), i18n.T("safety.users.reset_done", i18n.Args{"User": u.Username}))
		}
		if done != nil {
			done(err)
		}
	})
}

func (s *usersSection) setDisabled(u store.User, disabled bool) {
	s.a.Background(func() error {
		return s.a.St.SetUserDisabled(s.a.ctx, s.a.Actor, u.ID, disabled)
	}, func(err error) {
		if err != nil {
			s.a.ShowError(err)
		}
		s.reload()
	})
}
