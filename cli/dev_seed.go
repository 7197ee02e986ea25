package cli

import (
	"context"
	"danvan/internal/domain"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
)

// The seed commands are hidden: they make the deterministic data that
// scripts/bench.sh measures the real binary on, in a data folder made for
// it. The same arguments always give the same data (bar generated ids and
// times), so runs on different days compare.
//
//	dev seed models --count N [--year Y]
//	    N models through the interchange import (one transaction, every
//	    rule checked), and a year of monthly tallies over the office's fields
//	    so that the summary report has figures.
//	dev seed batches --out DIR --count N [--records R]
//	    N communes, each enrolled here with its own key and each sending one
//	    signed batch of R models, written to DIR, with DIR/keys.tsv
//	    (code, public key) for checking them with the stock minisign.
func init() {
	Register(Command{Group: "dev", Sub: "seed", Store: true, Run: runDevSeed})
}

func runDevSeed(ctx context.Context, e *Env, st *store.Store, args []string) error {
	if len(args) == 0 {
		return usage("cli.bad_usage", i18n.Args{"Detail": "dev seed models|batches"})
	}
	switch args[0] {
	case "models":
		return seedModelsCmd(ctx, e, st, args[1:])
	case "batches":
		return seedBatchesCmd(ctx, e, st, args[1:])
	}
	return usage("cli.bad_usage", i18n.Args{"Detail": "dev seed " + args[0]})
}

var (
	seedWorks  = []string{"Nuôi cá lồng", "Trồng khoai lang", "Nuôi dê", "Trồng bưởi đỏ", "Trồng mía tím", "Camera an ninh", "Tổ hòa giải", "Câu lạc bộ Phụ nữ không có người thân vi phạm pháp luật", "Đường hoa", "Thắp sáng đường quê"}
	seedPlaces = []string{"Mãn Đức", "Suối Hoa", "Phú Vinh", "Phú Cường", "Mỹ Hòa", "Quyết Chiến", "Phong Phú", "Tử Nê", "Thanh Hối", "Ngọc Mỹ", "Đông Lai", "Vân Sơn", "Nhân Mỹ", "Lỗ Sơn", "Ngổ Luông", "Gia Mô"}
	seedPeople = []string{"Bùi Văn Thắng", "Đinh Thị Hoa", "Quách Văn Đức", "Lò Thị Mai", "Hà Văn Sơn"}
	seedFields = []string{"Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"}
	seedBodies = []string{"Đảng ủy", "UBND", "MTTQ", "Hội Phụ nữ", "Đoàn Thanh niên", "Hội Nông dân", "Hội Cựu chiến binh"}
)

