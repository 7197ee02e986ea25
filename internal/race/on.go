//go:build race

// Package race says whether the program was built with the race detector,
// which makes it 5 to 10 times slower: load tests ask for less then.
package race

// Enabled is true under -race.
const Enabled = true
