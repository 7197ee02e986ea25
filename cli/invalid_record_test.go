package cli

import (
	"context"
	"danvan/internal/domain"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"danvan/internal/i18n"
	"danvan/store"
	dsync "danvan/sync"
)

// A signed batch whose model breaks a rule the form applies (year 1800, a
// rating outside the list) is refused whole: the collecting office stores
// nothing of it, and the refusal names the record and the field with the
// words the form and the spreadsheet import use for the same value.
func TestSignedBatchWithAnInvalidRecordIsRefusedWhole(t *testing.T) {
	if err := i18n.Use("vi"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sh, shPass := syncInit(t, "SH", "UBND xã Suối Hoa", "xa", "commune")
	htl, htlPass := syncInit(t, "HTL", "Ban Dân vận Huyện ủy Tân Lạc", "huyen", "collector")
	carry := t.TempDir()
	f := filepath.Join(carry, "SH-enrollment.zip")
	mustRun(t, 0, "--data", sh, "enrollment", "export", f, "--passphrase-file", shPass)
	mustRun(t, 0, "--data", htl, "offices", "enroll", f)
	addModel(t, sh, "Nuôi cá lồng trên sông Đà")
	addModel(t, sh, "Trồng bưởi đỏ")

	// What a buggy build of the commune would sign: its real export, with
	// one model's year or rating changed before signing.
	sign := func(name string, change func(r *store.SyncRecord)) string {
		st, err := store.Open(ctx, sh)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		km, err := st.SelfKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pass, _ := os.ReadFile(shPass)
		sg, err := dsync.Unlock(km, strings.TrimSpace(string(pass)))
		if err != nil {
			t.Fatal(err)
		}
		plan, err := st.PrepareExport(ctx, store.System, "", true)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range plan.Records {
			if r.Kind == "model" && r.Fields[1] == "Trồng bưởi đỏ" {
				r.Fields = append([]any(nil), r.Fields...)
				change(&r)
				plan.Records[i] = r
			}
		}
		data, _, err := dsync.BuildBatch(plan, sg, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Recipients) > 0 {
			if data, err = dsync.Seal(data, plan.Recipients); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(carry, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	at := func(col string) int {
		for i, f := range domain.ModelFields {
			if f.Column == col {
				return i
			}
		}
		t.Fatalf("no column %s", col)
		return -1
	}
	year1800 := sign("SH-000001-year.zip", func(r *store.SyncRecord) { r.Fields[at("year")] = int64(1800) })
	rating := sign("SH-000001-rating.zip", func(r *store.SyncRecord) {
		r.Fields[at("status")], r.Fields[at("rating")] = "evaluated", "tuyet_voi"
	})

	// The form's words for the same values.
	formYear := i18n.Field(domain.FieldError{Field: "model_year", Code: "out_of_range",
		Args: map[string]any{"Min": domain.MinModelYear, "Max": time.Now().Year() + 1}})
	formRating := i18n.Field(domain.FieldError{Field: "model_rating", Code: "invalid_choice"})
	m := domain.Model{Year: 1800, Rating: "tuyet_voi", Status: domain.StatusEvaluated}
	err := m.Validate(time.Now())
	if got := i18n.Err(err); !strings.Contains(got, formYear) || !strings.Contains(got, formRating) {
		t.Fatalf("the form's rules say %q, want %q and %q", got, formYear, formRating)
	}

	for _, c := range []struct {
		file, words string
	}{{year1800, formYear}, {rating, formRating}} {
		_, errOut := mustRun(t, 1, "--data", htl, "--lang", "vi", "batch", "import", "--passphrase-file", htlPass, c.file)
		for _, want := range []string{"Trồng bưởi đỏ", c.words, "không lưu gì"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%s: import said %q, want it to say %q", filepath.Base(c.file), errOut, want)
			}
		}
		list := filepath.Join(t.TempDir(), "ds.csv")
		mustRun(t, 0, "--data", htl, "models", "export", list)
		if data, _ := os.ReadFile(list); strings.Contains(string(data), "Nuôi cá") || strings.Contains(string(data), "bưởi") {
			t.Errorf("%s: a refused batch stored models: %q", filepath.Base(c.file), data)
		}
	}

	// The spreadsheet import says the same of year 1800.
	csv := writeCSV(t, "Tên mô hình;Lĩnh vực;Loại;Năm đăng ký;Đơn vị đăng ký;Người phụ trách;Nội dung thực hiện\n"+
		"Trồng bưởi đỏ;Kinh tế;Mô hình;1800;Hội Nông dân;Bùi Văn Thắng;Trồng bưởi\n")
	_, errOut := mustRun(t, 1, "--data", sh, "--lang", "vi", "models", "import", csv)
	yearWords := strings.TrimPrefix(formYear, i18n.T("field.model_year")+": ")
	if !strings.Contains(errOut, yearWords) {
		t.Errorf("the spreadsheet import said %q, want %q", errOut, yearWords)
	}
}
