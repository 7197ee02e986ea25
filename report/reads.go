package report

import (
	"context"
	"danvan/internal/domain"
	stdsync "sync"

	"danvan/store"
)

// sharedReads holds what several reports of one run read alike, so that it
// is read once: the summary and the list both read all of the office's
// models, 1.000 of them for a large commune.
type sharedReads struct {
	once   stdsync.Once
	models []domain.Model
	err    error
}

// officeModels returns the live models of the office the document is for,
// with the fields reports print (store.ModelsForPrint). Within one WriteAll
// the first report to ask reads them and the others wait for that read;
// the slice is shared, so callers only read it.
func officeModels(ctx context.Context, st *store.Store, m Meta) ([]domain.Model, error) {
	read := func() ([]domain.Model, error) { return st.ModelsForPrint(ctx, m.Office.ID) }
	r := m.reads
	if r == nil {
		return read()
	}
	r.once.Do(func() { r.models, r.err = read() })
	return r.models, r.err
}
