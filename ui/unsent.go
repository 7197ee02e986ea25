package ui

// unsentChanges is the count the status line shows: the records this office
// owns that changed after its last batch.
func unsentChanges(a *App) (int, error) { return a.St.UnsentChanges(a.Ctx()) }
