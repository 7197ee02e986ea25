package report

import "fmt"

// NoDataError is a report asked for over nothing: no tallies in the period,
// no models in the year. Printing an empty official form helps nobody, and
// a blank one could be mistaken for zeros.
type NoDataError struct {
	What   string
	Period string
}

func (e *NoDataError) Error() string {
	return fmt.Sprintf("report: no data for %s %s", e.What, e.Period)
}

// MessageCode implements store.Coded.
func (e *NoDataError) MessageCode() (string, map[string]any) {
	if e.Period == "" {
		return "report_no_data", map[string]any{"What": e.What}
	}
	return "report_no_data_period", map[string]any{"What": e.What, "Period": e.Period}
}
