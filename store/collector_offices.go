package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"fmt"
	"time"
)

// OfficeOverview is one enrolled unit as the collecting office's Đơn vị
// screen lists it.
type OfficeOverview struct {
	domain.Office
	KeyID       string    // the current key's id; sync.Fingerprint writes it for people
	Batches     int       // batches received
	LastSeq     int64     // 0 when none has arrived
	LastArrived time.Time // when the latest batch arrived here
	Missing     []int64   // seqs below the highest received that have not arrived
	Parent      string    // the parent's name, "" when none is known
	Merger      *Merger   // set when the unit was merged into another
	MergedInto  string    // that unit's code
}

// OfficesOverview lists every office enrolled here (not this one), by
// code, with its key, the state of its batch chain, its parent and its
// merger.
func (s *Store) OfficesOverview(ctx context.Context) ([]OfficeOverview, error) {
	var out []OfficeOverview
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 0 ORDER BY code`)
		if err != nil {
			return err
		}
		byID := map[string]int{}
		names := map[string]string{}
		for rows.Next() {
			o, err := scanOffice(rows)
			if err != nil {
				rows.Close()
				return err
			}
			byID[o.ID] = len(out)
			out = append(out, OfficeOverview{Office: o})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		all, err := tx.QueryContext(ctx, `SELECT id, code, name FROM offices`)
		if err != nil {
			return err
		}
		codes := map[string]string{}
		for all.Next() {
			var id, code, name string
			if err := all.Scan(&id, &code, &name); err != nil {
				all.Close()
				return err
			}
			codes[id], names[id] = code, name
		}
		all.Close()
		if err := all.Err(); err != nil {
			return err
		}
		keys, err := tx.QueryContext(ctx, `SELECT office_id, key_id FROM office_keys WHERE retired_at = ''`)
		if err != nil {
			return err
		}
		for keys.Next() {
			var office, key string
			if err := keys.Scan(&office, &key); err != nil {
				keys.Close()
				return err
			}
			if i, ok := byID[office]; ok {
				out[i].KeyID = key
			}
		}
		keys.Close()
		if err := keys.Err(); err != nil {
			return err
		}
		links := map[string][]ChainLink{}
		br, err := tx.QueryContext(ctx, `SELECT office_id, seq, arrived_at FROM batches_received`)
		if err != nil {
			return err
		}
		for br.Next() {
			var office, arrived string
			var seq int64
			if err := br.Scan(&office, &seq, &arrived); err != nil {
				br.Close()
				return err
			}
			i, ok := byID[office]
			if !ok {
				continue
			}
			o := &out[i]
			o.Batches++
			links[office] = append(links[office], ChainLink{Seq: seq})
			if seq > o.LastSeq {
				o.LastSeq = seq
			}
			if t := parseTime(arrived); t.After(o.LastArrived) {
				o.LastArrived = t
			}
		}
		br.Close()
		if err := br.Err(); err != nil {
			return err
		}
		mergers, err := mergersQ(ctx, tx)
		if err != nil {
			return err
		}
		for i := range out {
			o := &out[i]
			o.Missing = Missing(links[o.ID])
			o.Parent = names[o.ParentID]
			if m, ok := mergers[o.ID]; ok {
				o.Merger = &m
				o.MergedInto = codes[m.IntoID]
			}
		}
		return nil
	})
	return out, err
}

// UnitsLatest is the latest year in which the enrolled units hold
// periods, and the kind of period they use most in it: what the
// collecting office's screens open on. Without any, it is this year and
// months.
func (s *Store) UnitsLatest(ctx context.Context) (int, domain.PeriodKind, error) {
	year, kind := s.now().Year(), domain.PeriodMonth
	var end sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT max(p.end_date) FROM periods p JOIN offices o ON o.id = p.owner_office_id
		WHERE o.is_self = 0 AND p.deleted_at = '' AND p.kind <> 'custom'`).Scan(&end)
	if err != nil || !end.Valid || len(end.String) < 4 {
		return year, kind, err
	}
	t, err := time.Parse(domain.DateLayout, end.String)
	if err != nil {
		return year, kind, nil
	}
	year = t.Year()
	var k string
	err = s.db.QueryRowContext(ctx, `SELECT p.kind FROM periods p JOIN offices o ON o.id = p.owner_office_id
		WHERE o.is_self = 0 AND p.deleted_at = '' AND p.kind <> 'custom' AND p.end_date >= ? AND p.end_date <= ?
		GROUP BY p.kind ORDER BY count(*) DESC, p.kind LIMIT 1`, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)).Scan(&k)
	if err == nil {
		kind = domain.PeriodKind(k)
	}
	return year, kind, nil
}
