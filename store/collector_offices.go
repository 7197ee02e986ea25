package store

import (
	"context"
	"database/sql"
	"time"
)

// OfficeOverview is one enrolled unit as the collecting office's Đơn vị
// screen lists it.
type OfficeOverview struct {
	Office
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
