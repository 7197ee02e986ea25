package domain

import (
	"danvan/store/vn"
	"net/url"
	"slices"
	"strings"
)

// Settings are the office's choices. Defaults come from DefaultSettings.
type Settings struct {
	CollectorName   string // the collecting office: a district, a provincial body, the MTTQ…
	Language        string // "vi" or "en"
	CutoffDay       int    // period cut-off day (chốt số liệu); 15 means 15th → 14th
	ParentBody      string // cơ quan chủ quản, first line of the printed header
	PlaceName       string // địa danh of the date line: "<PlaceName>, ngày … "
	SignerAuthority string // e.g. "TM. ỦY BAN NHÂN DÂN"
	SignerTitle     string // e.g. "CHỦ TỊCH"
	SignerName      string
	DueWorkingDays  int    // reports are due this many working days after the cut-off
	CollectorURL    string // where the collecting office serves batches (danvan serve); "" when sent by hand
	// Recipients are the "Nơi nhận" lines of the printed reports, one a
	// line; "" prints the collecting office's name alone.
	Recipients string
	// ReportPeriods are the kinds of period whose reports are owed
	// (PeriodKind values, comma-separated, most frequent first); "" is
	// monthly. A collecting office sends them down (Published.Periods).
	ReportPeriods string
	// PersonalInLists is how much of the responsible persons' personal
	// data the lists that leave the office unencrypted (XLSX, CSV, PDF)
	// carry; "" is the default of the office's role (ListPersonal).
	PersonalInLists Personal
}

// Personal is how much personal data (domain.md §6: the responsible
// person's name and phone number) a list carries.
type Personal string

const (
	PersonalAll   Personal = "all"   // names and phone numbers
	PersonalNames Personal = "names" // names; phone numbers left out
	PersonalNone  Personal = "none"  // neither
)

// Personals lists the choices, most to least.
var Personals = []Personal{PersonalAll, PersonalNames, PersonalNone}

// Valid says whether p is one of the choices.
func (p Personal) Valid() bool {
	for _, v := range Personals {
		if p == v {
			return true
		}
	}
	return false
}

// ListPersonal is what a list made here carries by default: the setting,
// or for an office that did not choose, everything at a commune (its own
// people, whom it calls) and no phone numbers at a collecting office, whose
// lists roll up many communes' people (Luật 91/2025/QH15: no more than the
// purpose needs).
func (st Settings) ListPersonal(role OfficeRole) Personal {
	if st.PersonalInLists.Valid() {
		return st.PersonalInLists
	}
	if role == RoleCollector {
		return PersonalNames
	}
	return PersonalAll
}

// DefaultSettings are what a fresh installation starts with (domain.md §2).
func DefaultSettings() Settings {
	return Settings{Language: "vi", CutoffDay: 15, DueWorkingDays: 2}
}

// Languages the interface ships in, Vietnamese first.
var Languages = []string{"vi", "en"}

// MaxSettingText bounds every text setting.
const MaxSettingText = 200

// Normalize cleans the text settings in place.
func (st *Settings) Normalize() {
	for _, p := range []*string{&st.CollectorName, &st.ParentBody, &st.PlaceName, &st.SignerAuthority, &st.SignerTitle, &st.SignerName} {
		*p = vn.Clean(*p)
	}
	st.Recipients = RecipientLines(st.Recipients)
	st.CollectorURL = strings.TrimSpace(st.CollectorURL)
}

// ValidCollectorURL says whether u can be the collecting office's address:
// http or https, a host, and nothing after the path.
func ValidCollectorURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && p.RawQuery == "" && p.Fragment == "" &&
		p.User == nil && len(u) <= MaxSettingText
}

