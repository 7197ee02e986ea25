package vn

import "testing"

// BenchmarkFold folds a model's search text, as a batch import does for
// every model it writes; /slow is the spelled-out fold it used to run.
func BenchmarkFold(b *testing.B) {
	const key = "Nuôi cá lồng trên sông Đà | Bùi Văn Thắng | xóm Bưa | Hội Nông dân"
	for _, c := range []struct {
		name string
		fold func(string) string
	}{{"table", Fold}, {"slow", foldSlow}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.fold(key)
			}
		})
	}
}
