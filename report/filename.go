package report

import "strings"

// FileName is the name a report is saved under unless the person picks
// another: "bao-cao-summary-2024-Y.pdf". The window suggests it, and the
// command line writes it when several reports go to one folder. A period's
// range and any path separator become characters every file system takes.
func FileName(req Request, f Format) string {
	period := strings.NewReplacer("..", "_", "/", "-", "\\", "-", ":", "-").Replace(strings.TrimSpace(req.Period))
	name := "bao-cao-" + string(req.Kind)
	if period != "" {
		name += "-" + period
	}
	return name + "." + string(f)
}
