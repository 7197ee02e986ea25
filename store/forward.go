package store

import (
	"context"
	"danvan/internal/domain"
	"database/sql"
	"errors"
	"fmt"
	"sort"
)

// Forwarding upward (issue 28). A collecting office (a province) that has
// enrolled an office above it (the centre) sends it, in its own signed
// batch, the batches its units sent it, byte for byte, with the units and
// their keys: the office above checks every unit's own signature, so no
// unit's figures can be changed on the way up.

// UnitKeys is a unit and its keys, oldest first, as an office vouches for
// it to the office above.
type UnitKeys struct {
	Office domain.Office
	Keys   []OfficeKey
}

// ForwardItem is one unit batch to forward.
type ForwardItem struct {
	OfficeID string
	Code     string
	Seq      int64
	SHA256   string // of its signed zip; the file is kept as received/<sha256>.zip
}

// ForwardPlan is what the next batch to an office above holds.
type ForwardPlan struct {
	Office     domain.Office // this office
	Key        KeyMaterial
	Dest       Destination
	Seq        int64
	PrevSHA256 string
	Units      []UnitKeys
	Items      []ForwardItem
	Mergers    []Merger // among the units, as this office keeps them
}

// PrepareForward reads what the next batch to dest (an office above this
// collecting office) must hold: every unit enrolled here with its keys, and
// the unit batches received here and not yet forwarded to dest, by unit and
// seq. It changes nothing.
func (s *Store) PrepareForward(ctx context.Context, actor Actor, dest string) (ForwardPlan, error) {
	var p ForwardPlan
	if err := actor.require(PermSign); err != nil {
		return p, err
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if p.Office, err = selfOfficeTx(ctx, tx); err != nil {
			return err
		}
		dests, err := destinationsTx(ctx, tx)
		if err != nil {
			return err
		}
		if p.Dest, err = pickDestination(dests, dest); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT key_id, public_key, encrypted_secret FROM office_keys WHERE office_id = ? AND retired_at = ''`, p.Office.ID).
			Scan(&p.Key.KeyID, &p.Key.PublicKey, &p.Key.EncryptedSecret)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoKey
		} else if err != nil {
			return err
		}
		chain := p.Dest.chainID()
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM batches_sent WHERE dest_id = ?`, chain).Scan(&p.Seq); err != nil {
			return err
		}
		if p.Seq > 0 {
			if err := tx.QueryRowContext(ctx, `SELECT sha256 FROM batches_sent WHERE dest_id = ? AND seq = ?`, chain, p.Seq).Scan(&p.PrevSHA256); err != nil {
				return err
			}
		}
		p.Seq++
		if p.Units, err = unitKeys(ctx, tx); err != nil {
			return err
		}
		all, err := mergersQ(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range all {
			p.Mergers = append(p.Mergers, m)
		}
		sort.Slice(p.Mergers, func(i, j int) bool { return p.Mergers[i].OfficeID < p.Mergers[j].OfficeID })
		rows, err := tx.QueryContext(ctx, `SELECT b.office_id, o.code, b.seq, b.sha256 `+unforwarded+` ORDER BY o.code, b.seq`, domain.RoleCollector, chain)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it ForwardItem
			if err := rows.Scan(&it.OfficeID, &it.Code, &it.Seq, &it.SHA256); err != nil {
				return err
			}
			p.Items = append(p.Items, it)
		}
		return rows.Err()
	})
	return p, err
}

// unforwarded is the FROM and WHERE of the unit batches received here and
// not yet forwarded to an office above; its arguments are
// domain.RoleCollector and that office's id.
const unforwarded = `FROM batches_received AS b JOIN offices AS o ON o.id = b.office_id
	WHERE o.role <> ? AND NOT EXISTS (SELECT 1 FROM forwarded AS f WHERE f.dest_id = ? AND f.office_id = b.office_id AND f.seq = b.seq)`

