package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"sort"
	"time"
)

// CellState is what the collecting office holds of one unit's report.
type CellState string

const (
	CellMissing CellState = "missing" // not received
	CellDraft   CellState = "draft"   // received, not closed (chốt) by the unit
	CellClosed  CellState = "closed"  // received closed
	CellMerged  CellState = "merged"  // the unit was merged away before the period: not expected
)

// Timeliness judges a report by when its closed version arrived here
// against the due date.
type Timeliness string

const (
	OnTime Timeliness = "on_time" // the closed report arrived by the due date
	Late   Timeliness = "late"    // it arrived after, or is still missing or draft past the due date
	NotDue Timeliness = "not_due" // not closed yet, but the due date has not passed
)

// vnZone is Vietnam's time (UTC+7, no daylight saving): a report is due
// by the end of the due day there, wherever the computer's clock is set.
var vnZone = time.FixedZone("ICT", 7*3600)

// CompletenessCell is one unit × one period.
type CompletenessCell struct {
	State     CellState
	Timely    Timeliness
	Due       time.Time // the due day
	ArrivedAt time.Time // when the counted version arrived (closed if closed, else first seen); zero when missing
	PeriodID  string
}

// Mark is what a cell says, as every view of the matrix shows it (the
// printed report's Đ, M, N, —, S; the command line's marks; the window's
// words): "on_time" or "late" for a closed period, "draft", "missing",
// "merged"; overdue adds the past-due mark (*) to a draft or a missing one.
func (c CompletenessCell) Mark() (code string, overdue bool) {
	switch c.State {
	case CellMerged:
		return "merged", false
	case CellClosed:
		if c.Timely == OnTime {
			return "on_time", false
		}
		return "late", false
	case CellDraft:
		return "draft", c.Timely == Late
	}
	return "missing", c.Timely == Late
}

// CompletenessRow is one unit's row of the matrix.
type CompletenessRow struct {
	Office     domain.Office
	Via        string // the code of the office that forwards its reports here (a province); "" when it reports directly
	MergedInto string // code, when the unit was merged away
	Cells      []CompletenessCell
}

// Completeness is the matrix of enrolled units × the periods of one kind
// in one year.
type Completeness struct {
	Kind    domain.PeriodKind
	Year    int
	Periods []domain.PeriodSpec
	Rows    []CompletenessRow // by unit code
	// Over the cells whose due date has passed, merged-away ones excluded:
	Expected, Received, Closed, OnTime int
	// Arrived counts every report received, due or not yet due: the cells
	// the matrix shows as received.
	Arrived int
}

// Rate is the share of due reports received closed, 0 to 1; 0 when none
// is due yet.
func (c Completeness) Rate() float64 {
	if c.Expected == 0 {
		return 0
	}
	return float64(c.Closed) / float64(c.Expected)
}

// PeriodsOfYear lists the periods of a kind in year y, in order. A custom
// kind has none.
func PeriodsOfYear(kind domain.PeriodKind, y, cutoff int) []domain.PeriodSpec {
	var out []domain.PeriodSpec
	switch kind {
	case domain.PeriodMonth:
		for m := 1; m <= 12; m++ {
			out = append(out, domain.MonthPeriod(y, m, cutoff))
		}
	case domain.PeriodQuarter:
		for q := 1; q <= 4; q++ {
			out = append(out, domain.QuarterPeriod(y, q, cutoff))
		}
	case domain.PeriodHalf:
		out = append(out, domain.HalfPeriod(y, 1, cutoff), domain.HalfPeriod(y, 2, cutoff))
	case domain.PeriodNine:
		out = append(out, domain.NineMonthsPeriod(y, cutoff))
	case domain.PeriodYear:
		out = append(out, domain.YearPeriod(y, cutoff))
	}
	return out
}

// batchTimes is what the arrival of a record's state is read from: the
// office's batches ordered by the sender's time, with the earliest arrival
// among each batch and every later one.
type batchTimes struct {
	created  []time.Time
	earliest []time.Time
}