// Validate lists every problem with st.
func (st *Settings) Validate() error {
	v := &ValidationError{}
	CheckText(v, "collector_name", st.CollectorName, MaxSettingText, true)
	CheckText(v, "parent_body", st.ParentBody, MaxSettingText, false)
	CheckText(v, "place_name", st.PlaceName, MaxSettingText, false)
	CheckText(v, "signer_authority", st.SignerAuthority, MaxSettingText, false)
	CheckText(v, "signer_title", st.SignerTitle, MaxSettingText, false)
	CheckText(v, "signer_name", st.SignerName, MaxSettingText, false)
	if _, ok := ParseReportPeriods(st.ReportPeriods); !ok {
		v.Add("report_periods", "invalid_choice", nil)
	}
	if st.Recipients != "" {
		lines := strings.Split(st.Recipients, "\n")
		if len(lines) > MaxPublishedRecipients {
			v.Add("recipients", "out_of_range", map[string]any{"Min": 0, "Max": MaxPublishedRecipients})
		}
		for _, l := range lines {
			CheckText(v, "recipients", l, MaxSettingText, false)
		}
	}
	if st.CollectorURL != "" && !ValidCollectorURL(st.CollectorURL) {
		v.Add("collector_url", "invalid_url", nil)
	}
	if st.PersonalInLists != "" && !st.PersonalInLists.Valid() {
		v.Add("personal_in_lists", "invalid_choice", nil)
	}
	if !slices.Contains(Languages, st.Language) {
		v.Add("language", "invalid_choice", nil)
	}
	if st.CutoffDay < 1 || st.CutoffDay > 28 {
		v.Add("cutoff_day", "out_of_range", map[string]any{"Min": 1, "Max": 28})
	}
	if st.DueWorkingDays < 0 || st.DueWorkingDays > 30 {
		v.Add("due_working_days", "out_of_range", map[string]any{"Min": 0, "Max": 30})
	}
	return v.OrNil()
}

func (st *Settings) Texts() map[string]*string {
	return map[string]*string{
		"collector_name":    &st.CollectorName,
		"language":          &st.Language,
		"parent_body":       &st.ParentBody,
		"place_name":        &st.PlaceName,
		"signer_authority":  &st.SignerAuthority,
		"signer_title":      &st.SignerTitle,
		"signer_name":       &st.SignerName,
		"collector_url":     &st.CollectorURL,
		"personal_in_lists": (*string)(&st.PersonalInLists),
		"recipients":        &st.Recipients,
		"report_periods":    &st.ReportPeriods,
	}
}

func (st *Settings) Ints() map[string]*int {
	return map[string]*int{"cutoff_day": &st.CutoffDay, "due_working_days": &st.DueWorkingDays}
}

// RecipientLines cleans a "Nơi nhận" list: each line NFC and trimmed,
// empty lines dropped.
func RecipientLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = vn.Clean(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// ReportKinds are the kinds of period a unit may be asked to report, most
// frequent first.
var ReportKinds = []PeriodKind{PeriodMonth, PeriodQuarter, PeriodHalf, PeriodNine, PeriodYear}

// ParseReportPeriods reads ReportPeriods: known kinds, each once, in
// ReportKinds order; "" is monthly.
func ParseReportPeriods(s string) ([]PeriodKind, bool) {
	if strings.TrimSpace(s) == "" {
		return []PeriodKind{PeriodMonth}, true
	}
	seen := map[PeriodKind]bool{}
	for _, w := range strings.Split(s, ",") {
		k := PeriodKind(strings.TrimSpace(w))
		if !slices.Contains(ReportKinds, k) {
			return nil, false
		}
		seen[k] = true
	}
	var out []PeriodKind
	for _, k := range ReportKinds {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out, true
}

// JoinReportPeriods writes kinds as ParseReportPeriods reads them.
func JoinReportPeriods(kinds []PeriodKind) string {
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = string(k)
	}
	return strings.Join(parts, ",")
}

// Periods are the kinds of period whose reports are owed.
func (st Settings) Periods() []PeriodKind {
	kinds, ok := ParseReportPeriods(st.ReportPeriods)
	if !ok {
		return []PeriodKind{PeriodMonth}
	}
	return kinds
}
