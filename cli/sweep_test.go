package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"danvan/internal/domain"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"danvan/report/sheet"
	"danvan/store"
)

// The bad-input sweep: one table of hostile or broken input across the
// command line's flags, CSV and XLSX import, batch import, the store calls
// behind the forms, a read-only data folder and a full disk. Each case must
// end with a clear message (in words, not a Go error) and must store
// nothing: a fingerprint of the data folders is taken before and after.
//
// The read-only folder and the full disk use real file systems: a tmpfs
// remounted read-only, and a 3 MB tmpfs filled up. That needs mount (root
// with CAP_SYS_ADMIN); without it, a non-root run uses a folder without
// write permission instead, and the full-disk case is skipped with a note.

// sweepFixture is the folders the cases work on.
type sweepFixture struct {
	sh, shPass   string // a commune with a signing key, enrolled at htl
	htl, htlPass string // a collecting office
	pv, pvPass   string // a commune htl has never enrolled
	fake         string // another folder calling itself SH, with its own key
	files        string // where cases write their input files
	batches      map[string]string
}

func newSweepFixture(t *testing.T) *sweepFixture {
	f := &sweepFixture{files: t.TempDir(), batches: map[string]string{}}
	f.sh, f.shPass = syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	f.htl, f.htlPass = syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	var fakePass string
	f.pv, f.pvPass = syncInit(t, "PV", "UBND xã Phú Vinh", "xa", "commune")
	f.fake, fakePass = syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	enr := filepath.Join(t.TempDir(), "SH-enrollment.zip")
	mustRun(t, 0, "--data", f.sh, "enrollment", "export", enr, "--passphrase-file", f.shPass)
	mustRun(t, 0, "--data", f.htl, "offices", "enroll", enr)

	export := func(dir, pass, name string) {
		addModel(t, dir, "Mô hình "+name)
		out := t.TempDir()
		mustRun(t, 0, "--data", dir, "batch", "export", "--out", out, "--passphrase-file", pass)
		zips, _ := filepath.Glob(filepath.Join(out, "*.zip"))
		if len(zips) != 1 {
			t.Fatalf("batch export %s: %v", name, zips)
		}
		f.batches[name] = zips[0]
	}
	export(f.sh, f.shPass, "sh1")
	export(f.sh, f.shPass, "sh2")
	export(f.pv, f.pvPass, "pv1")
	export(f.fake, fakePass, "fake1")
	return f
}

