package assets

import "embed"

// Print holds the fixed phrases of printed official documents,
// print/<language>.json in the same flat form as Lang. Official documents
// are always Vietnamese, whatever the interface language, so only vi.json
// exists; it is kept apart from Lang so that a translator of the interface
// never changes what goes on paper.
//
//go:embed print/*.json
var Print embed.FS
