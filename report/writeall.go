package report

import (
	"context"
	"runtime"
	stdsync "sync"

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
// as the larger one. What several reports read alike (the office's
// models) is read once for all of them. Each file is written atomically
// and on its own, so a job that fails leaves no file, and the others are
// still written. The result has one entry per job, nil for a file written.
//
// No file is moved into place before st.Checked has passed. On a store from
// store.OpenDeferred that is the open's integrity check, and it runs here
// as one more job, queued after the reports: it takes the first processor
// free, beside the reports rather than before them, and a report that
// finishes first waits for it. Nothing made from a damaged file is left
// behind.
func WriteAll(ctx context.Context, st *store.Store, jobs []Job) []error {
	errs := make([]error, len(jobs))
	// Slots are taken in the order of the jobs, so that the check, last,
	// never holds back a report.
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg stdsync.WaitGroup
	reads := &sharedReads{}
	for i, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			doc, err := build(ctx, st, j.Request, reads)
			if err == nil {
				err = doc.writeFile(j.Path, j.Format, func() error { return st.Checked(ctx) })
			}
			errs[i] = err
		}()
	}
	sem <- struct{}{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { <-sem }()
		st.Checked(ctx) // the result is each job's, through its gate
	}()
	wg.Wait()
	return errs
}
