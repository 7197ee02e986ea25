package report

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"time"

	"danvan/store"
)

// Kind names a report the program prints.
type Kind string

const (
	KindModels       Kind = "models"       // Danh sách mô hình, điển hình
	KindTally        Kind = "tally"        // Biểu 06
	KindSummary      Kind = "summary"      // Báo cáo kết quả
	KindCompleteness Kind = "completeness" // the collecting office's completeness
	KindEnrollment   Kind = "enrollment"   // the enrollment page with the key's fingerprint
	// The collecting office's roll-ups over its units (rollup models,
	// rollup tallies on the command line), by unit or by field.
	KindRollupTally  Kind = "rollup-tally"
	KindRollupModels Kind = "rollup-models"
	// KindUnreported lists the units that have not reported one period,
	// to remind them (issue 28).
	KindUnreported Kind = "unreported"
)

// Kinds lists the reports in the order the interface offers them.
var Kinds = []Kind{KindSummary, KindTally, KindModels, KindRollupTally, KindRollupModels, KindCompleteness, KindUnreported, KindEnrollment}

// ForCollector says whether a report is the collecting office's: its
// figures are its units', not its own.
func ForCollector(k Kind) bool {
	return k == KindRollupTally || k == KindRollupModels || k == KindCompleteness || k == KindUnreported
}

// Request is what a person asks for: a report, its period or year, the
// baseline year to compare with, the document's number and date.
type Request struct {
	Kind     Kind
	Period   string    // CLI syntax (2024-Y, 2024-Q2, 2023-04-15..2024-04-14); a year for the models list
	Baseline int       // the summary's comparison year; 0 for none
	Number   int       // the document's number; 0 leaves it blank
	Date     time.Time // the document's date; zero means today
	By       By        // a roll-up's rows: by unit (the default) or by field
	// Personal is how much of the responsible persons' personal data a
	// list prints (the models list: names and titles, or none); "" prints
	// what the office keeps. Callers pass the office's choice
	// (domain.Settings.ListPersonal) or the person's for this export.
	Personal domain.Personal
}

// builder gathers one report's data through store methods and builds it.
type builder func(ctx context.Context, st *store.Store, m Meta, req Request) (*Document, error)

// builders are registered by the files that know where each report's data
// lives (build_*.go), so that this file does not depend on them.
var builders = map[Kind]builder{}

func register(k Kind, b builder) { builders[k] = b }

// Available reports whether the program can build reports of kind k.
func Available(k Kind) bool { _, ok := builders[k]; return ok }

// KindError is a report the program does not know or cannot build here.
type KindError struct{ Kind Kind }

func (e *KindError) Error() string { return fmt.Sprintf("report: unknown report %q", e.Kind) }

// MessageCode implements domain.Coded.
func (e *KindError) MessageCode() (string, map[string]any) {
	return "report_kind", map[string]any{"Kind": string(e.Kind)}
}

// ParseKind reads a report's name as the CLI writes it.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", &KindError{Kind: Kind(s)}
}

// Build gathers the data of req through the store and builds the document.
// The header, signature and recipients come from the office and Cài đặt.
func Build(ctx context.Context, st *store.Store, req Request) (*Document, error) {
	return build(ctx, st, req, nil)
}

// build is Build sharing reads with the other reports of a WriteAll.
func build(ctx context.Context, st *store.Store, req Request, reads *sharedReads) (*Document, error) {
	return buildWith(ctx, st, req, func(m *Meta) { m.reads = reads })
}

// buildWith builds req after tune has adjusted its Meta.
func buildWith(ctx context.Context, st *store.Store, req Request, tune func(*Meta)) (*Document, error) {
	if _, err := ParseKind(string(req.Kind)); err != nil {
		return nil, err
	}
	b, ok := builders[req.Kind]
	if !ok {
		return nil, &UnavailableError{Kind: req.Kind}
	}
	m, err := NewMeta(ctx, st, req)
	if err != nil {
		return nil, err
	}
	tune(&m)
	return b(ctx, st, m, req)
}

// NewMeta reads what every document of this office shares (the office,
// Cài đặt, the covering batch) for req's number and date.
func NewMeta(ctx context.Context, st *store.Store, req Request) (Meta, error) {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return Meta{}, err
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return Meta{}, err
	}
	m := Meta{Office: self, Settings: set, Date: req.Date, Number: req.Number}
	if m.Date.IsZero() {
		m.Date = st.Now()
	}
	covering, err := coveringBatch(ctx, st)
	if err != nil {
		return Meta{}, err
	}
	m.BatchHash, m.BatchFile = covering.SHA256, covering.FileSHA256
	return m, nil
}

// PeriodRequiredError is a report that needs a period and got none.
type PeriodRequiredError struct{ Kind Kind }

func (e *PeriodRequiredError) Error() string {
	return fmt.Sprintf("report: the %s report needs a period", e.Kind)
}

// MessageCode implements domain.Coded.
func (e *PeriodRequiredError) MessageCode() (string, map[string]any) {
	return "report_period_required", nil
}

// UnavailableError is a known report whose data this build cannot read yet.
type UnavailableError struct{ Kind Kind }

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("report: the %s report is not available in this build", e.Kind)
}

// MessageCode implements domain.Coded.
func (e *UnavailableError) MessageCode() (string, map[string]any) {
	return "report_unavailable", map[string]any{"Kind": string(e.Kind)}
}

// coveringBatch is the latest signed batch when it covers everything this
// office holds, that is when nothing changed since; then a paper copy can
// be matched to that file. Otherwise none, and the report prints the hash
// of its own figures.
func coveringBatch(ctx context.Context, st *store.Store) (store.SentBatch, error) {
	sent, err := st.SentBatches(ctx)
	if err != nil || len(sent) == 0 {
		return store.SentBatch{}, err
	}
	unsent, err := st.UnsentChanges(ctx)
	if err != nil || unsent > 0 {
		return store.SentBatch{}, err
	}
	return sent[len(sent)-1], nil
}
