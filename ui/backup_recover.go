package ui

import (
	"context"
	"errors"
	"path/filepath"

	"danvan/internal/i18n"
	"danvan/store"
	"danvan/store/vn"
)

// offerRecovery is for start-up when store.Open said ErrDamaged: it looks
// for the newest snapshot that passes the integrity check and, if there is
// one, asks whether to put it in place of the damaged file (which is kept
// aside, never deleted). After a recovery it calls reopen, which should
// open the store again and carry on. With no good snapshot it does nothing,
// and the fatal view already on screen stays.
func offerRecovery(a *App, dataDir string, reopen func()) {
	var sn store.SnapshotInfo
	ctx := context.Background()
	a.Background(func() (err error) {
		sn, err = store.NewestGoodSnapshot(ctx, dataDir)
		return err
	}, func(err error) {
		if errors.Is(err, store.ErrNotFound) {
			return
		}
		if err != nil {
			a.ShowError(err)
			return
		}
		a.confirm(i18n.T("safety.recover.title"), i18n.T("safety.recover.ask", i18n.Args{"At": vn.FormatDateTime(sn.Time)}),
			func(ok bool) {
				if !ok {
					return
				}
				var aside string
				a.Background(func() (err error) {
					aside, err = store.RecoverFromSnapshot(ctx, dataDir, sn.Path)
					return err
				}, func(err error) {
					if err != nil {
						a.ShowError(err)
						return
					}
					a.inform(i18n.T("safety.recover.title"),
						i18n.T("safety.recover.done", i18n.Args{"File": filepath.Base(aside)}))
					reopen()
				})
			})
	})
}
