package domain

import (
	"slices"
	"strings"
)

// A kind of data a commune reports, each up its own line since the 2025
// reform: models and exemplars to the Party's Ban Tuyên giáo và Dân vận,
// TTHC dossier tallies to the province's Văn phòng UBND. A collecting
// office enrolled at a commune is a destination that receives some of them.
const (
	DataModels  = "models"  // mô hình, điển hình
	DataTallies = "tallies" // hồ sơ TTHC: fields, periods, tallies
)

// DataKinds lists every kind of data, in display order.
var DataKinds = []string{DataModels, DataTallies}

// ParseDataKinds reads a list such as "models,tallies" (spaces and case
// ignored, each kind once, in DataKinds order). An empty text means every
// kind; an unknown word is returned as bad.
func ParseDataKinds(s string) (kinds []string, bad string) {
	if strings.TrimSpace(s) == "" {
		return slices.Clone(DataKinds), ""
	}
	seen := map[string]bool{}
	for _, w := range strings.Split(s, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		if !slices.Contains(DataKinds, w) {
			return nil, w
		}
		seen[w] = true
	}
	for _, k := range DataKinds {
		if seen[k] {
			kinds = append(kinds, k)
		}
	}
	return kinds, ""
}

// JoinDataKinds writes kinds as ParseDataKinds reads them.
func JoinDataKinds(kinds []string) string { return strings.Join(kinds, ",") }
