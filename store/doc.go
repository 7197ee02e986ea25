// Package store is the one owner of the SQLite database: the SQLite
// implementation of the domain (internal/domain: the record kinds, their
// rules and declarations), the migrations and every SQL statement of the
// program, the batches' records and their checks on import, users and
// roles, backups.
//
// Every exported method takes a context first. A method that changes data
// also takes the acting user (Actor), checks the actor's role here, not in
// the UI, and runs in one transaction (tx) with its audit row: all of it is
// stored or none. A read that must see one state across several statements
// (a period's form, a roll-up's sums, an export plan, the unsent count)
// runs in a read transaction (readTx); a read of one statement needs none,
// since SQLite gives each statement one snapshot. A few reads put together
// parts that change rarely and alone (the offices enrolled, a hash looked up
// among sent and received batches) without one. The package never imports
// Fyne, ui, sync, report or the text package; those import it
// (internal/layers holds this).
package store
