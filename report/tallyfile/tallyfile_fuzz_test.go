package tallyfile

import (
	"danvan/internal/domain"
	"testing"

	"danvan/report/sheet"
	"danvan/store"
)

// FuzzRead feeds arbitrary CSV to the tallies file's reader: it
// must never panic, and whatever it accepts holds no negative count and no
// count above the store's limit.
func FuzzRead(f *testing.F) {
	fields := []store.TallyField{{ID: "f1", Code: "ho_tich", Name: "Hộ tịch"}, {ID: "f2", Code: "dat_dai", Name: "Đất đai"}}
	f.Add([]byte("Kỳ báo cáo,Lĩnh vực,(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13)\n" +
		"2023-04-15..2024-04-14,Hộ tịch,25.723,,,,25.487,,,20,326,,\n"))
	f.Add([]byte("Kỳ báo cáo;Lĩnh vực;(3);(4);(5);(6);(7);(8);(9);(10);(11);(12);(13)\n2024-M04;Đất đai;-1;x;2.5723;;;;;;;;\n"))
	f.Add([]byte("a,b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := sheet.ReadCSV(data)
		if err != nil {
			return
		}
		batches, problems := Read(tb, fields, 15, nil)
		if len(problems) > 0 {
			return
		}
		for _, b := range batches {
			for _, r := range b.Rows {
				for i, v := range r.Counts {
					if v != nil && (*v < 0 || *v > domain.MaxCount) {
						t.Fatalf("accepted column %d = %d from %q", i, *v, data)
					}
				}
			}
		}
	})
}
