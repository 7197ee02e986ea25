// Package tanlac builds the sixteen Tân Lạc units of domain.md §5 as
// communes, each in its own data folder, and a collecting office that
// enrolls them and imports their signed batches, through files only. The
// end-to-end test checks the roll-ups against what the communes entered;
// the hidden "dev tanlac" command builds the same folders to look at the
// collecting office's screens.
//
// It imports store and sync, never ui or Fyne.
package tanlac

import (
	"context"
	"crypto/rand"
	"danvan/internal/domain"
	"fmt"
	"path/filepath"
	"time"

	"danvan/store"
	dsync "danvan/sync"
)

// Unit is one of the sixteen units.
type Unit struct {
	Code string
	Name string
	Kind domain.OfficeKind
}

// Units are Tân Lạc's units after 2019 (domain.md §5).
var Units = []Unit{
	{"MD", "Thị trấn Mãn Đức", domain.KindThiTran},
	{"SH", "Xã Suối Hoa", domain.KindXa},
	{"PV", "Xã Phú Vinh", domain.KindXa},
	{"PC", "Xã Phú Cường", domain.KindXa},
	{"MH", "Xã Mỹ Hòa", domain.KindXa},
	{"QC", "Xã Quyết Chiến", domain.KindXa},
	{"PP", "Xã Phong Phú", domain.KindXa},
	{"TN", "Xã Tử Nê", domain.KindXa},
	{"TH", "Xã Thanh Hối", domain.KindXa},
	{"NM", "Xã Ngọc Mỹ", domain.KindXa},
	{"DL", "Xã Đông Lai", domain.KindXa},
	{"VS", "Xã Vân Sơn", domain.KindXa},
	{"NHM", "Xã Nhân Mỹ", domain.KindXa},
	{"LS", "Xã Lỗ Sơn", domain.KindXa},
	{"NL", "Xã Ngổ Luông", domain.KindXa},
	{"GM", "Xã Gia Mô", domain.KindXa},
}

// The last quarter of three units goes wrong on purpose, so the
// completeness matrix has something to show.
const (
	LateUnit    = "NHM" // sends Q4 ten days after the cut-off
	DraftUnit   = "LS"  // sends Q4 without closing it
	MissingUnit = "NL"  // never sends Q4
)

// TallyFields are the TTHC fields every commune fills in the demo.
var TallyFields = []string{"ho_tich", "chung_thuc", "dat_dai"}

// ModelEntry is one model a commune registered.
type ModelEntry struct {
	Field    domain.Field
	Kind     domain.ModelKind
	Year     int
	StopYear int // 0 while it runs
}

// Entered is what the communes typed, kept apart from any roll-up so that
// a test can compute the expected figures itself.
type Entered struct {
	Models  map[string][]ModelEntry                // by unit code
	Tallies map[string]map[string][4]domain.Counts // by unit code, field code: the four quarters
}

// Demo is the folders Build made.
type Demo struct {
	Year         int
	CollectorDir string
	CommuneDirs  map[string]string // by unit code
	Entered      Entered
	Batches      int // batch files imported by the collecting office
	ReceiptDir   string
}

// Options tune Build.
type Options struct {
	Year       int    // the reporting year; models start five years before
	Passphrase string // every signing key's passphrase
	// Merge2025 also enrolls xã Mường Bi and marks Mỹ Hòa, Phú Cường and
	// Phong Phú merged into it from 01/07/2025, as the reform did.
	Merge2025 bool
}

// CollectorCode is the collecting office's code.
const CollectorCode = "BDVTL"

type commune struct {
	unit Unit
	dir  string
	st   *store.Store
	sg   *dsync.Signer
	self domain.Office
}

