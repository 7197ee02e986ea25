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
	// A collecting office whose key predates encryption gets its
	// encryption identity here; the keys section then offers its new
	// enrollment file.
	sg, _, err := dsync.OpenKey(a.Ctx(), a.St, a.Actor, pass)
	if err != nil {
		return nil, err
	}
	sess.Keep(sg)
	return sg, nil
}

// unlockedSigner is the key when it is open or pass opens it, and nil
// (no error) when it is locked and pass is empty; off the UI goroutine.
func (a *App) unlockedSigner(pass string) (*dsync.Signer, error) {
	if !a.signing().Unlocked() && pass == "" {
		return nil, nil
	}
	return a.withSigner(pass)
}
