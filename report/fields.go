package report

import (
	"danvan/internal/domain"
	"strconv"
)

// The four fields (lĩnh vực) of "Dân vận khéo" models, in the order every
// report lists them (domain.md §1). Codes are the store's; titles come from
// the print catalogue.
var modelFields = func() []string {
	out := make([]string, len(domain.Fields))
	for i, f := range domain.Fields {
		out[i] = string(f)
	}
	return out
}()

// fieldTitle is a field's printed name, "Kinh tế"; an unknown code prints
// as itself rather than vanishing from a total.
func fieldTitle(code string) string {
	t := p("field." + code)
	if t == "⟨field."+code+"⟩" {
		return code
	}
	return t
}

// roman numbers the sections of a document: I, II, III …
func roman(n int) string {
	vals := []int{10, 9, 5, 4, 1}
	syms := []string{"X", "IX", "V", "IV", "I"}
	out := ""
	for i, v := range vals {
		for n >= v {
			out += syms[i]
			n -= v
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
