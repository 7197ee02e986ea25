// Package sheet reads and writes the interchange tables that officers fill
// in Excel: CSV (UTF-8, with or without a BOM, "," or ";") and XLSX (the
// first sheet). It knows nothing of models or tallies; callers map the
// header cells to their own fields.
//
// It imports store/vn only (its errors carry message codes the way
// domain.Coded asks, without importing store), and
// never imports Fyne.
package sheet
