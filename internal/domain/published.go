package domain

import (
	"danvan/store/vn"
	"regexp"
)

// Published is what a collecting office sends down to the units that
// report to it (issue 28): the TTHC field list with stable codes, the
// cut-off and due days, the recipients of the printed report and the name
// it goes by. A unit that has enrolled the office applies it (after seeing
// the changes), so that every commune of a province counts the same
// fields over the same periods without typing the province's settings.
type Published struct {
	Version        int64 // increases with every publication; an older one is refused
	CollectorName  string
	CutoffDay      int
	DueWorkingDays int
	Recipients     []string     // "Nơi nhận" lines of the printed report
	Periods        []PeriodKind // the kinds of period whose reports it expects, most frequent first
	Fields         []PublishedField
}

// PublishedField is one TTHC field. A field is never deleted: it is
// renamed or retired, so old figures keep their meaning.
type PublishedField struct {
	Code     string // stable across renames: "ho_tich", or the publisher's own id
	Name     string
	Position int
	Retired  bool
}

// Bounds on a publication.
const (
	MaxPublishedFields     = 200
	MaxPublishedRecipients = 20
	MaxFieldCodeLen        = 40
)

var fieldCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// ValidFieldCode says whether c can be a published field's code.
func ValidFieldCode(c string) bool { return fieldCodeRE.MatchString(c) }

// Validate lists every problem with p. Text has been cleaned (NFC,
// trimmed) by whoever read it.
func (p *Published) Validate() error {
	v := &ValidationError{}
	if p.Version < 1 {
		v.Add("version", "out_of_range", map[string]any{"Min": 1, "Max": int64(1) << 53})
	}
	CheckText(v, "collector_name", p.CollectorName, MaxSettingText, true)
	if p.CutoffDay < 1 || p.CutoffDay > 28 {
		v.Add("cutoff_day", "out_of_range", map[string]any{"Min": 1, "Max": 28})
	}
	if p.DueWorkingDays < 0 || p.DueWorkingDays > 30 {
		v.Add("due_working_days", "out_of_range", map[string]any{"Min": 0, "Max": 30})
	}
	if kinds, ok := ParseReportPeriods(JoinReportPeriods(p.Periods)); !ok || len(p.Periods) == 0 || len(kinds) != len(p.Periods) {
		v.Add("report_periods", "invalid_choice", nil)
	}
	if len(p.Recipients) > MaxPublishedRecipients {
		v.Add("recipients", "out_of_range", map[string]any{"Min": 0, "Max": MaxPublishedRecipients})
	}
	for _, r := range p.Recipients {
		CheckText(v, "recipients", r, MaxSettingText, true)
	}
	if len(p.Fields) == 0 || len(p.Fields) > MaxPublishedFields {
		v.Add("tally_fields", "out_of_range", map[string]any{"Min": 1, "Max": MaxPublishedFields})
	}
	codes, names := map[string]bool{}, map[string]bool{}
	live := 0
	for _, f := range p.Fields {
		if !ValidFieldCode(f.Code) || codes[f.Code] {
			v.Add("tally_field_code", "invalid_choice", map[string]any{"Value": f.Code})
		}
		codes[f.Code] = true
		CheckText(v, "tally_field_name", f.Name, 100, true)
		key := vn.Fold(f.Name)
		if !f.Retired {
			live++
			if names[key] {
				v.Add("tally_field_name", "tally.field_exists", map[string]any{"Name": f.Name})
			}
			names[key] = true
		}
		if f.Position < 1 || f.Position > MaxPublishedFields {
			v.Add("position", "out_of_range", map[string]any{"Min": 1, "Max": MaxPublishedFields})
		}
	}
	if len(p.Fields) > 0 && live == 0 {
		v.Add("tally_fields", "required", nil)
	}
	return v.OrNil()
}
