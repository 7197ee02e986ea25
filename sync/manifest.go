package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// Format is the version string of the batch format this code writes: the
// signed zip of FormatClear, encrypted with age to the collecting office
// (docs/batch-format.md §8). Its manifest says this version, so a zip
// taken out of its encryption cannot pass as a batch in clear.
const Format = "danvan-batch/2"

// FormatTo is the version a batch to a destination other than the
// primary one is written in (issue 28): danvan-batch/2 whose manifest also
// names the office it is addressed to, so that one commune's batches to two
// collecting offices can never be taken one for the other.
const FormatTo = "danvan-batch/3"

// FormatClear is the first version: the same signed zip, in clear. It is
// still written by a commune that has enrolled no encryption recipient,
// and read during the change-over (docs/batch-format.md §8.4).
const FormatClear = "danvan-batch/1"

// Member names of a batch's zip (both versions), in the order they are written.
const (
	ManifestName  = "manifest.json"
	SignatureName = "manifest.json.minisig"
	ModelsName    = "models.jsonl"
	FieldsName    = "tally_fields.jsonl"
	PeriodsName   = "periods.jsonl"
	TalliesName   = "tallies.jsonl"
	DeletionsName = "deletions.jsonl"
)

// dataMembers are the record members, in manifest and zip order.
var dataMembers = []string{ModelsName, FieldsName, PeriodsName, TalliesName, DeletionsName}

// batchMembers is every member of a batch, in zip order.
var batchMembers = append(append([]string{ManifestName}, dataMembers...), SignatureName)

// Manifest is manifest.json: who sent the batch, where it sits in the
// sender's chain, and the size and hash of every record member.
type Manifest struct {
	Format     string          `json:"format"`
	Office     ManifestOffice  `json:"office"`
	To         *ManifestOffice `json:"to,omitempty"` // danvan-batch/3 only: the office it is addressed to
	KeyID      string          `json:"key_id"`
	Seq        int64           `json:"seq"`
	PrevSHA256 string          `json:"prev_sha256"` // "" for seq 1
	CreatedAt  string          `json:"created_at"`  // RFC 3339, UTC, seconds
	Full       bool            `json:"full"`        // every owned record, not only changes
	Counts     Counts          `json:"counts"`
	Members    []MemberInfo    `json:"members"`
}

// ManifestOffice names the sending office.
type ManifestOffice struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Counts are the number of lines of each record member.
type Counts struct {
	Models      int `json:"models"`
	TallyFields int `json:"tally_fields"`
	Periods     int `json:"periods"`
	Tallies     int `json:"tallies"`
	Deletions   int `json:"deletions"`
}

// Total is the number of records of every kind.
func (c Counts) Total() int { return c.Models + c.TallyFields + c.Periods + c.Tallies + c.Deletions }

// of returns the count field of a record member.
func (c *Counts) of(member string) *int {
	switch member {
	case ModelsName:
		return &c.Models
	case FieldsName:
		return &c.TallyFields
	case PeriodsName:
		return &c.Periods
	case TalliesName:
		return &c.Tallies
	case DeletionsName:
		return &c.Deletions
	}
	return nil
}

