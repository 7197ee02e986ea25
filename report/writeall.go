package report

import (
	"context"
	"runtime"
	"sync"

	"danvan/store"
)

// Job is one report to build and the file to write it to.
type Job struct {
	Request Request
	Format  Format
	Path    string
}

// WriteAll builds and writes every job, as many at a time as there are
// processors: most of a report's time is laying out and compressing pages,
// which needs no store, so two documents on two cores take about as long
// as the larger one. Each file is written atomically and on its own, so a
// job that fails leaves no file, and the others are still written. No file
// is moved into place before st.Checked has passed: on a store from
// store.OpenDeferred the integrity check runs while the reports are laid
// out, and nothing made from a damaged file is left behind. The result has
// one entry per job, nil for a file written.
func WriteAll(ctx context.Context, st *store.Store, jobs []Job) []error {
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			doc, err := Build(ctx, st, j.Request)
			if err == nil {
				err = doc.writeFile(j.Path, j.Format, func() error { return st.Checked(ctx) })
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errs
}