func seedModelsCmd(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("dev seed models")
	count := fs.Int("count", 1000, "")
	year := fs.Int("year", 2024, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if *count < 1 || *year < domain.MinPeriodYear || *year > domain.MaxPeriodYear {
		return usage("cli.bad_usage", i18n.Args{"Detail": fmt.Sprintf("--count %d --year %d", *count, *year)})
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	header := []string{"Loại", "Tên mô hình", "Lĩnh vực", "Năm đăng ký", "Đơn vị đăng ký", "Địa bàn", "Người phụ trách", "Nội dung thực hiện", "Kinh phí (đồng)", "Trạng thái"}
	rows := make([][]string, *count)
	for i := range rows {
		kind := "Mô hình"
		if i%3 == 2 {
			kind = "Điển hình"
		}
		place := seedPlaces[(i/7)%len(seedPlaces)]
		// Years spread over the ten years up to --year, so that a year's
		// report and the list of a year each hold a part of the models.
		rows[i] = []string{kind,
			fmt.Sprintf("%s xóm %d xã %s", seedWorks[i%len(seedWorks)], i/160+1, place),
			seedFields[i%len(seedFields)], strconv.Itoa(*year - i%10), seedBodies[i%len(seedBodies)],
			fmt.Sprintf("xóm %d, xã %s", i%40+1, place), seedPeople[i%len(seedPeople)],
			"Hướng dẫn hộ nghèo làm theo mô hình, hỗ trợ giống và kỹ thuật.",
			strconv.Itoa(1_000_000 * (i%150 + 1)), []string{"Đã đăng ký", "Đang thực hiện"}[i%2]}
	}
	res, err := st.ImportModels(ctx, actor, header, rows, nil, store.ModelImportOptions{})
	if err != nil {
		if len(res.Problems) > 0 {
			return fmt.Errorf("dev seed models: %d problems, first: %v", len(res.Problems), res.Problems[0])
		}
		return err
	}
	if err := seedYearTallies(ctx, st, actor, *year); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "models %d created, %d unchanged; tallies for %d\n", res.Created, res.Unchanged, *year)
	return nil
}

// seedYearTallies stores twelve final months over every field of the
// office, carrying each month's in-progress count into the next.
func seedYearTallies(ctx context.Context, st *store.Store, actor store.Actor, year int) error {
	self, err := st.SelfOffice(ctx)
	if err != nil {
		return err
	}
	fields, err := st.TallyFields(ctx, self.ID)
	if err != nil {
		return err
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	carry := make([]int64, len(fields))
	for m := 1; m <= 12; m++ {
		rows := make([]store.TallyInput, 0, len(fields))
		for f, fd := range fields {
			online, inPerson := int64(10+(m*7+f*3)%40), int64(20+(m*5+f*11)%60)
			received := online + inPerson + carry[f]
			early, late := received/3, int64((m+f)%3)
			onTime := received - early - late - received/10
			within, overdue := received/10-int64(f%2), int64(f%2)
			var c domain.Counts
			for col, v := range map[int]int64{domain.ColReceived: received, domain.ColOnline: online, domain.ColInPerson: inPerson,
				domain.ColCarried: carry[f], domain.ColProcessed: early + onTime + late, domain.ColEarly: early, domain.ColOnTime: onTime,
				domain.ColLate: late, domain.ColInProgress: within + overdue, domain.ColWithin: within, domain.ColOverdue: overdue} {
				c[col] = &v
			}
			carry[f] = within + overdue
			rows = append(rows, store.TallyInput{FieldID: fd.ID, Counts: c, Final: true})
		}
		if _, err := st.SaveTallies(ctx, actor, domain.MonthPeriod(year, m, set.CutoffDay), rows); err != nil {
			return fmt.Errorf("dev seed models: tallies of month %d: %w", m, err)
		}
	}
	return nil
}

func seedBatchesCmd(ctx context.Context, e *Env, st *store.Store, args []string) error {
	fs := Flags("dev seed batches")
	out := fs.String("out", "", "")
	count := fs.Int("count", 100, "")
	records := fs.Int("records", 50, "")
	pos, err := ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := NoArgs(pos); err != nil {
		return err
	}
	if err := Require(map[string]string{"out": *out}); err != nil {
		return err
	}
	if *count < 1 || *records < 1 {
		return usage("cli.bad_usage", i18n.Args{"Detail": fmt.Sprintf("--count %d --records %d", *count, *records)})
	}
	kind, ok := store.SyncKindOf("model")
	if !ok {
		return fmt.Errorf("dev seed batches: no model sync kind")
	}
	actor, err := cliActor(ctx, e, st)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	// Demo keys: the cheapest scrypt cost, as dev tanlac; a passphrase nobody
	// needs since each key signs one batch here and is dropped.
	const pass = "bench-seed-passphrase"
	src := rand.NewChaCha8([32]byte{'d', 'a', 'n', 'v', 'a', 'n'})
	rnd := rand.New(src)
	now := time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)
	// The batches are encrypted to this collecting office when it has an
	// encryption key, as communes send them (docs/batch-format.md §8).
	var recipients []string
	if self, err := st.SelfKey(ctx); err == nil && self.Recipient != "" {
		recipients = []string{self.Recipient}
	}
	keys, err := os.Create(filepath.Join(*out, "keys.tsv"))
	if err != nil {
		return err
	}
	defer keys.Close()
	for i := 0; i < *count; i++ {
		km, err := dsync.GenerateKeyWith(src, pass, dsync.FastKDF)
		if err != nil {
			return err
		}
		sg, err := dsync.Unlock(km, pass)
		if err != nil {
			return err
		}
		off := domain.Office{ID: seedUUID(rnd), Code: fmt.Sprintf("X%05d", i+1), Name: fmt.Sprintf("UBND xã số %d", i+1),
			Kind: domain.KindXa, Role: domain.RoleCommune}
		if _, err := st.EnrollOffice(ctx, actor, store.Enrollment{Office: off,
			Keys: []store.OfficeKey{{KeyID: sg.KeyID(), PublicKey: sg.PublicKey()}}}); err != nil {
			return fmt.Errorf("dev seed batches: enroll %s: %w", off.Code, err)
		}
		recs := make([]store.SyncRecord, *records)
		for r := range recs {
			recs[r] = seedSyncRecord(kind, rnd, off.ID, i, r)
		}
		plan := store.ExportPlan{Office: off, Key: store.KeyMaterial{KeyID: sg.KeyID(), PublicKey: sg.PublicKey()}, Seq: 1, Records: recs,
			Recipients: recipients}
		data, m, err := dsync.BuildBatch(plan, sg, now, nil)
		if err != nil {
			return err
		}
		if m.Encrypted() {
			if data, err = dsync.Seal(data, recipients); err != nil {
				return err
			}
		}
		if err := dsync.WriteFileAtomic(*out, m.FileName(), data); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(keys, "%s\t%s\n", off.Code, sg.PublicKey()); err != nil {
			return err
		}
	}
	if err := keys.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%d batches of %d records in %s\n", *count, *records, *out)
	return nil
}

// seedSyncRecord is one model as a commune's batch carries it.
func seedSyncRecord(kind store.SyncKind, rnd *rand.Rand, owner string, unit, n int) store.SyncRecord {
	set := map[string]any{"kind": "model", "field": string(domain.Fields[n%len(domain.Fields)]), "year": int64(2016 + n%10),
		"name": fmt.Sprintf("%s số %d, đơn vị %d", seedWorks[n%len(seedWorks)], n+1, unit+1),
		"body": string(domain.Bodies[n%7]), "location": fmt.Sprintf("xóm %d", n%40+1),
		"person_name": seedPeople[n%len(seedPeople)], "content": "Hướng dẫn hộ nghèo làm theo mô hình, hỗ trợ giống và kỹ thuật.",
		"status": "registered", "budget": int64(1_000_000 * (n%150 + 1))}
	ints := map[string]bool{"year": true, "budget": true, "workdays": true, "households": true, "people": true}
	fields := make([]any, len(kind.Fields))
	for i, f := range kind.Fields {
		switch v, ok := set[f]; {
		case ok:
			fields[i] = v
		case ints[f]:
			fields[i] = int64(0)
		default:
			fields[i] = ""
		}
	}
	return store.SyncRecord{Kind: "model", ID: seedUUID(rnd), Owner: owner, Revision: 1,
		CreatedAt: "2025-11-02T08:15:00.000000Z", UpdatedAt: "2026-01-04T09:00:00.000000Z", UpdatedBy: "canbo", Fields: fields}
}

// seedUUID is a version-4 UUID from the seeded generator.
func seedUUID(rnd *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rnd.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
