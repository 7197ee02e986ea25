package store

import (
	"errors"
)

// The store's error kinds. The UI and CLI map them to messages in the user's
// language with errors.Is / errors.As; they never parse error strings.
var (
	ErrNotFound     = errors.New("store: not found")
	ErrConflict     = errors.New("store: conflict")
	ErrForbidden    = errors.New("store: not allowed for this role")
	ErrNotSetUp     = errors.New("store: the office is not set up yet")
	ErrAlreadySetUp = errors.New("store: the office is already set up")
	ErrLocked       = errors.New("store: the data folder is already open in another danvan")
	ErrDamaged      = errors.New("store: the database file is damaged")
	ErrReadOnly     = errors.New("store: the data folder cannot be written")
	ErrTooNew       = errors.New("store: the database was written by a newer danvan")
)
