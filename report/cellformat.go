package report

import (
	"math"
	"strconv"

	"danvan/store/vn"
)

// String is the cell as printed: "25.723", "99,08%", "—" for a rate over
// nothing. A flagged cell carries the mark that the note under the table
// explains.
func (c Cell) String() string {
	var s string
	switch c.Kind {
	case CellInt:
		s = vn.FormatInt(int64(math.Round(c.Num)))
		if c.Signed && c.Num > 0 {
			s = "+" + s
		}
	case CellOrdinal:
		s = strconv.FormatInt(int64(math.Round(c.Num)), 10)
	case CellPercent:
		s = vn.FormatPercent(c.Num)
	default:
		s = c.Text
	}
	if c.Flag {
		s += flagMark
	}
	return s
}

// flagMark follows a figure that breaks a rule.
const flagMark = " (*)"
