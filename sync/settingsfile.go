package sync

import (
	"context"
	"danvan/internal/domain"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"danvan/store"
	"danvan/store/vn"
)

// SettingsFormat is the version of settings files: what a collecting
// office sends down to the units that report to it (issue 28,
// docs/batch-format.md §10). Signed, not encrypted: it holds no personal
// data.
const SettingsFormat = "danvan-settings/1"

// Member names of a settings file.
const (
	SettingsName    = "settings.json"
	SettingsSigName = "settings.json.minisig"
)

// settingsLimits bound a settings file: 200 fields and 20 recipients fit
// in far less.
var settingsLimits = Limits{File: 1 << 20, Member: 1 << 20, Total: 1 << 20}

// SettingsDoc is settings.json.
type SettingsDoc struct {
	Format         string          `json:"format"`
	From           ManifestOffice  `json:"from"`
	KeyID          string          `json:"key_id"`
	Version        int64           `json:"version"`
	CreatedAt      string          `json:"created_at"`
	CollectorName  string          `json:"collector_name"`
	CutoffDay      int             `json:"cutoff_day"`
	DueWorkingDays int             `json:"due_working_days"`
	Recipients     []string        `json:"recipients"`
	Periods        []string        `json:"periods"`
	Fields         []SettingsField `json:"tally_fields"`
}

// SettingsField is one TTHC field of a settings file.
type SettingsField struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	Retired  bool   `json:"retired"`
}

// FileName is the name a settings file is written under.
func (d *SettingsDoc) FileName() string {
	return fmt.Sprintf("%s-settings-v%d.zip", d.From.Code, d.Version)
}

// Published is the document as the store applies it.
func (d *SettingsDoc) Published() domain.Published {
	p := domain.Published{Version: d.Version, CollectorName: d.CollectorName, CutoffDay: d.CutoffDay, DueWorkingDays: d.DueWorkingDays,
		Recipients: d.Recipients}
	for _, k := range d.Periods {
		p.Periods = append(p.Periods, domain.PeriodKind(k))
	}
	for _, f := range d.Fields {
		p.Fields = append(p.Fields, domain.PublishedField{Code: f.Code, Name: f.Name, Position: f.Position, Retired: f.Retired})
	}
	return p
}

func settingsComment(d *SettingsDoc, sha string) string {
	return fmt.Sprintf("format:%s from:%s version:%d sha256:%s", SettingsFormat, d.From.Code, d.Version, sha)
}

// BuildSettings writes and signs the settings file of p.
func BuildSettings(self domain.Office, p domain.Published, sg *Signer, now time.Time) ([]byte, *SettingsDoc, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	d := &SettingsDoc{Format: SettingsFormat, From: ManifestOffice{ID: self.ID, Code: self.Code, Name: self.Name}, KeyID: sg.KeyID(),
		Version: p.Version, CreatedAt: now.UTC().Format(timeLayout), CollectorName: p.CollectorName, CutoffDay: p.CutoffDay,
		DueWorkingDays: p.DueWorkingDays, Recipients: p.Recipients, Fields: []SettingsField{}}
	if d.Recipients == nil {
		d.Recipients = []string{}
	}
	d.Periods = []string{}
	for _, k := range p.Periods {
		d.Periods = append(d.Periods, string(k))
	}
	for _, f := range p.Fields {
		d.Fields = append(d.Fields, SettingsField{Code: f.Code, Name: f.Name, Position: f.Position, Retired: f.Retired})
	}
	doc, err := marshalCanonical(d)
	if err != nil {
		return nil, nil, err
	}
	sig := sg.signText(doc, settingsComment(d, SHA256Hex(doc)))
	data, err := writeZip([]member{{SettingsName, doc}, {SettingsSigName, sig}})
	return data, d, err
}

// PublishedDir is where a collecting office keeps what it published; its
// server (danvan serve) hands the latest one to the units that send to it.
func PublishedDir(dataDir string) string { return filepath.Join(dataDir, "published") }

// LatestSettingsName is the latest settings file in PublishedDir.
const LatestSettingsName = "latest-settings.zip"

// PublishSettings signs this collecting office's settings and field list
// under the next version, records that version as published and keeps the
// file in the data folder (PublishedDir) for danvan serve to hand out.
func PublishSettings(ctx context.Context, st *store.Store, actor store.Actor, sg *Signer, dataDir string, now time.Time) ([]byte, *SettingsDoc, error) {
	if err := actor.MayExport(store.ExportEnrollment); err != nil {
		return nil, nil, err
	}
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := st.OwnPublished(ctx)
	if err != nil {
		return nil, nil, err
	}
	data, d, err := BuildSettings(self, p, sg, now)
	if err != nil {
		return nil, nil, err
	}
	if err := st.RecordPublished(ctx, actor, d.Version); err != nil {
		return nil, nil, err
	}
	if dataDir != "" {
		dir := PublishedDir(dataDir)
		if err := WriteFileAtomic(dir, d.FileName(), data); err != nil {
			return nil, nil, err
		}
		// The latest one replaces the one before: a fresh name, then a rename.
		if err := WriteFileAtomic(dir, "."+d.FileName()+".latest", data); err != nil {
			return nil, nil, err
		}
		if err := os.Rename(filepath.Join(dir, "."+d.FileName()+".latest"), filepath.Join(dir, LatestSettingsName)); err != nil {
			return nil, nil, err
		}
	}
	return data, d, nil
}