// arrival is when a state the sender saved at t first reached us: the
// earliest arrival of a batch the sender made at or after t.
func (b batchTimes) arrival(t time.Time) (time.Time, bool) {
	// Manifests carry whole seconds; a state saved within the second the
	// batch was made is in it.
	t = t.Truncate(time.Second)
	i := sort.Search(len(b.created), func(i int) bool { return !b.created[i].Before(t) })
	if i == len(b.created) {
		return time.Time{}, false
	}
	return b.earliest[i], true
}

// Completeness builds the matrix for every enrolled unit and the periods
// of kind in year. The state comes from the periods received in batches;
// the arrival time of a report is that of the first batch made after the
// unit saved (or closed) it, so no extra bookkeeping at import is needed.
func (s *Store) Completeness(ctx context.Context, kind domain.PeriodKind, year int) (Completeness, error) {
	c := Completeness{Kind: kind, Year: year}
	if !kind.Valid() || kind == domain.PeriodCustom || year < domain.MinPeriodYear || year > domain.MaxPeriodYear {
		return c, &CollectorError{Code: "collector.bad_matrix", Args: map[string]any{"Year": year}}
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return c, err
	}
	c.Periods = PeriodsOfYear(kind, year, set.CutoffDay)
	now := s.now()
	col := map[string]int{}
	for i, p := range c.Periods {
		col[p.Code()] = i
	}
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		// The units that report here; an office above this one (or beside
		// it) that it exchanges with is no unit of it.
		rows, err := tx.QueryContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 0 AND role <> ? ORDER BY code`, domain.RoleCollector)
		if err != nil {
			return err
		}
		idx := map[string]int{}
		codes := map[string]string{}
		for rows.Next() {
			o, err := scanOffice(rows)
			if err != nil {
				rows.Close()
				return err
			}
			idx[o.ID] = len(c.Rows)
			codes[o.ID] = o.Code
			c.Rows = append(c.Rows, CompletenessRow{Office: o, Cells: make([]CompletenessCell, len(c.Periods))})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		times, err := loadBatchTimes(ctx, tx)
		if err != nil {
			return err
		}
		mergers, err := mergersQ(ctx, tx)
		if err != nil {
			return err
		}
		all := map[string]string{}
		crows, err := tx.QueryContext(ctx, `SELECT id, code FROM offices`)
		if err != nil {
			return err
		}
		for crows.Next() {
			var id, code string
			if err := crows.Scan(&id, &code); err != nil {
				crows.Close()
				return err
			}
			all[id] = code
		}
		crows.Close()
		for i := range c.Rows {
			r := &c.Rows[i]
			r.Via = all[r.Office.ParentID]
			m, merged := mergers[r.Office.ID]
			if merged {
				r.MergedInto = codes[m.IntoID]
			}
			for j, p := range c.Periods {
				cell := &r.Cells[j]
				cell.State, cell.Due = CellMissing, p.Due(set.DueWorkingDays)
				if merged && !p.Start.Before(m.From) {
					cell.State = CellMerged
				}
			}
		}
		prows, err := tx.QueryContext(ctx, `SELECT id, owner_office_id, code, closed, closed_at, created_at, updated_at FROM periods
			WHERE deleted_at = '' AND kind = ? AND end_date >= ? AND end_date <= ?`, string(kind),
			c.Periods[0].End.Format(domain.DateLayout), c.Periods[len(c.Periods)-1].End.Format(domain.DateLayout))
		if err != nil {
			return err
		}
		defer prows.Close()
		for prows.Next() {
			var id, office, code, closedAt, created, updated string
			var closed int
			if err := prows.Scan(&id, &office, &code, &closed, &closedAt, &created, &updated); err != nil {
				return err
			}
			i, ok := idx[office]
			j, ok2 := col[code]
			if !ok || !ok2 || c.Rows[i].Cells[j].State == CellMerged {
				continue
			}
			cell := &c.Rows[i].Cells[j]
			cell.PeriodID = id
			bt := times[office]
			if closed == 1 {
				cell.State = CellClosed
				at := parseTime(closedAt)
				if at.IsZero() {
					at = parseTime(updated)
				}
				cell.ArrivedAt, _ = bt.arrival(at)
			} else {
				cell.State = CellDraft
				cell.ArrivedAt, _ = bt.arrival(parseTime(created))
			}
		}
		return prows.Err()
	})
	if err != nil {
		return c, err
	}
	for i := range c.Rows {
		enrolled := c.Rows[i].Office.CreatedAt
		for j := range c.Rows[i].Cells {
			cell := &c.Rows[i].Cells[j]
			if cell.State == CellMerged {
				continue
			}
			if cell.State != CellMissing {
				c.Arrived++
			}
			deadline := time.Date(cell.Due.Year(), cell.Due.Month(), cell.Due.Day()+1, 0, 0, 0, 0, vnZone)
			if cell.State == CellMissing && !enrolled.IsZero() && deadline.Before(enrolled) {
				// Due before the unit was enrolled here: it could not have
				// reported to this office then, so it is neither overdue nor
				// counted as expected.
				cell.Timely = NotDue
				continue
			}
			switch {
			case cell.State == CellClosed && !cell.ArrivedAt.IsZero() && cell.ArrivedAt.Before(deadline):
				cell.Timely = OnTime
			case cell.State == CellClosed || !now.Before(deadline):
				cell.Timely = Late
			default:
				cell.Timely = NotDue
			}
			if !now.Before(deadline) {
				c.Expected++
				if cell.State != CellMissing {
					c.Received++
				}
				if cell.State == CellClosed {
					c.Closed++
					if cell.Timely == OnTime {
						c.OnTime++
					}
				}
			}
		}
	}
	return c, nil
}

func loadBatchTimes(ctx context.Context, tx *sql.Tx) (map[string]batchTimes, error) {
	rows, err := tx.QueryContext(ctx, `SELECT office_id, created_at, arrived_at FROM batches_received ORDER BY office_id, created_at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]batchTimes{}
	for rows.Next() {
		var office, created, arrived string
		if err := rows.Scan(&office, &created, &arrived); err != nil {
			return nil, err
		}
		b := out[office]
		b.created = append(b.created, parseTime(created))
		b.earliest = append(b.earliest, parseTime(arrived))
		out[office] = b
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for office, b := range out {
		for i := len(b.earliest) - 2; i >= 0; i-- {
			if b.earliest[i+1].Before(b.earliest[i]) {
				b.earliest[i] = b.earliest[i+1]
			}
		}
		out[office] = b
	}
	return out, nil
}

