// Package modelsfile moves Dân vận khéo models between the store and the
// interchange files officers fill in Excel (CLI.md "Models"). The column
// mapping and the rules are the store's; the file formats are report/sheet's;
// this package only joins them, for the CLI and the window alike.
//
// It never imports Fyne.
package modelsfile

import (
	"context"
	"danvan/internal/domain"
	"strings"

	"danvan/report/sheet"
	"danvan/store"
)

// Table returns every live model f selects as an interchange table, with
// the personal data p allows: the columns it leaves out are not written at
// all, so that re-importing the file keeps what the office holds in them.
func Table(ctx context.Context, st *store.Store, f store.ModelFilter, p domain.Personal) (*sheet.Table, error) {
	f.Limit, f.Offset = 0, 0
	ms, err := st.SearchModels(ctx, f)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, h := range store.PersonalColumns(p) {
		drop[h] = true
	}
	header, types := store.ModelHeader(), store.ModelColumnTypes()
	var keep []int
	t := &sheet.Table{}
	for i, h := range header {
		if drop[h] {
			continue
		}
		keep = append(keep, i)
		t.Header = append(t.Header, h)
		t.Kinds = append(t.Kinds, kinds[types[i]])
	}
	t.Rows = make([][]string, len(ms))
	for i := range ms {
		rec := store.ModelRecord(&ms[i])
		row := make([]string, len(keep))
		for j, c := range keep {
			row[j] = rec[c]
		}
		t.Rows[i] = row
	}
	return t, nil
}

var kinds = map[store.ModelColumnType]sheet.Kind{
	store.ModelText: sheet.Text, store.ModelWhole: sheet.Integer, store.ModelYear: sheet.Year, store.ModelDate: sheet.Date,
}

// Export writes the models f selects to path (.csv or .xlsx), with the
// personal data p allows, and returns how many it wrote. The audit trail
// records the export and what personal data left with it.
func Export(ctx context.Context, st *store.Store, actor store.Actor, f store.ModelFilter, path string, p domain.Personal) (int, error) {
	if err := actor.MayExport(store.ExportModels); err != nil {
		return 0, err
	}
	if !p.Valid() {
		p = domain.PersonalNone // an unknown choice leaves everything personal out
	}
	t, err := Table(ctx, st, f, p)
	if err != nil {
		return 0, err
	}
	if err := sheet.WriteFile(path, t); err != nil {
		return 0, err
	}
	return len(t.Rows), st.RecordListExport(ctx, actor, store.ExportModels, path, len(t.Rows), p)
}

// Import reads path and imports it (see store.ImportModels). The table is
// returned too, so that the caller can write the rejected rows.
func Import(ctx context.Context, st *store.Store, actor store.Actor, path string, opts store.ModelImportOptions) (store.ModelImportResult, *sheet.Table, error) {
	t, err := sheet.ReadFile(path)
	if err != nil {
		return store.ModelImportResult{}, nil, err
	}
	res, err := st.ImportModels(ctx, actor, t.Header, t.Rows, t.Lines, opts)
	return res, t, err
}

// WriteRejects writes the rejected rows of t, unchanged, with one more
// column (titled problemHeader) giving the reasons, so that the officer can
// fix them in Excel and import the file again: the extra column is ignored
// on import.
func WriteRejects(path string, t *sheet.Table, res store.ModelImportResult, problemHeader string, reason func(store.RowProblem) string) error {
	out := &sheet.Table{Header: append(append([]string{}, t.Header...), problemHeader)}
	byLine := map[int][]string{}
	for _, p := range res.Problems {
		byLine[p.Line] = append(byLine[p.Line], reason(p))
	}
	for _, i := range res.Rejected {
		if i < 0 || i >= len(t.Rows) {
			continue
		}
		rec := make([]string, len(t.Header)+1)
		copy(rec, t.Rows[i])
		rec[len(t.Header)] = strings.Join(byLine[t.Line(i)], "; ")
		out.Rows = append(out.Rows, rec)
	}
	return sheet.WriteFile(path, out)
}
