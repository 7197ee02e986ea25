package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"slices"
	"strings"
)

// Destination is a collecting office enrolled here and the kinds of data
// it receives (domain.DataKinds). Each destination has its own chain of
// batches, its own outbox folder, encryption recipient, receipts and
// network address (docs/batch-format.md §3, destinations).
type Destination struct {
	Office domain.Office
	Kinds  []string
	// URL is where its server listens; for the primary destination this is
	// the setting CollectorURL, which the settings page edits as before.
	URL string
	// Primary is the destination that carries on the chain written before
	// destinations existed (or the first one enrolled): its batches stay
	// danvan-batch/2, in the outbox itself. The others get batches
	// addressed to them (danvan-batch/3) in outbox/<code>/.
	Primary   bool
	Recipient string // its age recipient; "" when its enrollment file carried none
	// fullKinds are kinds newly given to it: its next batch carries every
	// record of them, not only those changed since its last batch.
	fullKinds []string
}

// Receives says whether d receives the kind of data.
func (d Destination) Receives(data string) bool { return slices.Contains(d.Kinds, data) }

// Folder is d's folder under the outbox (and under a copy folder): "" for
// the primary destination, else its office code, so two destinations'
// batches never share a name.
func (d Destination) Folder() string {
	if d.Primary {
		return ""
	}
	return d.Office.Code
}

// chainID is the dest_id of d's chain in batches_sent.
func (d Destination) chainID() string { return d.Office.ID }

// ErrNoDestination is a destination asked for by a code or id that is not
// a collecting office enrolled here.
var ErrNoDestination = &codedError{msg: "store: no collecting office enrolled here has this code", code: "batch.no_destination"}

// Destinations lists the collecting offices this office reports to, the
// primary first, then by code.
func (s *Store) Destinations(ctx context.Context) ([]Destination, error) {
	var out []Destination
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = destinationsTx(ctx, tx)
		return err
	})
	return out, err
}

// Destination finds one destination by its office's code or id.
func (s *Store) Destination(ctx context.Context, codeOrID string) (Destination, error) {
	all, err := s.Destinations(ctx)
	if err != nil {
		return Destination{}, err
	}
	return pickDestination(all, codeOrID)
}

func pickDestination(all []Destination, codeOrID string) (Destination, error) {
	for _, d := range all {
		if d.Office.ID == codeOrID || strings.EqualFold(d.Office.Code, strings.TrimSpace(codeOrID)) {
			return d, nil
		}
	}
	return Destination{}, &codedError{msg: ErrNoDestination.msg, code: ErrNoDestination.code, args: map[string]any{"Code": codeOrID}}
}

func destinationsTx(ctx context.Context, q rowQuerier) ([]Destination, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.code, o.name, o.kind, o.role, COALESCE(o.parent_id, ''), o.is_self, o.created_at, o.updated_at, d.kinds, d.full_kinds, d.url, d.is_primary, COALESCE(r.recipient, '')
		FROM destinations AS d JOIN offices AS o ON o.id = d.office_id
		LEFT JOIN office_recipients AS r ON r.office_id = d.office_id
		ORDER BY d.is_primary DESC, o.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Destination
	for rows.Next() {
		var d Destination
		var kinds, full string
		var created, updated string
		var self, primary int
		o := &d.Office
		if err := rows.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.Role, &o.ParentID, &self, &created, &updated,
			&kinds, &full, &d.URL, &primary, &d.Recipient); err != nil {
			return nil, err
		}
		o.Self, o.CreatedAt, o.UpdatedAt = self == 1, parseTime(created), parseTime(updated)
		d.Kinds, _ = domain.ParseDataKinds(kinds)
		if full != "" {
			d.fullKinds, _ = domain.ParseDataKinds(full)
		}
		d.Primary = primary == 1
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		if !out[i].Primary {
			continue
		}
		var url string
		err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'collector_url'`).Scan(&url)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[i].URL = url
	}
	return out, nil
}

// putDestination makes an enrolled collecting office a destination, inside
// the enrollment's transaction. kinds nil keeps what an office already
// enrolled receives, and gives a new one every kind. The first destination
// becomes the primary one and takes over the chain written before any.
func (s *Store) putDestination(ctx context.Context, tx *sql.Tx, officeID string, kinds []string) error {
	var old string
	err := tx.QueryRowContext(ctx, `SELECT kinds FROM destinations WHERE office_id = ?`, officeID).Scan(&old)
	now := fmtTime(s.now())
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if kinds == nil {
			kinds = domain.DataKinds
		}
		var primaries int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM destinations WHERE is_primary = 1`).Scan(&primaries); err != nil {
			return err
		}
		primary := 0
		if primaries == 0 {
			primary = 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO destinations(office_id, kinds, is_primary, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			officeID, domain.JoinDataKinds(kinds), primary, now, now); err != nil {
			return err
		}
		if primary == 1 {
			// The chain written before any destination, unless a restore
			// already put this office's own chain back.
			_, err := tx.ExecContext(ctx, `UPDATE batches_sent SET dest_id = ? WHERE dest_id = ''
				AND NOT EXISTS (SELECT 1 FROM batches_sent WHERE dest_id = ?)`, officeID, officeID)
			return err
		}
		return nil
	case err != nil:
		return err
	case kinds == nil:
		return nil
	}
	// A kind newly given goes whole in the next batch.
	had, _ := domain.ParseDataKinds(old)
	var full []string
	for _, k := range kinds {
		if !slices.Contains(had, k) {
			full = append(full, k)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE destinations SET kinds = ?, full_kinds = CASE WHEN ? = '' THEN full_kinds ELSE ? END, updated_at = ? WHERE office_id = ?`,
		domain.JoinDataKinds(kinds), domain.JoinDataKinds(full), domain.JoinDataKinds(full), now, officeID)
	return err
}

// SetDestination changes what a destination receives and where its server
// listens (the primary's address is the setting CollectorURL). A change of
// kinds applies from the next batch: what was sent stays sent, and a kind
// newly given to a destination goes to it whole in its next batch.
func (s *Store) SetDestination(ctx context.Context, actor Actor, officeID string, kinds []string, url string) error {
	if err := actor.require(PermSettings); err != nil {
		return err
	}
	if len(kinds) == 0 {
		v := &domain.ValidationError{}
		v.Add("kinds", "required", nil)
		return v
	}
	url = strings.TrimSpace(url)
	if url != "" && !domain.ValidCollectorURL(url) {
		v := &domain.ValidationError{}
		v.Add("collector_url", "invalid_url", nil)
		return v
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		all, err := destinationsTx(ctx, tx)
		if err != nil {
			return err
		}
		old, err := pickDestination(all, officeID)
		if err != nil {
			return err
		}
		now := fmtTime(s.now())
		full := slices.Clone(old.fullKinds)
		for _, k := range kinds {
			if !old.Receives(k) && !slices.Contains(full, k) {
				full = append(full, k)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE destinations SET kinds = ?, full_kinds = ?, updated_at = ? WHERE office_id = ?`,
			domain.JoinDataKinds(kinds), domain.JoinDataKinds(full), now, old.Office.ID); err != nil {
			return err
		}
		if old.Primary {
			err = putSetting(ctx, tx, "collector_url", url)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE destinations SET url = ? WHERE office_id = ?`, url, old.Office.ID)
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, ActionUpdate, "destination", old.Office.ID,
			map[string]any{"kinds": old.Kinds, "url": old.URL}, map[string]any{"kinds": kinds, "url": url})
	})
}
