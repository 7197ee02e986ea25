// Package sync is the signed batch format of docs/batch-format.md and
// everything around it: the office's signing key (minisign, Ed25519, the
// secret only ever stored encrypted), enrollment files, key rotation,
// writing a batch, reading and verifying one strictly, importing it into the
// store, and the receipts the collecting office sends back.
//
// Parsing of outside input lives here and nowhere else; it is strict: an
// unknown version, an extra member, a field we do not know or a byte that
// does not belong is an error, never a guess. The bytes verified are the
// bytes on disk.
//
// sync imports store and store/vn. It never imports Fyne, ui or report, and
// it holds no SQL: what it needs from the database it asks the store for.
package sync
