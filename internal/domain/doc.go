// Package domain is what danvan knows of its work, without SQL: the record
// kinds (a model and its life cycle, a period, a tally row of Biểu 06, an
// office and its settings), the reading of their values from text, their
// rules, the status moves and what each needs, period arithmetic in both
// directions with one grammar of period codes, and carry-over.
//
// Each kind is declared once: ModelFields says every field of a model, and
// the store's statements, a batch's record, the interchange file and the
// window's form are derived from it. The store (package store) is the
// SQLite implementation of this package; the window, the command line, the
// reports and the batch format use both. It imports nothing of this module
// but store/vn (internal/layers holds this).
package domain
