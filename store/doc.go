// Package store is the one owner of the SQLite database: the domain types
// (Office, Settings, Model, Tally, Period, …), their validation rules, the
// migrations and every SQL statement of the program.
//
// Every exported method takes a context first and runs in one transaction.
// Methods that change data also take the acting user (Actor) and check the
// actor's role here, not in the UI. The package never imports Fyne, ui, sync
// or report; those import it.
package store
