// Package crashtest kills danvan with SIGKILL while it saves records and
// checks that nothing it reported saved is lost and that the database
// stays whole. It holds only tests: the test binary doubles as the danvan
// command line (the same cli.Parse and cli.Run that main calls), so CI needs
// no separate build. scripts/killtest.sh runs the same loop 200 times
// against the real binary.
package crashtest