// write puts data into a file for a case and returns its path.
func (f *sweepFixture) write(t *testing.T, name string, data []byte) string {
	p := filepath.Join(f.files, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *sweepFixture) xlsx(t *testing.T, name string, header []string, rows ...[]string) string {
	p := filepath.Join(f.files, name)
	if err := sheet.WriteFile(p, &sheet.Table{Header: header, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return p
}

// fingerprint sums up what a folder stores, through the store's own
// methods: any stored change moves at least one of these numbers.
func fingerprint(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		return "unopenable: " + err.Error()
	}
	defer st.Close()
	unsent, err1 := st.UnsentChanges(ctx)
	models, err2 := st.CountModels(ctx, store.ModelFilter{})
	offices, err3 := st.Offices(ctx)
	users, err4 := st.Users(ctx)
	periods, err5 := st.Periods(ctx, "")
	quarantined, err6 := st.QuarantinedBatches(ctx)
	received := 0
	for _, o := range offices {
		rb, err := st.ReceivedBatches(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		received += len(rb)
	}
	for _, err := range []error{err1, err2, err3, err4, err5, err6} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("unsent=%d models=%d offices=%d users=%d periods=%d received=%d quarantined=%d",
		unsent, models, len(offices), len(users), len(periods), received, len(quarantined))
}

const modelsHeader = "Tên mô hình;Loại;Lĩnh vực;Năm đăng ký;Đơn vị đăng ký;Người phụ trách;Nội dung thực hiện;Kinh phí (đồng);Thời gian bắt đầu\n"

func modelRow(name, field, year, budget, start string) string {
	return strings.Join([]string{name, "Mô hình", field, year, "Hội Nông dân", "Bùi Văn Thắng", "Nuôi cá lồng.", budget, start}, ";") + "\n"
}

var modelsXLSXHeader = []string{"Tên mô hình", "Loại", "Lĩnh vực", "Năm đăng ký", "Đơn vị đăng ký", "Người phụ trách", "Nội dung thực hiện", "Kinh phí (đồng)"}

func xlsxModel(name, year, budget string) []string {
	return []string{name, "Mô hình", "Kinh tế", year, "Hội Nông dân", "Bùi Văn Thắng", "Nuôi cá lồng.", budget}
}

func junk(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*131 + 17)
	}
	return b
}

type sweepCase struct {
	name string
	// args builds the command line after "--data DIR --lang en"; dir says
	// which folder the command runs on.
	dir  func(f *sweepFixture) string
	args func(t *testing.T, f *sweepFixture) []string
	// call, instead of args, calls the store as a form does.
	call func(ctx context.Context, st *store.Store) error
	code int    // exit code wanted (commands)
	msg  string // part of the message a person reads (English)
	// quarantine: the file is set aside (copied and listed for the head to
	// enroll its office) but none of its records is applied.
	quarantine bool
	// accepted: the input is readable and applied by design; the case
	// checks only that the message names the problem.
	accepted bool
	// fs, for "readonly" and "full", runs the command on a folder on a
	// read-only or a full file system made for the case.
	fs string
}

func onSH(f *sweepFixture) string  { return f.sh }
func onHTL(f *sweepFixture) string { return f.htl }

func sweepCases() []sweepCase {
	long := strings.Repeat("Nội dung rất dài. ", 6000) // about 100 KB
	lit := func(a ...string) func(*testing.T, *sweepFixture) []string {
		return func(*testing.T, *sweepFixture) []string { return a }
	}
	csvFile := func(name, body string) func(*testing.T, *sweepFixture) []string {
		return func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", f.write(t, name, []byte(body))}
		}
	}
	tallyFile := func(name, body string) func(*testing.T, *sweepFixture) []string {
		return func(t *testing.T, f *sweepFixture) []string {
			return []string{"tallies", "import", f.write(t, name, []byte(body))}
		}
	}
	xlsxFile := func(name string, rows ...[]string) func(*testing.T, *sweepFixture) []string {
		return func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", f.xlsx(t, name, modelsXLSXHeader, rows...)}
		}
	}
	batch := func(name string) func(*testing.T, *sweepFixture) []string {
		return func(t *testing.T, f *sweepFixture) []string {
			return []string{"batch", "import", f.batches[name]}
		}
	}
	model := func(change func(*domain.Model)) func(context.Context, *store.Store) error {
		return func(ctx context.Context, st *store.Store) error {
			m := domain.Model{Kind: domain.KindModel, Name: "Nuôi dê", Field: domain.FieldEconomy, Year: 2024,
				Body: domain.BodyFarmers, PersonName: "Bùi Văn Thắng", Content: "Nuôi dê sinh sản."}
			change(&m)
			_, err := st.SaveModel(ctx, store.System, m)
			return err
		}
	}
	const th = "Kỳ báo cáo;Lĩnh vực;(3);(4);(5);(6);(7);(8);(9);(10);(11);(12);(13)\n"
	return []sweepCase{
		// Command-line flags.
		{name: "flag: unknown global flag", dir: onSH, args: lit("--bogus", "check"), code: ExitUsage, msg: "--bogus"},
		{name: "flag: unknown command", dir: onSH, args: lit("frobnicate"), code: ExitUsage, msg: "frobnicate"},
		{name: "flag: import without a file", dir: onSH, args: lit("models", "import"), code: ExitUsage, msg: "one .csv or .xlsx"},
		{name: "flag: close without a period", dir: onSH, args: lit("tallies", "close"), code: ExitUsage, msg: "--period"},
		{name: "flag: month 13", dir: onSH, args: lit("tallies", "close", "--period", "2024-M13"), code: ExitUsage, msg: "2024-M13"},
		{name: "flag: period not written as a period", dir: onSH, args: lit("tallies", "export", "x.csv", "--period", "tháng tư"), code: ExitUsage, msg: "tháng tư"},
		{name: "flag: negative count", dir: onSH, args: lit("dev", "stress-save", "--count", "-5"), code: ExitUsage, msg: "-5"},
		{name: "flag: count overflows", dir: onSH, args: lit("dev", "stress-save", "--count", "99999999999999999999999"), code: ExitUsage, msg: "99999999999999999999999"},
		{name: "flag: count not a number", dir: onSH, args: lit("dev", "stress-save", "--count", "mười"), code: ExitUsage, msg: "mười"},
		{name: "flag: init on a set-up folder", dir: onSH, args: lit("init", "--office-name", "Khác", "--office-code", "KH", "--kind", "xa", "--role", "commune", "--collector-name", "Huyện"), code: ExitOther, msg: "already set up"},
		{name: "flag: restore a binary file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"restore", f.write(t, "junk.db", junk(9000))}
		}, code: ExitOther, msg: "not a danvan backup"},
		{name: "flag: restore an empty file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"restore", f.write(t, "empty.db", nil)}
		}, code: ExitOther, msg: "not a danvan backup"},
		{name: "flag: backup over an existing file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"backup", "--out", f.write(t, "exists.db", []byte("x"))}
		}, code: ExitOther, msg: "already exists"},

		// Models CSV import.
		{name: "csv: empty file", dir: onSH, args: csvFile("empty.csv", ""), code: ExitOther, msg: "empty"},
		{name: "csv: binary file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", f.write(t, "binary.csv", junk(4000))}
		}, code: ExitOther, msg: "neither a text table"},
		{name: "csv: header without name column", dir: onSH, args: csvFile("noname.csv", "Loại;Lĩnh vực\nMô hình;Kinh tế\n"), code: ExitRule, msg: "Tên mô hình"},
		{name: "csv: negative budget", dir: onSH, args: csvFile("negative.csv", modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2024", "-5.000.000", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: budget overflows", dir: onSH, args: csvFile("overflow.csv", modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2024", "99999999999999999999999", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: year in words", dir: onSH, args: csvFile("year.csv", modelsHeader+modelRow("Nuôi cá", "Kinh tế", "hai nghìn", "", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: future year", dir: onSH, args: csvFile("future.csv", modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2999", "", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: unknown field", dir: onSH, args: csvFile("field.csv", modelsHeader+modelRow("Nuôi cá", "Thể thao", "2024", "", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: 31 February", dir: onSH, args: csvFile("date.csv", modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2024", "", "31/02/2024")), code: ExitRule, msg: "Row 2"},
		{name: "csv: control characters", dir: onSH, args: csvFile("control.csv", modelsHeader+modelRow("Nuôi\x07 cá\x1b[31m", "Kinh tế", "2024", "", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: 100 KB name", dir: onSH, args: csvFile("long.csv", modelsHeader+modelRow(long, "Kinh tế", "2024", "", "")), code: ExitRule, msg: "Row 2"},
		{name: "csv: one bad row stops all", dir: onSH, args: csvFile("mixed.csv", modelsHeader+modelRow("Nuôi cá lồng", "Kinh tế", "2024", "", "")+modelRow("Nuôi dê", "Kinh tế", "2024", "-1", "")), code: ExitRule, msg: "Row 3"},
		{name: "csv: tab-separated, no known header", dir: onSH, args: csvFile("tabs.csv", strings.ReplaceAll(modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2024", "", ""), ";", "\t")), code: ExitRule, msg: "Tên mô hình"},
		{name: "csv: NFD enum values still wrong", dir: onSH, args: csvFile("nfd.csv", modelsHeader+modelRow("Nuo\u0302\u0301i ca\u0301", "The\u0302\u0309 thao", "2024", "", "")), code: ExitRule, msg: "Row 2"},

		// Models XLSX import.
		{name: "xlsx: empty file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", f.write(t, "empty.xlsx", nil)}
		}, code: ExitOther, msg: "empty"},
		{name: "xlsx: binary file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", f.write(t, "binary.xlsx", junk(5000))}
		}, code: ExitOther, msg: "not a readable Excel"},
		{name: "xlsx: CSV text named .xlsx", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", f.write(t, "text.xlsx", []byte(modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2024", "", "")))}
		}, code: ExitOther, msg: "not a readable Excel"},
		{name: "xlsx: negative budget", dir: onSH, args: xlsxFile("negative.xlsx", xlsxModel("Nuôi cá", "2024", "-300")), code: ExitRule, msg: "Row 2"},
		{name: "xlsx: year as text", dir: onSH, args: xlsxFile("year.xlsx", xlsxModel("Nuôi cá", "năm ngoái", "")), code: ExitRule, msg: "Row 2"},
		{name: "xlsx: 100 KB name", dir: onSH, args: xlsxFile("long.xlsx", xlsxModel(long[:30000], "2024", "")), code: ExitRule, msg: "Row 2"},
		{name: "xlsx: control characters", dir: onSH, args: xlsxFile("control.xlsx", xlsxModel("Nuôi\x01cá", "2024", "")), code: ExitRule, msg: "Row 2"},
		{name: "xlsx: overflow", dir: onSH, args: xlsxFile("overflow.xlsx", xlsxModel("Nuôi cá", "2024", "1e30")), code: ExitRule, msg: "Row 2"},

		// Tallies import.
		{name: "tallies: negative count", dir: onSH, args: tallyFile("neg.csv", th+"2024-M04;Hộ tịch;-3;;;;;;;;;;\n"), code: ExitRule, msg: "-3"},
		{name: "tallies: count overflows", dir: onSH, args: tallyFile("over.csv", th+"2024-M04;Hộ tịch;99999999999999999999;;;;;;;;;;\n"), code: ExitRule, msg: "99999999999999999999"},
		{name: "tallies: count in words", dir: onSH, args: tallyFile("words.csv", th+"2024-M04;Hộ tịch;mười;;;;;;;;;;\n"), code: ExitRule, msg: "mười"},
		{name: "tallies: bad period", dir: onSH, args: tallyFile("period.csv", th+"2024-M13;Hộ tịch;1;1;;;1;1;;;;;\n"), code: ExitRule, msg: "2024-M13"},
		{name: "tallies: future period", dir: onSH, args: tallyFile("future.csv", th+"2999-M01;Hộ tịch;1;1;;;1;1;;;;;\n"), code: ExitRule, msg: "2999"},
		{name: "tallies: empty file", dir: onSH, args: tallyFile("empty.csv", ""), code: ExitOther, msg: "empty"},
		{name: "tallies: binary file", dir: onSH, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"tallies", "import", f.write(t, "binary-t.csv", junk(3000))}
		}, code: ExitOther, msg: "neither a text table"},

		// Batch import at the collecting office.
		{name: "batch: binary file", dir: onHTL, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"batch", "import", f.write(t, "SH-000009-junk.zip", junk(7000))}
		}, code: ExitRule, msg: "SH-000009-junk.zip"},
		{name: "batch: empty file", dir: onHTL, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"batch", "import", f.write(t, "SH-000010-empty.zip", nil)}
		}, code: ExitRule, msg: "SH-000010-empty.zip"},
		{name: "batch: signed with another key", dir: onHTL, args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"batch", "import", swapSignature(t, f, f.batches["sh1"], f.batches["fake1"])}
		}, code: ExitRule, msg: "SH-000001-resigned.zip"},
		{name: "batch: unknown office is set aside", dir: onHTL, args: batch("pv1"), code: ExitRule, msg: "not enrolled", quarantine: true},
		{name: "batch: another office using an enrolled code", dir: onHTL, args: batch("fake1"), code: ExitRule, msg: "not enrolled", quarantine: true},
		{name: "batch: changed after signing", dir: onHTL, args: func(t *testing.T, f *sweepFixture) []string {
			b, _ := os.ReadFile(f.batches["sh1"])
			i := bytes.Index(b, []byte("Mô hình sh1"))
			if i < 0 {
				t.Fatal("model name not found in the batch")
			}
			b[i] = 'N'
			return []string{"batch", "import", f.write(t, "SH-000001-changed.zip", b)}
		}, code: ExitRule, msg: "SH-000001-changed.zip"},
		// By the batch format's design each batch applies alone, in any
		// order: batch 2 before batch 1 is applied and the gap is named.
		{name: "batch: future sequence number", dir: onHTL, args: batch("sh2"), code: ExitOK, msg: "Batch 1 of SH is missing", accepted: true},
		{name: "batch: an enrollment file given as a batch", dir: onHTL, args: func(t *testing.T, f *sweepFixture) []string {
			p := filepath.Join(f.files, "PV-enrollment.zip")
			mustRun(t, 0, "--data", f.pv, "enrollment", "export", p, "--passphrase-file", f.pvPass)
			return []string{"batch", "import", p}
		}, code: ExitRule, msg: "enrollment"},

		// The data folder's file system.
		{name: "fs: read-only data folder", fs: "readonly", args: csvFile("ro.csv", modelsHeader+modelRow("Nuôi cá", "Kinh tế", "2024", "", "")), code: ExitOther, msg: "cannot be written"},
		{name: "fs: read-only folder, backup", fs: "readonly", args: lit("backup"), code: ExitOther, msg: "cannot be written"},
		// A write-protected stick is still read: reports, lists and checks
		// run, write nothing into the folder, and say so.
		{name: "fs: read-only folder, report", fs: "readonly", args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"report", "models", "--period", "2025", "--format", "pdf", "--out", filepath.Join(f.files, "ro-report.pdf")}
		}, code: ExitOK, msg: "opened for reading", accepted: true},
		{name: "fs: read-only folder, models export", fs: "readonly", args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "export", filepath.Join(f.files, "ro-models.xlsx")}
		}, code: ExitOK, msg: "not even the audit trail", accepted: true},
		{name: "fs: read-only folder, check", fs: "readonly", args: lit("check"), code: ExitOK, msg: "opened for reading", accepted: true},
		{name: "fs: full disk, import", fs: "full", args: func(t *testing.T, f *sweepFixture) []string {
			return []string{"models", "import", seedCSV(t, f.files)}
		}, code: ExitOther, msg: "disk is full"},
		{name: "fs: full disk, backup", fs: "full", args: lit("backup"), code: ExitOther, msg: "disk is full"},

		// The store calls behind the forms.
		{name: "form: negative budget", call: model(func(m *domain.Model) { m.Budget = -1 })},
		{name: "form: control characters", call: model(func(m *domain.Model) { m.Name = "Nuôi\x00dê" })},
		{name: "form: 100 KB name", call: model(func(m *domain.Model) { m.Name = long })},
		{name: "form: year 99999", call: model(func(m *domain.Model) { m.Year = 99999 })},
		{name: "form: unknown field", call: model(func(m *domain.Model) { m.Field = "the-thao" })},
		{name: "form: officer closes a period", call: func(ctx context.Context, st *store.Store) error {
			p, _ := domain.ParsePeriod("2024-M04", 15)
			return st.ClosePeriod(ctx, store.Actor{Name: "canbo", Role: store.RoleOfficer}, p)
		}},
		{name: "form: password too short", call: func(ctx context.Context, st *store.Store) error {
			_, err := st.AddUser(ctx, store.System, store.NewUser{Username: "canbo", FullName: "Cán bộ", Password: "1234"}, store.RoleOfficer)
			return err
		}},
	}
}

