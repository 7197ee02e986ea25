package store

import (
	"danvan/internal/domain"
	"fmt"
	"strings"
)

// The collecting office's roll-up reads sums that SQLite keeps (migration
// 0009), so two of the Go rules of tally_rules.go are also spelled in SQL:
// a row's effective total (Counts.Effective) and "certainly clean"
// (tally_clean, which lets Go's Problems skip rows no rule can fail). The
// queries built at run time take the effective total from effectiveSQL,
// made from domain.TotalParts; the migration's copies are held to the Go rules by
// TestSQLRulesAgreeWithGo over every blank pattern and every rule, so a rule
// added in Go that the SQL does not know fails that test instead of
// escaping the roll-up's checks.

// effectiveSQL is column col of the tallies row aliased a, as
// Counts.Effective gives it: a total left blank is the sum of its parts
// (NULL when one of them is blank too); any other column as stored.
func effectiveSQL(a string, col int) string {
	parts, ok := domain.TotalParts[col]
	if !ok {
		return fmt.Sprintf("%s.c%d", a, col)
	}
	terms := make([]string, len(parts))
	for i, p := range parts {
		terms[i] = fmt.Sprintf("%s.c%d", a, p)
	}
	return fmt.Sprintf("COALESCE(%s.c%d, %s)", a, col, strings.Join(terms, " + "))
}