// Build makes root/<CODE> for each commune and root/BDVTL for the
// collecting office, enters models and four quarters of tallies in each
// commune, and carries every batch to the collecting office as a file.
// Stores are closed when it returns.
func Build(ctx context.Context, root string, opt Options) (*Demo, error) {
	if opt.Year == 0 {
		opt.Year = 2024
	}
	d := &Demo{Year: opt.Year, CommuneDirs: map[string]string{},
		Entered: Entered{Models: map[string][]ModelEntry{}, Tallies: map[string]map[string][4]domain.Counts{}}}
	d.CollectorDir = filepath.Join(root, CollectorCode)
	d.ReceiptDir = filepath.Join(root, "bien-nhan")
	col, err := setUp(ctx, d.CollectorDir, Unit{CollectorCode, "Ban Dân vận Huyện ủy Tân Lạc", domain.KindHuyen}, domain.RoleCollector, opt.Passphrase)
	if err != nil {
		return nil, err
	}
	defer col.st.Close()
	var communes []*commune
	defer func() {
		for _, c := range communes {
			c.st.Close()
		}
	}()
	for i, u := range Units {
		dir := filepath.Join(root, u.Code)
		d.CommuneDirs[u.Code] = dir
		c, err := setUp(ctx, dir, u, domain.RoleCommune, opt.Passphrase)
		if err != nil {
			return nil, err
		}
		communes = append(communes, c)
		if err := enroll(ctx, c, col); err != nil {
			return nil, err
		}
		if err := enroll(ctx, col, c); err != nil {
			return nil, err
		}
		models, err := enterModels(ctx, c, i, opt.Year)
		if err != nil {
			return nil, fmt.Errorf("%s: models: %w", u.Code, err)
		}
		d.Entered.Models[u.Code] = models
	}
	for q := 1; q <= 4; q++ {
		spec := domain.QuarterPeriod(opt.Year, q, 15)
		for i, c := range communes {
			code := c.unit.Code
			if q == 4 && code == MissingUnit {
				continue
			}
			if err := enterQuarter(ctx, c, i, q, spec, d); err != nil {
				return nil, fmt.Errorf("%s Q%d: %w", code, q, err)
			}
			sent := clock(spec.End, 1, 10)
			if q == 4 && code == LateUnit {
				sent = clock(spec.End, 10, 10)
			}
			res, err := dsync.Export(ctx, c.st, store.System, c.sg, c.dir, dsync.ExportOptions{Now: func() time.Time { return sent }})
			if err != nil {
				return nil, fmt.Errorf("%s Q%d: export: %w", code, q, err)
			}
			// The file reaches the district the next morning (08:00 in Vietnam).
			arrive := clock(sent, 1, 1)
			col.st.Now = func() time.Time { return arrive }
			r := dsync.ImportFileWith(ctx, col.st, store.System, col.dir, res.Path, dsync.Options{Key: col.sg})
			if r.Err != nil {
				return nil, fmt.Errorf("%s Q%d: import %s: %w", code, q, filepath.Base(res.Path), r.Err)
			}
			d.Batches++
		}
	}
	for _, c := range communes {
		if _, err := dsync.WriteReceipt(ctx, col.st, store.System, col.sg, col.dir, c.self.ID, d.ReceiptDir, col.st.Now()); err != nil {
			return nil, err
		}
	}
	if opt.Merge2025 {
		if err := merge2025(ctx, col, opt.Passphrase); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// clock is days after day t at hour h UTC.
func clock(t time.Time, days, h int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+days, h, 0, 0, 0, time.UTC)
}

func setUp(ctx context.Context, dir string, u Unit, role domain.OfficeRole, pass string) (*commune, error) {
	st, err := store.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	// The demo's passphrase is public: its keys need no costly scrypt.
	km, err := dsync.GenerateKeyWith(rand.Reader, pass, dsync.FastKDF)
	if err == nil {
		set := domain.DefaultSettings()
		set.CollectorName = "Ban Dân vận Huyện ủy Tân Lạc"
		set.ParentBody = "Huyện ủy Tân Lạc"
		if role == domain.RoleCollector {
			set.CollectorName = "Ban Dân vận Tỉnh ủy Hòa Bình"
		}
		set.SignerName = "Bùi Văn Minh"
		st.Now = func() time.Time { return time.Date(2019, 1, 2, 1, 0, 0, 0, time.UTC) }
		var self domain.Office
		self, err = st.Setup(ctx, store.SetupInput{Office: domain.Office{Code: u.Code, Name: u.Name, Kind: u.Kind, Role: role}, Settings: set, Key: &km})
		if err == nil {
			var sg *dsync.Signer
			if sg, err = dsync.Unlock(km, pass); err == nil {
				return &commune{unit: u, dir: dir, st: st, sg: sg, self: self}, nil
			}
		}
	}
	st.Close()
	return nil, err
}

// enroll makes b know a, as b would by importing a's enrollment file after
// reading the fingerprint over the phone.
func enroll(ctx context.Context, a, b *commune) error {
	data, err := dsync.ExportEnrollment(ctx, a.st, a.sg, a.st.Now())
	if err != nil {
		return err
	}
	_, _, err = dsync.Enroll(ctx, b.st, store.System, a.unit.Code+"-enrollment.zip", data, dsync.Fingerprint(a.sg.KeyID()))
	return err
}

var modelNames = map[domain.Field][]string{
	domain.FieldEconomy:   {"Nuôi cá lồng", "Trồng khoai lang", "Nuôi dê", "Trồng bưởi đỏ", "Trồng mía tím"},
	domain.FieldCulture:   {"Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", "Xây dựng khu dân cư văn hóa", "Tủ sách cộng đồng"},
	domain.FieldDefence:   {"Camera an ninh", "Tổ hòa giải ở cơ sở"},
	domain.FieldPolitical: {"Dân vận chính quyền"},
}

// enterModels registers unit i's models: a few from five years before the
// report's year, the rest in it; unit 3 stopped one two years before.
func enterModels(ctx context.Context, c *commune, i, year int) ([]ModelEntry, error) {
	var plan []ModelEntry
	add := func(f domain.Field, n, y int) {
		for k := 0; k < n; k++ {
			plan = append(plan, ModelEntry{Field: f, Kind: domain.KindModel, Year: y})
		}
	}
	add(domain.FieldEconomy, 1, year-5)
	add(domain.FieldEconomy, i%3, year)
	add(domain.FieldCulture, 1, year-4)
	add(domain.FieldCulture, 1+i%2, year)
	add(domain.FieldDefence, i%2, year-5)
	if i%5 == 0 {
		add(domain.FieldPolitical, 1, year)
	}
	if i%4 == 1 {
		plan = append(plan, ModelEntry{Field: domain.FieldCulture, Kind: domain.KindExemplar, Year: year - 1})
	}
	if i == 3 {
		plan = append(plan, ModelEntry{Field: domain.FieldEconomy, Kind: domain.KindModel, Year: year - 5, StopYear: year - 2})
	}
	for k, e := range plan {
		names := modelNames[e.Field]
		c.st.Now = func() time.Time { return time.Date(e.Year, 3, 1, 2, 0, 0, 0, time.UTC) }
		m, err := c.st.SaveModel(ctx, store.System, domain.Model{
			Kind: e.Kind, Name: fmt.Sprintf("%s (%s, số %d)", names[k%len(names)], c.unit.Name, k+1), Field: e.Field, Year: e.Year,
			Body: domain.BodyFront, PersonName: "Nguyễn Thị Hoa", PersonTitle: "Chủ tịch UBMTTQ", Location: "Thôn " + fmt.Sprint(k+1),
			Content: "Tuyên truyền, vận động nhân dân tham gia", Tasks: "Họp thôn hằng tháng; hướng dẫn kỹ thuật",
		})
		if err != nil {
			return nil, err
		}
		if e.StopYear != 0 {
			c.st.Now = func() time.Time { return time.Date(e.StopYear, 5, 2, 2, 0, 0, 0, time.UTC) }
			if _, err := c.st.ChangeModelStatus(ctx, store.System, m.ID, m.Revision, domain.StatusChange{To: domain.StatusDiscontinued,
				On: time.Date(e.StopYear, 5, 1, 0, 0, 0, 0, time.UTC), Reason: "Không còn phù hợp"}); err != nil {
				return nil, err
			}
		}
	}
	return plan, nil
}

// quarterCounts is unit i's row of field f for quarter q, carrying carry
// over from the quarter before, consistent in every identity.
func quarterCounts(i, f, q int, carry int64) domain.Counts {
	c4 := int64(20 + 3*i + 5*q + f)
	c5 := int64(10 + (7*i+q+f)%9)
	avail := carry + c4 + c5
	early, onTime, late := avail/2, avail/4, int64((i+q+f)%3)
	inProg := avail - early - onTime - late
	overdue := inProg / 5
	var c domain.Counts
	c[domain.ColReceived], c[domain.ColOnline], c[domain.ColInPerson], c[domain.ColCarried] = domain.V(avail), domain.V(c4), domain.V(c5), domain.V(carry)
	c[domain.ColProcessed], c[domain.ColEarly], c[domain.ColOnTime], c[domain.ColLate] = domain.V(early+onTime+late), domain.V(early), domain.V(onTime), domain.V(late)
	c[domain.ColInProgress], c[domain.ColWithin], c[domain.ColOverdue] = domain.V(inProg), domain.V(inProg-overdue), domain.V(overdue)
	return c
}

func enterQuarter(ctx context.Context, c *commune, i, q int, spec domain.PeriodSpec, d *Demo) error {
	fields, err := c.st.TallyFields(ctx, "")
	if err != nil {
		return err
	}
	byCode := map[string]string{}
	for _, f := range fields {
		byCode[f.Code] = f.ID
	}
	code := c.unit.Code
	if d.Entered.Tallies[code] == nil {
		d.Entered.Tallies[code] = map[string][4]domain.Counts{}
	}
	final := !(q == 4 && code == DraftUnit)
	var rows []store.TallyInput
	for f, fc := range TallyFields {
		qs := d.Entered.Tallies[code][fc]
		carry := int64(3 + i%4)
		if q > 1 {
			carry = *qs[q-2][domain.ColInProgress]
		}
		qs[q-1] = quarterCounts(i, f, q, carry)
		d.Entered.Tallies[code][fc] = qs
		rows = append(rows, store.TallyInput{FieldID: byCode[fc], Counts: qs[q-1], Final: final})
	}
	c.st.Now = func() time.Time { return clock(spec.End, 1, 2) }
	if _, err := c.st.SaveTallies(ctx, store.System, spec, rows); err != nil {
		return err
	}
	if !final {
		return nil
	}
	c.st.Now = func() time.Time { return clock(spec.End, 1, 3) }
	return c.st.ClosePeriod(ctx, store.System, spec)
}

// merge2025 enrolls xã Mường Bi and merges three units into it.
func merge2025(ctx context.Context, col *commune, pass string) error {
	dir := filepath.Join(filepath.Dir(col.dir), "MB")
	mb, err := setUp(ctx, dir, Unit{"MB", "Xã Mường Bi", domain.KindXa}, domain.RoleCommune, pass)
	if err != nil {
		return err
	}
	defer mb.st.Close()
	if err := enroll(ctx, mb, col); err != nil {
		return err
	}
	offices, err := col.st.Offices(ctx)
	if err != nil {
		return err
	}
	ids := map[string]string{}
	for _, o := range offices {
		ids[o.Code] = o.ID
	}
	for _, code := range []string{"MH", "PC", "PP"} {
		if err := col.st.MergeOffice(ctx, store.System, ids[code], ids["MB"], time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return err
		}
	}
	return nil
}
