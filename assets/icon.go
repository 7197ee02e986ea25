package assets

import _ "embed"

// Icon is the application icon: a yellow star over a document, on red.
//
//go:embed icon/icon.png
var Icon []byte
