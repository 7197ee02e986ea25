package ui

import (
	dsync "danvan/sync"
)

// signing is the signing key's session: once opened with its passphrase,
// the key stays open until someone presses the lock button or the window
// closes (dropSigner). It belongs to the App, so that the exchange screen
// and the settings section share it and nothing outlives the window.
func (a *App) signing() *dsync.Session {
	a.sessMu.Lock()
	defer a.sessMu.Unlock()
	if a.sess == nil {
		a.sess = &dsync.Session{}
	}
	return a.sess
}

// dropSigner forgets the opened key.
func (a *App) dropSigner() {
	a.sessMu.Lock()
	defer a.sessMu.Unlock()
	if a.sess != nil {
		a.sess.Lock()
		a.sess = nil
	}
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
