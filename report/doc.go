// Package report prints what the offices record: official documents in the
// layout of Nghị định 30/2020/NĐ-CP (PDF, through go-pdf/fpdf with the
// embedded Tinos fonts) and the same tables as XLSX and CSV.
//
// Reports are built in two steps. A builder (models.go, tally.go,
// summary.go, …) turns store data into a Document: paragraphs, Tables and a
// signature, all plain values. A writer (pdf*.go, xlsx.go, csv.go) turns a
// Document or a Table into a file, atomically. The collecting office's
// reports reuse both steps with their own builders.
//
// The fixed phrases of official documents live in assets/print/vi.json:
// documents are always printed in Vietnamese, whatever the interface
// language. report never imports Fyne, ui or sync, and holds no SQL.
package report