func TestBadInputSweep(t *testing.T) {
	f := newSweepFixture(t)
	ctx := context.Background()
	cases := sweepCases()
	if len(cases) < 40 {
		t.Fatalf("%d cases; the sweep promises at least 40", len(cases))
	}
	for _, c := range cases {
		if c.fs != "" {
			t.Run(c.name, func(t *testing.T) { sweepFileSystem(t, f, c) })
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			before := fingerprint(t, f.sh) + " | " + fingerprint(t, f.htl)
			quarantinedBefore := quarantinedIn(t, f.htl)
			if c.call != nil {
				st, err := store.Open(ctx, f.sh)
				if err != nil {
					t.Fatal(err)
				}
				err = c.call(ctx, st)
				st.Close()
				if err == nil {
					t.Fatal("accepted")
				}
				if msg := errText(err); msg == "" || strings.Contains(msg, "err.") || strings.Contains(msg, "unexpected") {
					t.Errorf("message %q is not a sentence for a person (%v)", msg, err)
				}
			} else {
				args := append([]string{"--data", c.dir(f), "--lang", "en"}, c.args(t, f)...)
				code, stdout, stderr := safetyRun(t, args...)
				t.Logf("exit=%d stderr=%s", code, stderr)
				if code != c.code {
					t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
				}
				if !strings.Contains(stderr, c.msg) {
					t.Errorf("stderr %q does not say %q", stderr, c.msg)
				}
				if strings.Contains(stderr, "err.") || strings.Contains(stderr, "cli.") || strings.Contains(stderr, "unexpected error") || strings.Contains(stderr, "panic") {
					t.Errorf("stderr %q shows a key or an unexpected error", stderr)
				}
			}
			after := fingerprint(t, f.sh) + " | " + fingerprint(t, f.htl)
			if c.quarantine {
				after = strings.Replace(after, fmt.Sprintf("quarantined=%d", quarantinedIn(t, f.htl)), fmt.Sprintf("quarantined=%d", quarantinedBefore), 1)
			}
			if after != before && !c.accepted {
				t.Errorf("something was stored:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// TestBatchImportSnapshotsFirst: applying a batch first keeps a copy of
// the data as it was, in backups/, so a wrong import can be undone.
func TestBatchImportSnapshotsFirst(t *testing.T) {
	f := newSweepFixture(t)
	mustRun(t, 0, "--data", f.htl, "batch", "import", "--dry-run", f.batches["sh1"])
	if hasSnapshot(t, f.htl, store.SnapshotImport) {
		t.Error("a dry run took a snapshot")
	}
	mustRun(t, 0, "--data", f.htl, "batch", "import", f.batches["sh1"])
	if !hasSnapshot(t, f.htl, store.SnapshotImport) {
		t.Error("no snapshot before the import")
	}
}

func hasSnapshot(t *testing.T, dir, reason string) bool {
	snaps, err := store.Snapshots(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.Reason == reason {
			return true
		}
	}
	return false
}

func errText(err error) string {
	inv, _ := Parse([]string{"--lang", "en", "version"})
	var b bytes.Buffer
	inv.Stderr = &b
	report(&inv.Env, err)
	return strings.TrimSpace(b.String())
}

func quarantinedIn(t *testing.T, dir string) int {
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q, err := st.QuarantinedBatches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(q)
}

// swapSignature writes a copy of batch whose signature is other's: the
// manifest of an enrolled office signed with another office's key.
func swapSignature(t *testing.T, f *sweepFixture, batch, other string) string {
	t.Helper()
	read := func(p string) map[string][]byte {
		zr, err := zip.OpenReader(p)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		out := map[string][]byte{}
		for _, e := range zr.File {
			rc, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			out[e.Name] = b
		}
		return out
	}
	src, sig := read(batch), read(other)
	zr, err := zip.OpenReader(batch)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range zr.File {
		h := e.FileHeader
		w, err := zw.CreateHeader(&h)
		if err != nil {
			t.Fatal(err)
		}
		data := src[e.Name]
		if strings.HasSuffix(e.Name, ".minisig") {
			data = sig[e.Name]
		}
		w.Write(data)
	}
	zw.Close()
	return f.write(t, "SH-000001-resigned.zip", buf.Bytes())
}

// sweepFileSystem runs a case on a data folder whose file system is made
// read-only or full for it. The fingerprint is taken while the folder is
// still writable and again once it is writable again.
func sweepFileSystem(t *testing.T, f *sweepFixture, c sweepCase) {
	mnt := t.TempDir()
	mounted := false
	if os.Geteuid() == 0 {
		size := "size=32m"
		if c.fs == "full" {
			size = "size=3m"
		}
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", size, "tmpfs", mnt).CombinedOutput(); err == nil {
			mounted = true
			t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
		} else {
			t.Logf("mount not permitted (%v: %s)", err, out)
		}
	}
	if !mounted && (os.Geteuid() == 0 || c.fs == "full") {
		t.Skip("needs a tmpfs mount (root with CAP_SYS_ADMIN) to make a real read-only or full file system")
	}
	dir := filepath.Join(mnt, "data")
	mustRun(t, 0, "--data", dir, "init", "--office-name", "UBND xã Suối Hoa", "--office-code", "SH", "--kind", "xa",
		"--role", "commune", "--collector-name", "Ban Dân vận")
	addModel(t, dir, "Nuôi cá lồng trên sông Đà")
	mustRun(t, 0, "--data", dir, "check") // today's snapshot is taken now, not during the case
	args := c.args(t, f)                  // input files are written outside the mount
	before := fingerprint(t, dir)

	var restore func()
	switch {
	case c.fs == "readonly" && mounted:
		if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
			t.Fatalf("remount read-only: %v: %s", err, out)
		}
		restore = func() { exec.Command("mount", "-o", "remount,rw", mnt).Run() }
	case c.fs == "readonly":
		os.Chmod(dir, 0o500)
		restore = func() { os.Chmod(dir, 0o700) }
	case c.fs == "full":
		filler := filepath.Join(mnt, "filler")
		fillDisk(t, filler, 96<<10)
		restore = func() { os.Remove(filler) }
	}
	code, stdout, stderr := safetyRun(t, append([]string{"--data", dir, "--lang", "en"}, args...)...)
	restore()
	t.Logf("mounted=%v exit=%d stderr=%s", mounted, code, stderr)
	if code != c.code {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
	}
	if !strings.Contains(stderr, c.msg) {
		t.Errorf("stderr %q does not say %q", stderr, c.msg)
	}
	if strings.Contains(stderr, "unexpected error") || strings.Contains(stderr, "err.") {
		t.Errorf("stderr %q shows an unexpected error", stderr)
	}
	if after := fingerprint(t, dir); after != before {
		t.Errorf("something was stored:\nbefore %s\nafter  %s", before, after)
	}
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("the folder does not open after the case: %v", err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Errorf("integrity after the case: %v", err)
	}
}

// fillDisk writes path until the file system is full, then frees slack
// bytes, so that opening the store still works and the case's own writes
// are the ones that run out of room.
func fillDisk(t *testing.T, path string, slack int64) {
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	chunk := make([]byte, 64<<10)
	var n int64
	for {
		w, err := fh.Write(chunk)
		n += int64(w)
		if err != nil {
			break
		}
	}
	if err := fh.Truncate(max(n-slack, 0)); err != nil {
		t.Fatal(err)
	}
}

// TestSweepNFDTextIsStoredNFC is the sweep's one input that must be
// accepted: decomposed text (Windows keyboard, text pasted from macOS or
// Word) is stored precomposed and found without diacritics.
func TestSweepNFDTextIsStoredNFC(t *testing.T) {
	dir := talliesInit(t)
	nfdName := "Nuo\u0302i ca\u0301 lo\u0302\u0300ng"
	nfdField := "Kinh te\u0302\u0301"
	file := writeCSV(t, modelsHeader+modelRow(nfdName, nfdField, "2024", "1.500.000", "05/01/2024"))
	code, _, stderr := safetyRun(t, "--data", dir, "--lang", "en", "models", "import", file)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	found, err := st.SearchModels(context.Background(), store.ModelFilter{Query: "nuoi ca long"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Name != "Nuôi cá lồng" || found[0].Field != domain.FieldEconomy || found[0].Budget != 1500000 {
		t.Fatalf("found %+v, want the model stored NFC", found)
	}
}
