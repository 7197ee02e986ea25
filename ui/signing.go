package ui

import (
	gosync "sync"

	dsync "danvan/sync"
)

// The signing key, once opened with its passphrase, stays open for the
// window's life or until someone presses the lock button. One per App, so
// that the exchange screen and the settings section share it.
var (
	sessionsMu gosync.Mutex
	sessions   = map[*App]*dsync.Session{}
)

func (a *App) signing() *dsync.Session {
	sessionsMu.Lock()
	defer sessionsMu.Unlock()
	s := sessions[a]
	if s == nil {
		s = &dsync.Session{}
		sessions[a] = s
	}
	return s
}

// unlockAndSign opens the key with pass when it is locked, then runs work
// with the signer; off the UI goroutine.
func (a *App) withSigner(pass string) (*dsync.Signer, error) {
	sess := a.signing()
	if sg, err := sess.Signer(); err == nil {
		return sg, nil
	}
	km, err := a.St.SelfKey(a.Ctx())
	if err != nil {
		return nil, err
	}
	if err := sess.Unlock(km, pass); err != nil {
		return nil, err
	}
	return sess.Signer()
}
