//go:build race

package store

// raceDetector is true in a -race build, where SQLite (compiled from C to
// Go) runs some fifty times slower: exhaustive tests take a sample there and
// run in full in `make rules` (plain build).
const raceDetector = true
