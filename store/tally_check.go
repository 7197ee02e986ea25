package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"sort"
	"time"
)

// CheckFinding is one failing rule of one stored tally row.
type CheckFinding struct {
	OfficeID   string
	OfficeCode string
	Period     string // the period's code, e.g. 2024-M04
	PeriodEnd  time.Time
	FieldName  string
	Position   int
	Final      bool // a final row failing is an error; a draft's is a warning
	Problem    domain.Problem
}

// CheckReport is what Check found over every stored tally.
type CheckReport struct {
	Rows     int // live tally rows checked
	Drafts   int // of which drafts
	Findings []CheckFinding
}

// FinalFailures counts findings on final rows: what makes `danvan check`
// exit 1.
func (r CheckReport) FinalFailures() int {
	n := 0
	for _, f := range r.Findings {
		if f.Final {
			n++
		}
	}
	return n
}

const checkPeriodCols = `id, owner_office_id, kind, code, start_date, end_date`

type checkPeriod struct {
	id, office, code string
	kind             domain.PeriodKind
	start, end       string
}

// Check runs every tally rule over all stored data, every office's: the
// identities of each row and the continuity of (6) with the previous
// period's (11). Final rows must also be complete. Findings are ordered by
// office, period and field.
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	var rep CheckReport
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		codes, err := officeCodes(ctx, tx)
		if err != nil {
			return err
		}
		fields, err := rollupFields(ctx, tx)
		if err != nil {
			return err
		}
		periods := map[string]checkPeriod{}
		// byEnd finds a period's predecessor: office and end day.
		byEnd := map[[2]string][]checkPeriod{}
		list, err := readCheckPeriods(tx.QueryContext(ctx, `SELECT `+checkPeriodCols+` FROM periods WHERE deleted_at = ''`))
		if err != nil {
			return err
		}
		for _, p := range list {
			periods[p.id] = p
			byEnd[[2]string{p.office, p.end}] = append(byEnd[[2]string{p.office, p.end}], p)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+tallyCols+` FROM tallies WHERE deleted_at = ''`)
		if err != nil {
			return err
		}
		all := map[[2]string]Tally{} // period, field
		for rows.Next() {
			t, err := scanTally(rows)
			if err != nil {
				rows.Close()
				return err
			}
			all[[2]string{t.PeriodID, t.FieldID}] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range all {
			p := periods[t.PeriodID]
			rep.Rows++
			if !t.Final {
				rep.Drafts++
			}
			var prev *int64
			if pp, ok := predecessor(p, byEnd); ok {
				if pt, ok := all[[2]string{pp.id, t.FieldID}]; ok {
					prev = pt.Counts.CarriedOut()
				}
			}
			rep.Findings = append(rep.Findings, rowFindings(t, p, prev, fields, codes)...)
		}
		return nil
	})
	sortFindings(rep.Findings)
	return rep, err
}

// officeCodes maps every office's id to its code.
func officeCodes(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, code FROM offices`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	codes := map[string]string{}
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		codes[id] = code
	}
	return codes, rows.Err()
}

// rowFindings runs the rules over one row of period p.
func rowFindings(t Tally, p checkPeriod, prev *int64, fields map[string]TallyField, codes map[string]string) []CheckFinding {
	var out []CheckFinding
	f := fields[t.FieldID]
	end, _ := time.Parse(domain.DateLayout, p.end)
	for _, pr := range t.Counts.Problems(prev, t.Final) {
		out = append(out, CheckFinding{OfficeID: t.OfficeID, OfficeCode: codes[t.OfficeID], Period: p.code, PeriodEnd: end,
			FieldName: f.Name, Position: f.Position, Final: t.Final, Problem: pr})
	}
	return out
}

func sortFindings(fs []CheckFinding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.OfficeCode != b.OfficeCode:
			return a.OfficeCode < b.OfficeCode
		case !a.PeriodEnd.Equal(b.PeriodEnd):
			return a.PeriodEnd.Before(b.PeriodEnd)
		case a.Period != b.Period:
			return a.Period < b.Period
		case a.Position != b.Position:
			return a.Position < b.Position
		}
		return a.Problem.Column < b.Problem.Column
	})
}

// predecessor is the same choice previousInProgress makes: the period of
// the office ending the day before p starts, of p's kind if possible.
func predecessor(p checkPeriod, byEnd map[[2]string][]checkPeriod) (checkPeriod, bool) {
	start, err := time.Parse(domain.DateLayout, p.start)
	if err != nil {
		return checkPeriod{}, false
	}
	var best checkPeriod
	rank := len(domain.PeriodKinds) + 1
	for _, c := range byEnd[[2]string{p.office, start.AddDate(0, 0, -1).Format(domain.DateLayout)}] {
		r := kindRank(c.kind)
		if c.kind == p.kind {
			r = -1
		}
		if r < rank {
			best, rank = c, r
		}
	}
	return best, rank <= len(domain.PeriodKinds)
}
