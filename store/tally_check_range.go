package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// CheckRange finds what Check finds on the rows of the periods ending in
// [from, to], without reading every row: the triggers of migration 0009
// keep tally_suspects, the rows that are not certainly clean, and only
// those are read and put through the Go rules, with their predecessor
// chosen as Check chooses it. A collecting office's year holds some 0,8 M
// rows; its suspects are the drafts, the incomplete and the failing rows,
// and the first period of each chain.
func (s *Store) CheckRange(ctx context.Context, from, to time.Time) ([]CheckFinding, error) {
	var out []CheckFinding
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		// The suspects come with their rows' columns, read in the same walk.
		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.owner_office_id, p.kind, p.code, p.start_date, p.end_date, t.`+
			strings.ReplaceAll(tallyCols, ", ", ", t.")+`
			FROM tally_suspects s JOIN tallies t ON t.rowid = s.tally_rowid JOIN periods p ON p.id = t.period_id
			WHERE t.deleted_at = '' AND p.deleted_at = '' AND p.end_date BETWEEN ? AND ?`,
			domain.Day(from).Format(domain.DateLayout), domain.Day(to).Format(domain.DateLayout))
		if err != nil {
			return err
		}
		type suspect struct {
			t Tally
			p checkPeriod
		}
		var sus []suspect
		for rows.Next() {
			var c suspect
			var kind string
			c.t, err = scanTally(prefixScan{rows, []any{&c.p.id, &c.p.office, &kind, &c.p.code, &c.p.start, &c.p.end}})
			if err != nil {
				rows.Close()
				return err
			}
			c.p.kind = domain.PeriodKind(kind)
			sus = append(sus, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(sus) == 0 {
			return nil
		}
		codes, err := officeCodes(ctx, tx)
		if err != nil {
			return err
		}
		fields, err := rollupFields(ctx, tx)
		if err != nil {
			return err
		}
		ending, err := tx.PrepareContext(ctx, `SELECT `+checkPeriodCols+` FROM periods
			WHERE owner_office_id = ? AND end_date = ? AND deleted_at = ''`)
		if err != nil {
			return err
		}
		defer ending.Close()
		cell, err := tx.PrepareContext(ctx, `SELECT `+tallyCols+` FROM tallies WHERE period_id = ? AND field_id = ? AND deleted_at = ''`)
		if err != nil {
			return err
		}
		defer cell.Close()
		// The periods ending the day before a suspect's, per office and
		// day, as Check's byEnd holds them.
		byEnd := map[[2]string][]checkPeriod{}
		for _, c := range sus {
			start, err := time.Parse(domain.DateLayout, c.p.start)
			if err != nil {
				return err
			}
			key := [2]string{c.p.office, start.AddDate(0, 0, -1).Format(domain.DateLayout)}
			if _, ok := byEnd[key]; !ok {
				list, err := readCheckPeriods(ending.QueryContext(ctx, key[0], key[1]))
				if err != nil {
					return err
				}
				byEnd[key] = list
			}
			var prev *int64
			if pp, ok := predecessor(c.p, byEnd); ok {
				pt, err := scanTally(cell.QueryRowContext(ctx, pp.id, c.t.FieldID))
				switch {
				case err == nil:
					prev = pt.Counts.CarriedOut()
				case !errors.Is(err, ErrNotFound):
					return err
				}
			}
			out = append(out, rowFindings(c.t, c.p, prev, fields, codes)...)
		}
		return nil
	})
	sortFindings(out)
	return out, err
}

// readCheckPeriods reads rows of checkPeriodCols.
func readCheckPeriods(rows *sql.Rows, err error) ([]checkPeriod, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []checkPeriod{}
	for rows.Next() {
		var p checkPeriod
		var kind string
		if err := rows.Scan(&p.id, &p.office, &kind, &p.code, &p.start, &p.end); err != nil {
			return nil, err
		}
		p.kind = domain.PeriodKind(kind)
		list = append(list, p)
	}
	return list, rows.Err()
}

// prefixScan reads leading columns into pre before handing the rest of the
// row to a scanner that expects only its own columns (scanTally).
type prefixScan struct {
	rows *sql.Rows
	pre  []any
}

func (p prefixScan) Scan(dest ...any) error { return p.rows.Scan(append(p.pre, dest...)...) }