// SettingsInbox is where a unit keeps a settings file its collecting
// office's server handed it, until someone applies it.
func SettingsInbox(dataDir string) string { return filepath.Join(dataDir, "settings-inbox") }

// KeepOffered checks a settings file that arrived with a receipt over the
// network and keeps it in SettingsInbox when it is newer than the one
// applied from that office; it returns the file kept, or "" when there is
// nothing new. Nothing is applied: a person looks at the changes first.
func KeepOffered(ctx context.Context, st *store.Store, dataDir string, data []byte) (string, *SettingsDoc, error) {
	d, err := ReadSettings(ctx, st, "settings.zip", data)
	if err != nil {
		return "", nil, err
	}
	// Only the office that collects this unit's tallies sets them.
	if dest, err := st.Destination(ctx, d.From.ID); err != nil || !dest.Receives(domain.DataTallies) {
		return "", d, nil
	}
	last, err := st.PublishedVersion(ctx, d.From.ID)
	if err != nil || d.Version <= last {
		return "", d, err
	}
	path := filepath.Join(SettingsInbox(dataDir), d.FileName())
	if err := WriteFileAtomic(SettingsInbox(dataDir), d.FileName(), data); err != nil && !errors.Is(err, ErrFileExists) {
		return "", d, err
	}
	return path, d, nil
}

// ReadSettings checks a settings file: layout, strict JSON in NFC, sane
// values, and a signature by a key enrolled here for the office it comes
// from. A file from an office not enrolled here is refused.
func ReadSettings(ctx context.Context, trust Trust, name string, data []byte) (*SettingsDoc, error) {
	d, err := readSettings(ctx, trust, data)
	var e *Error
	if errors.As(err, &e) && e.File == "" {
		e.File = filepath.Base(name)
	}
	return d, err
}

func readSettings(ctx context.Context, trust Trust, data []byte) (*SettingsDoc, error) {
	if IsEncrypted(data) {
		return nil, &Error{Problem: ProblemOtherKind, Detail: "an encrypted file, not a settings file"}
	}
	members, err := readZip(data, []string{SettingsName, SettingsSigName}, settingsLimits)
	if err != nil {
		return nil, err
	}
	doc := members[SettingsName]
	if err := checkText(SettingsName, doc); err != nil {
		return nil, err
	}
	var head struct {
		Format string `json:"format"`
	}
	if err := decodeLoose(doc, &head); err != nil || head.Format != SettingsFormat {
		return nil, &Error{Problem: ProblemVersion, Member: SettingsName, Args: map[string]any{"Version": vn.Printable(head.Format)}}
	}
	var d SettingsDoc
	if err := readDoc(SettingsName, doc, &d); err != nil {
		return nil, err
	}
	if !validTime(d.CreatedAt) || !codeRE.MatchString(d.From.Code) {
		return nil, fail(ProblemBadField, SettingsName, "from or created_at", nil)
	}
	p := d.Published()
	if err := p.Validate(); err != nil {
		return nil, &Error{Problem: ProblemBadField, Member: SettingsName, Detail: err.Error(), Err: err}
	}
	from, err := trust.Office(ctx, d.From.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Problem: ProblemUnknownOffice, Args: map[string]any{"Office": d.From.Code, "Name": d.From.Name}}
	} else if err != nil {
		return nil, err
	}
	if from.Self {
		return nil, &Error{Problem: ProblemWrongOffice, Detail: "this office's own settings file", Args: map[string]any{"Office": d.From.Code}}
	}
	if err := verifySignedBy(ctx, trust, from, d.KeyID, SettingsSigName, doc, members[SettingsSigName], settingsComment(&d, SHA256Hex(doc))); err != nil {
		return nil, err
	}
	return &d, nil
}

// PlanSettings reads a settings file and says what applying it would
// change here; it changes nothing.
func PlanSettings(ctx context.Context, st *store.Store, name string, data []byte) (*SettingsDoc, store.PublishedPlan, error) {
	d, err := ReadSettings(ctx, st, name, data)
	if err != nil {
		return nil, store.PublishedPlan{}, err
	}
	plan, err := st.PlanPublished(ctx, d.From.ID, d.Published())
	return d, plan, err
}

// ApplySettings reads a settings file and applies it.
func ApplySettings(ctx context.Context, st *store.Store, actor store.Actor, name string, data []byte) (*SettingsDoc, store.PublishedPlan, error) {
	d, err := ReadSettings(ctx, st, name, data)
	if err != nil {
		return nil, store.PublishedPlan{}, err
	}
	plan, err := st.ApplyPublished(ctx, actor, d.From.ID, d.Published())
	return d, plan, err
}
