package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"time"

	"danvan/internal/i18n"
	reports "danvan/report"
	"danvan/store"
	"danvan/store/vn"
)

func init() {
	// Printing only reads: the store's integrity check runs while the
	// reports are laid out, and report.WriteAll moves no file into place
	// before it has passed.
	Register(Command{Group: "report", HelpKey: "report.cli.cmd", Store: true, Reads: true, ReadOnly: true, Run: runReport})
}

// report KIND... [--period P] [--baseline Y] [--number N]
// [--date dd/mm/yyyy] --format pdf|xlsx|csv --out FILE|FOLDER: builds each
// report from the stored data and writes it atomically; prints each path
// written. With one report --out is the file (or, when it is a folder, the
// folder it goes into under its suggested name); with several it is a
// folder, made if missing, and each report takes its suggested name. The
// store is opened once for all of them and they are written side by side.
func runReport(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("report")
	period := fs.String("period", "", "")
	baseline := fs.Int("baseline", 0, "")
	number := fs.Int("number", 0, "")
	date := fs.String("date", "", "")
	format := fs.String("format", "pdf", "")
	out := fs.String("out", "", "")
	personalFlag := fs.String("personal", "", "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usage("report.cli.usage", nil)
	}
	var kinds []reports.Kind
	for _, s := range pos {
		k, err := reports.ParseKind(s)
		if err != nil {
			return usage("err.report_kind", i18n.Args{"Kind": s})
		}
		// Naming a report twice asks for one file, not two writers racing
		// for the same name.
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if err := Require(map[string]string{"out": *out}); err != nil {
		return err
	}
	f, err := reports.ParseFormat(*format)
	if err != nil {
		return usage("report.cli.bad_format", i18n.Args{"Given": *format})
	}
	if *baseline < 0 || *number < 0 {
		return usage("report.cli.bad_number", nil)
	}
	personal, err := listPersonal(ctx, st, *personalFlag)
	if err != nil {
		return err
	}
	req := reports.Request{Period: *period, Baseline: *baseline, Number: *number, Personal: personal}
	if *date != "" {
		d, err := vn.ParseDate(*date)
		if err != nil {
			return usage("report.cli.bad_date", i18n.Args{"Given": *date})
		}
		req.Date = d
	} else {
		req.Date = time.Now()
	}
	several := len(pos) > 1
	jobs, err := reportJobs(kinds, several, req, f, *out)
	if err != nil {
		return err
	}
	defer collectLate()()
	errs := reports.WriteAll(ctx, st, jobs)
	if !several {
		if err := errs[0]; err != nil {
			return reportUsage(err)
		}
		e.Printf("report.cli.done", i18n.Args{"File": jobs[0].Path})
		return nil
	}
	var failed []string
	allUsage := true
	for i, j := range jobs {
		if errs[i] == nil {
			e.Printf("report.cli.done", i18n.Args{"File": j.Path})
			continue
		}
		failed = append(failed, string(j.Request.Kind))
		msg := i18n.Err(errs[i])
		var ue *UsageError
		if errors.As(reportUsage(errs[i]), &ue) {
			msg = i18n.T(ue.Key, ue.Args)
		} else {
			allUsage = false
		}
		e.Warnf("report.cli.failed", i18n.Args{"Kind": string(j.Request.Kind), "Detail": msg})
	}
	if len(failed) == 0 {
		return nil
	}
	if allUsage {
		key := "report.cli.some_failed"
		if len(failed) == len(jobs) {
			key = "report.cli.all_failed"
		}
		return usage(key, i18n.Args{"Failed": len(failed), "Total": len(jobs)})
	}
	return &someFailedError{Failed: len(failed), Total: len(jobs)}
}

// reportUsage turns a report that needs a period and got none into the
// usage message: it is the command line that lacks --period.
func reportUsage(err error) error {
	var noPeriod *reports.PeriodRequiredError
	if errors.As(err, &noPeriod) {
		return usage("report.cli.period_required", nil)
	}
	return err
}

// reportJobs decides where each report goes. One report keeps the old
// meaning of --out, a file, unless --out is a folder that exists. Several
// names (even one named twice) need a folder; an existing file there is
// refused before anything is built, rather than guessed at.
func reportJobs(kinds []reports.Kind, several bool, req reports.Request, f reports.Format, out string) ([]reports.Job, error) {
	fi, statErr := os.Stat(out)
	isDir := statErr == nil && fi.IsDir()
	if !several && !isDir {
		req.Kind = kinds[0]
		return []reports.Job{{Request: req, Format: f, Path: out}}, nil
	}
	if statErr == nil && !isDir {
		return nil, usage("report.cli.out_not_folder", i18n.Args{"Path": out})
	}
	if !isDir {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, &folderError{Path: out, Err: err}
		}
	}
	jobs := make([]reports.Job, len(kinds))
	for i, k := range kinds {
		r := req
		r.Kind = k
		jobs[i] = reports.Job{Request: r, Format: f, Path: filepath.Join(out, reports.FileName(r, f))}
	}
	return jobs, nil
}

// someFailedError closes a run in which some reports were not written;
// which ones and why is already on stderr, one line each.
type someFailedError struct{ Failed, Total int }

func (e *someFailedError) Error() string {
	return fmt.Sprintf("report: %d of %d reports not written", e.Failed, e.Total)
}

// MessageCode implements domain.Coded.
func (e *someFailedError) MessageCode() (string, map[string]any) {
	if e.Failed == e.Total {
		return "report_all_failed", nil
	}
	return "report_some_failed", map[string]any{"Failed": e.Failed, "Total": e.Total}
}

// folderError is an --out folder that could not be made.
type folderError struct {
	Path string
	Err  error
}

func (e *folderError) Error() string { return fmt.Sprintf("report: make folder %s: %v", e.Path, e.Err) }
func (e *folderError) Unwrap() error { return e.Err }

// MessageCode implements domain.Coded.
func (e *folderError) MessageCode() (string, map[string]any) {
	return "report_folder", map[string]any{"Path": e.Path, "Detail": e.Err.Error()}
}

// reportMemoryLimit is the heap at which collectLate lets the collector run
// again: well above what the 1.000-model list needs (110 MB resident),
// well below what an office computer has.
const reportMemoryLimit = 256 << 20

// collectLate holds the garbage collector back until the heap reaches
// reportMemoryLimit, for the rest of a report run, and returns what puts
// the settings back. Most of a report's garbage is fpdf's zlib writers, one
// for every page and embedded font, about 1 MB each of which the fast
// level uses a fifth. With the collector on, that memory is reused and so
// cleared in full for every page, and collection competes with the writers
// for the cores; with it held back, each writer gets fresh pages from the
// system and the pages it never touches cost nothing. On the 1.000-model
// folder this took the run of summary and list from 0,23 s to 0,18 s
// (docs/performance.md). A GOGC or GOMEMLIMIT set by whoever runs the
// command wins.
func collectLate() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(reportMemoryLimit)
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
