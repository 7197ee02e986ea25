// Command danvan records a commune office's "Dân vận khéo" models and
// administrative-procedure tallies offline, prints them in the official
// format and exchanges signed batch files with the collecting office.
//
// main only wires: it parses the command line, then either opens the window
// or runs a command.
package main

import (
	"context"
	"os"

	"danvan/cli"
	"danvan/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0"

func main() {
	inv, err := cli.Parse(os.Args[1:])
	if err != nil {
		os.Exit(cli.Fail(inv, err))
	}
	inv.Version = version
	if inv.OpensWindow() {
		os.Exit(ui.Main(ui.Options{DataDir: inv.DataDir, Lang: inv.Lang, Version: version}))
	}
	os.Exit(cli.Run(context.Background(), inv))
}
