package store

import (
	"context"
	"database/sql"
	"sort"
)

// SyncKind describes one record table that travels in signed batches. Each
// record table registers itself here (syncKinds), and export, import and
// the "unsent changes" count work on every registered table alike.
//
// A record table has the columns docs/architecture.md lists (id,
// owner_office_id, revision, change_seq, created_at, updated_at, updated_by,
// deleted_at) and its own data columns, listed in Fields. Columns derived on
// this machine (the *_fold search keys) are not sent; Derive rebuilds them
// on import from the data columns.
type SyncKind struct {
	Kind   string   // "model", "period", "tally"
	Data   string   // the kind of data it belongs to (domain.DataKinds): who receives it
	Member string   // the batch member that carries it, e.g. "models.jsonl"
	Table  string   // the SQL table
	Order  int      // import order: a table referred to by another comes first
	Fields []string // data columns, in the order they are written
	// Derived are columns computed on this machine (search keys); an
	// imported row gets a stand-in in them, then Derive fills them in for every
	// record of the kind a batch wrote (once per batch, so it can prepare
	// its statements once). Keys, when set, computes them from a record's
	// Fields in Go instead, so the row is written whole.
	Derived []string
	Derive  func(ctx context.Context, tx *sql.Tx, ids []string) error
	Keys    func(fields []any) []any
	// Index brings the kind's full-text indexes up to date at the end of
	// an import's transaction, which defers them (migration 0011).
	Index func(ctx context.Context, tx *sql.Tx, in Reindex) error
	// Refs names the columns that hold the id of another record kind
	// (column -> kind), e.g. a tally's period_id. A batch always carries
	// the records its records refer to, so that each batch can be applied
	// alone, in any order, without breaking a foreign key.
	Refs map[string]string
}

// Reindex is what an import's transaction wrote of one kind, for Index.
type Reindex struct {
	Written []string // ids it wrote, each once; live or deleted now
	Indexed []string // those of them that were live, so indexed, before it wrote them
}

var syncKinds = map[string]SyncKind{}

// registerSyncKind adds a record table to batches; called from init in the
// file that knows the table's columns.
func registerSyncKind(k SyncKind) {
	if _, dup := syncKinds[k.Kind]; dup {
		panic("store: sync kind registered twice: " + k.Kind)
	}
	syncKinds[k.Kind] = k
}

// SyncKinds lists the record tables that travel in batches, in import order.
func SyncKinds() []SyncKind {
	out := make([]SyncKind, 0, len(syncKinds))
	for _, k := range syncKinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// SyncKindOf returns the registered kind by name.
func SyncKindOf(kind string) (SyncKind, bool) {
	k, ok := syncKinds[kind]
	return k, ok
}

// SyncRecord is one record as it travels: the common columns and the data
// columns of its kind, in SyncKind.Fields order. A value is a string, an
// int64 or nil (SQL NULL). A record with DeletedAt set is a tombstone and
// travels without its data (Fields is nil).
type SyncRecord struct {
	Kind      string
	ID        string
	Owner     string // owner_office_id
	Revision  int64
	CreatedAt string
	UpdatedAt string
	UpdatedBy string
	DeletedAt string
	Fields    []any
}
