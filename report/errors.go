package report

import "fmt"

// NoDataError is a report asked for over nothing: no tallies in the period,
// no models in the year. Printing an empty official form helps nobody, and
// a blank one could be mistaken for zeros.
type NoDataError struct {
	Report string // "models", "tally", "summary", …: names the message
	Period string // as the user gave it; "" when the report has none
}

func (e *NoDataError) Error() string {
	return fmt.Sprintf("report: no data for the %s report %s", e.Report, e.Period)
}

// MessageCode implements domain.Coded.
func (e *NoDataError) MessageCode() (string, map[string]any) {
	return "report_no_data_" + e.Report, map[string]any{"Period": e.Period}
}