// MemberInfo is a record member's name, size in bytes and SHA-256 (hex).
type MemberInfo struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	hexRE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	codeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,19}$`)
)

// timeLayout is how the formats write times: UTC, seconds.
const timeLayout = "2006-01-02T15:04:05Z"

// SHA256Hex is the lower-case hex SHA-256 of b, as sha256sum prints it.
func SHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// ShortHash is the first 12 hex digits of a hash, shown to people.
func ShortHash(h string) string {
	if len(h) < 12 {
		return h
	}
	return h[:12]
}

// parseManifest reads manifest.json strictly. The version is checked first,
// so that a newer format is reported as such and not as unknown fields.
func parseManifest(b []byte) (*Manifest, error) {
	if err := checkText(ManifestName, b); err != nil {
		return nil, err
	}
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fail(ProblemMalformed, ManifestName, err.Error(), nil)
	}
	if head.Format != Format && head.Format != FormatClear && head.Format != FormatTo {
		return nil, &Error{Problem: ProblemVersion, Member: ManifestName, Detail: fmt.Sprintf("%q", head.Format), Args: map[string]any{"Version": head.Format}}
	}
	var m Manifest
	if err := readDoc(ManifestName, b, &m); err != nil {
		return nil, err
	}
	return &m, m.validate()
}

func (m *Manifest) validate() error {
	bad := func(field, why string) error {
		return &Error{Problem: ProblemBadField, Member: ManifestName, Detail: field + ": " + why}
	}
	if _, err := uuid.Parse(m.Office.ID); err != nil || len(m.Office.ID) != 36 {
		return bad("office.id", "not a UUID")
	}
	if !codeRE.MatchString(m.Office.Code) {
		return bad("office.code", "not an office code")
	}
	if m.Office.Name == "" || len(m.Office.Name) > 800 {
		return bad("office.name", "empty or too long")
	}
	switch {
	case (m.Format == FormatTo) != (m.To != nil):
		return bad("to", "present exactly in danvan-batch/3")
	case m.To != nil:
		if _, err := uuid.Parse(m.To.ID); err != nil || len(m.To.ID) != 36 {
			return bad("to.id", "not a UUID")
		}
		if !codeRE.MatchString(m.To.Code) {
			return bad("to.code", "not an office code")
		}
		if m.To.Name == "" || len(m.To.Name) > 800 {
			return bad("to.name", "empty or too long")
		}
		if m.To.ID == m.Office.ID {
			return bad("to.id", "the sender itself")
		}
	}
	if _, ok := keyIDOf(m.KeyID); !ok {
		return bad("key_id", "not 16 hex digits")
	}
	if m.Seq < 1 || m.Seq > 999999 {
		return bad("seq", "out of range")
	}
	if (m.Seq == 1) != (m.PrevSHA256 == "") || (m.PrevSHA256 != "" && !hexRE.MatchString(m.PrevSHA256)) {
		return bad("prev_sha256", "must be empty exactly for seq 1, else 64 hex digits")
	}
	if t, err := time.Parse(timeLayout, m.CreatedAt); err != nil || t.Format(timeLayout) != m.CreatedAt {
		return bad("created_at", "not a UTC time in seconds")
	}
	if len(m.Members) != len(dataMembers) {
		return bad("members", "wrong number of members")
	}
	for i, mi := range m.Members {
		if mi.Name != dataMembers[i] {
			return bad("members", "unexpected name or order")
		}
		if mi.Size < 0 || !hexRE.MatchString(mi.SHA256) {
			return bad("members", "bad size or hash")
		}
	}
	return nil
}

// FileName is the name a batch is written under:
// <CODE>-<seq:06>-<yyyymmdd>.zip.age, or .zip for a batch in clear.
func (m *Manifest) FileName() string {
	t, _ := time.Parse(timeLayout, m.CreatedAt)
	name := fmt.Sprintf("%s-%06d-%s.zip", m.Office.Code, m.Seq, t.Format("20060102"))
	if m.Encrypted() {
		name += ".age"
	}
	return name
}

// Encrypted says the manifest's version is an encrypted one.
func (m *Manifest) Encrypted() bool { return m.Format == Format || m.Format == FormatTo }

// trustedComment is the line minisign signs along with the manifest, so a
// person running `minisign -V` sees which batch it is.
func (m *Manifest) trustedComment(manifestSHA string) string {
	if m.To != nil {
		return fmt.Sprintf("format:%s office:%s to:%s seq:%d manifest-sha256:%s", m.Format, m.Office.Code, m.To.Code, m.Seq, manifestSHA)
	}
	return fmt.Sprintf("format:%s office:%s seq:%d manifest-sha256:%s", m.Format, m.Office.Code, m.Seq, manifestSHA)
}