// Unreported is a unit that owes the report of one period: nothing
// received, or a draft not closed (chốt) by the unit.
type Unreported struct {
	Office domain.Office
	Cell   CompletenessCell
}

// Unreported lists the units that have not reported period p (one of
// c.Periods, by code), by unit code; merged-away units owe nothing. ok is
// false when p is not a period of the matrix.
func (c Completeness) Unreported(p domain.PeriodSpec) (out []Unreported, ok bool) {
	col := -1
	for i, ps := range c.Periods {
		if ps.Code() == p.Code() {
			col = i
		}
	}
	if col < 0 {
		return nil, false
	}
	for _, r := range c.Rows {
		if cell := r.Cells[col]; cell.State == CellMissing || cell.State == CellDraft {
			out = append(out, Unreported{Office: r.Office, Cell: cell})
		}
	}
	return out, true
}

// ViaSummary is the completeness of the units one office forwards here.
type ViaSummary struct {
	Via                     string // "" for the units that report directly
	Units, Expected, Closed int
	Missing                 int // due and not received
}

// ByVia sums the matrix by the office each unit's reports come through:
// the centre sees each province's share.
func (c Completeness) ByVia() []ViaSummary {
	idx := map[string]int{}
	var out []ViaSummary
	for _, r := range c.Rows {
		i, ok := idx[r.Via]
		if !ok {
			i = len(out)
			idx[r.Via] = i
			out = append(out, ViaSummary{Via: r.Via})
		}
		out[i].Units++
		for _, cell := range r.Cells {
			if cell.State == CellMerged || cell.Timely == NotDue {
				continue
			}
			out[i].Expected++
			switch cell.State {
			case CellClosed:
				out[i].Closed++
			case CellMissing:
				out[i].Missing++
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Via < out[b].Via })
	return out
}