// unitKeys lists the units enrolled here (every office but this one and
// the collecting offices it exchanges with), each with its keys, oldest
// first.
func unitKeys(ctx context.Context, tx *sql.Tx) ([]UnitKeys, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+officeCols+` FROM offices WHERE is_self = 0 AND role <> ? ORDER BY code`, domain.RoleCollector)
	if err != nil {
		return nil, err
	}
	var out []UnitKeys
	for rows.Next() {
		o, err := scanOffice(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, UnitKeys{Office: o})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		krows, err := tx.QueryContext(ctx, `SELECT key_id, office_id, public_key, prev_key_id, rotation_sig FROM office_keys WHERE office_id = ? ORDER BY rowid`, out[i].Office.ID)
		if err != nil {
			return nil, err
		}
		for krows.Next() {
			var k OfficeKey
			if err := krows.Scan(&k.KeyID, &k.OfficeID, &k.PublicKey, &k.PrevKeyID, &k.RotationSig); err != nil {
				krows.Close()
				return nil, err
			}
			out[i].Keys = append(out[i].Keys, k)
		}
		krows.Close()
		if err := krows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RecordForwardSent stores a forwarding batch written to disk as the next
// in this office's chain to the office above, with the unit batches it
// carried, in one transaction.
func (s *Store) RecordForwardSent(ctx context.Context, actor Actor, b SentBatch, items []ForwardItem) error {
	if err := actor.require(PermSign); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := appendSent(ctx, tx, b); err != nil {
			return err
		}
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO forwarded(dest_id, office_id, seq, sha256, fwd_seq) VALUES (?, ?, ?, ?, ?)`,
				b.Dest, it.OfficeID, it.Seq, it.SHA256, b.Seq); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, ActionExport, "batch", fmt.Sprint(b.Seq), nil, map[string]any{"batch": b, "forwarded": len(items)})
	})
}

// ErrNotItsUnit is a unit an office vouches for that is enrolled here as
// another office's unit, or is an office this one exchanges with.
type ErrNotItsUnit struct{ Via, Code string }

func (e *ErrNotItsUnit) Error() string {
	return fmt.Sprintf("store: %s vouches for %s, which is not its unit here", e.Via, e.Code)
}

// MessageCode implements domain.Coded.
func (e *ErrNotItsUnit) MessageCode() (string, map[string]any) {
	return "batch.not_its_unit", map[string]any{"Via": e.Via, "Code": e.Code}
}

// EnrollVia records the units an office below (via) vouches for in a
// forwarding batch whose signature sync has checked: a unit not known here
// is enrolled as via's, with via as its parent; a known one gets its new
// keys when they continue the ones known (a rotation), and must be via's.
// A unit that is already known with the same keys is left as it is.
func (s *Store) EnrollVia(ctx context.Context, actor Actor, via domain.Office, units []Enrollment) error {
	if err := actor.require(PermEnroll); err != nil {
		return err
	}
	// Only a collecting office that reports here vouches for units; the
	// office this one reports to does not.
	if via.Role != domain.RoleCollector {
		return &ErrNotItsUnit{Via: via.Code, Code: via.Code}
	}
	if _, err := s.Destination(ctx, via.ID); err == nil {
		return &ErrNotItsUnit{Via: via.Code, Code: via.Code}
	}
	for _, u := range units {
		old, err := s.Office(ctx, u.Office.ID)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		case old.Self || old.Role == domain.RoleCollector || old.ParentID != via.ID:
			return &ErrNotItsUnit{Via: via.Code, Code: old.Code}
		default:
			keys, err := s.OfficeKeys(ctx, old.ID)
			if err != nil {
				return err
			}
			known := map[string]bool{}
			for _, k := range keys {
				known[k.KeyID] = true
			}
			same := old.Code == u.Office.Code && old.Name == u.Office.Name && old.ParentID == via.ID
			for _, k := range u.Keys {
				same = same && known[k.KeyID]
			}
			if same {
				continue
			}
		}
		u.Office.ParentID = via.ID
		if u.Office.Role == domain.RoleCollector {
			return &ErrNotItsUnit{Via: via.Code, Code: u.Office.Code}
		}
		if _, err := s.EnrollOffice(ctx, actor, u); err != nil {
			return err
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE offices SET parent_id = ? WHERE id = ? AND (parent_id IS NULL OR parent_id = '')`, via.ID, u.Office.ID); err != nil {
			return err
		}
	}
	return nil
}

// MergersVia makes the mergers among via's units what via says they are (a
// forwarding batch whose signature sync has checked): the 2025 reform
// merged communes, and the office above counts a merged unit under the
// one it joined from the same day the province does. Units of other
// offices are not touched.
func (s *Store) MergersVia(ctx context.Context, actor Actor, via domain.Office, want []Merger) error {
	if err := actor.require(PermEnroll); err != nil {
		return err
	}
	have, err := s.Mergers(ctx)
	if err != nil {
		return err
	}
	mine := func(id string) bool {
		o, err := s.Office(ctx, id)
		return err == nil && o.ParentID == via.ID
	}
	wanted := map[string]bool{}
	for _, m := range want {
		if !mine(m.OfficeID) || !mine(m.IntoID) {
			return &ErrNotItsUnit{Via: via.Code, Code: m.OfficeID}
		}
		wanted[m.OfficeID] = true
		if h, ok := have[m.OfficeID]; ok && h.IntoID == m.IntoID && h.From.Equal(m.From) {
			continue
		}
		if err := s.MergeOffice(ctx, actor, m.OfficeID, m.IntoID, m.From); err != nil {
			return err
		}
	}
	for id := range have {
		if !wanted[id] && mine(id) {
			if err := s.UnmergeOffice(ctx, actor, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// errAtomicRefused ends an all-or-nothing import when one batch is refused.
var errAtomicRefused = errors.New("store: a batch of an all-or-nothing import was refused")

// ImportAtomic imports batches all or nothing, in one transaction: a
// forwarding batch with the unit batches it carries. When one is refused
// (a fork, a unit merged away, a record that breaks the rules), nothing
// is stored, errs says which and why, and none is applied.
func (s *Store) ImportAtomic(ctx context.Context, actor Actor, in []IncomingBatch) (res []BatchResult, errs []error, err error) {
	res = make([]BatchResult, len(in))
	errs = make([]error, len(in))
	if err := actor.require(PermEnroll); err != nil {
		return res, errs, err
	}
	err = s.importTx(ctx, func(tx *sql.Tx) error {
		g := &importGroup{now: s.now()}
		defer g.close()
		if err := g.begin(ctx, tx); err != nil {
			return err
		}
		for i, b := range in {
			if _, err := s.importBatch(ctx, tx, g, actor, b, &res[i]); err != nil {
				errs[i] = classifyKeep(err)
				return errAtomicRefused
			}
		}
		return g.end(ctx, tx)
	})
	if errors.Is(err, errAtomicRefused) {
		err = nil
		for i := range res {
			res[i].Applied = false
		}
	}
	return res, errs, err
}
