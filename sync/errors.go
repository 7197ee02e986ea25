package sync

import (
	"danvan/store/vn"
	"errors"
	"fmt"
)

// Problem says what kind of thing is wrong with a file. Each has a message
// in the translation files under "err.batch.<problem>", so a person reads a
// sentence and a program can branch on the kind with errors.Is.
type Problem string

// The problems a batch, enrollment or receipt file can have.
const (
	ProblemMalformed     Problem = "malformed"           // not a zip, truncated, unreadable
	ProblemVersion       Problem = "version"             // unknown format version
	ProblemMissing       Problem = "missing_member"      // a required member is absent
	ProblemExtra         Problem = "extra_member"        // a member the format does not have
	ProblemDuplicate     Problem = "duplicate"           // the same member twice
	ProblemUnsafeName    Problem = "unsafe_name"         // absolute path, "..", backslash
	ProblemTooLarge      Problem = "too_large"           // a member or the whole file over its limit
	ProblemEncoding      Problem = "encoding"            // invalid UTF-8
	ProblemNotNFC        Problem = "not_nfc"             // text not in Unicode NFC
	ProblemUnknownField  Problem = "unknown_field"       // a JSON field the format does not have
	ProblemBadField      Problem = "bad_field"           // a field with a wrong type or value
	ProblemNotCanonical  Problem = "not_canonical"       // bytes differ from the one encoding the format allows
	ProblemForeign       Problem = "foreign_record"      // a record owned by another office
	ProblemBadSignature  Problem = "bad_signature"       // the signature does not verify
	ProblemWrongKey      Problem = "wrong_key"           // signed by a key not enrolled for that office
	ProblemBadHash       Problem = "bad_hash"            // a member does not match the manifest
	ProblemUnknownOffice Problem = "unknown_office"      // the sending office is not enrolled here
	ProblemWrongOffice   Problem = "wrong_office"        // a receipt or rotation meant for another office
	ProblemBadKey        Problem = "bad_key"             // a key file or passphrase that does not work
	ProblemOtherKind     Problem = "other_kind"          // an enrollment file or receipt given as a batch
	ProblemNeedKey       Problem = "need_key"            // an encrypted batch, and the key that opens it is locked
	ProblemNotForUs      Problem = "not_for_us"          // encrypted to another office's key
	ProblemUndecryptable Problem = "undecryptable"       // an encrypted file that is damaged or cut short
	ProblemPlaintext     Problem = "plaintext"           // in clear, where the batch must be encrypted
	ProblemNothingNew    Problem = "nothing_new"         // an export with no change since the last batch
	ProblemAddressed     Problem = "addressed_elsewhere" // a danvan-batch/3 addressed to another office
)

// Error is what the readers return: the problem, the file, the member and
// the cause. It wraps its cause and implements domain.Coded so that
// i18n.Err can say it in the user's language.
type Error struct {
	Problem Problem
	File    string         // the file's base name, when known
	Member  string         // the member inside the zip, when it matters
	Detail  string         // what exactly was wrong, for logs and --verbose
	Args    map[string]any // extra values for the message
	Err     error          // the cause, if any
}

func (e *Error) Error() string {
	msg := "sync: " + string(e.Problem)
	if e.File != "" {
		msg += ": " + vn.Printable(e.File)
	}
	if e.Member != "" {
		msg += fmt.Sprintf(": member %q", e.Member)
	}
	if e.Detail != "" {
		msg += ": " + vn.Printable(e.Detail)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, sync.ErrBadSignature) match any *Error of that kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Problem == e.Problem && t.File == "" && t.Member == "" && t.Detail == "" && t.Err == nil
}

// MessageCode implements domain.Coded.
func (e *Error) MessageCode() (string, map[string]any) {
	// Every string here may come from the file itself (a member's name, a
	// version, an office code), before any signature is checked: escaped,
	// so that it cannot drive the terminal or the note it is printed in.
	args := map[string]any{"File": vn.Printable(e.File), "Member": vn.Printable(e.Member), "Detail": vn.Printable(e.Detail)}
	for k, v := range e.Args {
		if s, ok := v.(string); ok {
			v = vn.Printable(s)
		}
		args[k] = v
	}
	return "batch." + string(e.Problem), args
}

// Sentinels for errors.Is.
var (
	ErrMalformed     = &Error{Problem: ProblemMalformed}
	ErrVersion       = &Error{Problem: ProblemVersion}
	ErrMissing       = &Error{Problem: ProblemMissing}
	ErrExtra         = &Error{Problem: ProblemExtra}
	ErrDuplicate     = &Error{Problem: ProblemDuplicate}
	ErrUnsafeName    = &Error{Problem: ProblemUnsafeName}
	ErrTooLarge      = &Error{Problem: ProblemTooLarge}
	ErrEncoding      = &Error{Problem: ProblemEncoding}
	ErrNotNFC        = &Error{Problem: ProblemNotNFC}
	ErrUnknownField  = &Error{Problem: ProblemUnknownField}
	ErrBadField      = &Error{Problem: ProblemBadField}
	ErrNotCanonical  = &Error{Problem: ProblemNotCanonical}
	ErrForeign       = &Error{Problem: ProblemForeign}
	ErrBadSignature  = &Error{Problem: ProblemBadSignature}
	ErrWrongKey      = &Error{Problem: ProblemWrongKey}
	ErrBadHash       = &Error{Problem: ProblemBadHash}
	ErrUnknownOffice = &Error{Problem: ProblemUnknownOffice}
	ErrWrongOffice   = &Error{Problem: ProblemWrongOffice}
	ErrBadKey        = &Error{Problem: ProblemBadKey}
	ErrOtherKind     = &Error{Problem: ProblemOtherKind}
	ErrNeedKey       = &Error{Problem: ProblemNeedKey}
	ErrNotForUs      = &Error{Problem: ProblemNotForUs}
	ErrUndecryptable = &Error{Problem: ProblemUndecryptable}
	ErrPlaintext     = &Error{Problem: ProblemPlaintext}
)

// ErrWrongPassphrase is returned when a passphrase does not open the key.
var ErrWrongPassphrase = &passphraseError{}

type passphraseError struct{}

func (*passphraseError) Error() string { return "sync: wrong passphrase" }
func (*passphraseError) MessageCode() (string, map[string]any) {
	return "batch.wrong_passphrase", nil
}

// ErrLocked is returned when signing is asked of a key that is not unlocked.
var ErrLocked = &lockedError{}

type lockedError struct{}

func (*lockedError) Error() string { return "sync: the signing key is locked" }
func (*lockedError) MessageCode() (string, map[string]any) {
	return "batch.key_locked", nil
}

// ProblemOf returns the problem of err, or "" when err is not an *Error.
func ProblemOf(err error) Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problem
	}
	return ""
}

// fail builds an *Error; the reader uses it everywhere so the shapes stay alike.
func fail(p Problem, member, detail string, cause error) *Error {
	return &Error{Problem: p, Member: member, Detail: detail, Err: cause}
}
