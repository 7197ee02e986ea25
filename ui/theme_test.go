package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is the WCAG relative luminance of c.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Status lines are whole sentences shown in the success, warning and error
// colours; in both variants they must read at WCAG AA (4.5:1) against the
// background.
func TestStatusColoursReadable(t *testing.T) {
	names := []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError, theme.ColorNameForeground}
	for _, dark := range []bool{false, true} {
		th := newAppTheme(dark)
		bg := th.Color(theme.ColorNameBackground, th.variant())
		for _, n := range names {
			if c := contrast(th.Color(n, th.variant()), bg); c < 4.5 {
				t.Errorf("dark=%v %s: contrast %.2f:1 with the background, want ≥ 4,5:1", dark, n, c)
			}
		}
	}
}

// over paints c over bg, as the canvas does with a translucent colour.
func over(c, bg color.Color) color.Color {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xFF}
}

// A focused drop-down, button or check box is drawn with the focus colour
// behind its text: the text must still read (a solid red focus hid the
// value picked in a drop-down).
func TestFocusedTextReadable(t *testing.T) {
	for _, dark := range []bool{false, true} {
		th := newAppTheme(dark)
		v := th.variant()
		for _, under := range []fyne.ThemeColorName{theme.ColorNameInputBackground, theme.ColorNameButton, theme.ColorNameBackground} {
			bg := over(th.Color(theme.ColorNameFocus, v), over(th.Color(under, v), th.Color(theme.ColorNameBackground, v)))
			if c := contrast(th.Color(theme.ColorNameForeground, v), bg); c < 4.5 {
				t.Errorf("dark=%v focused on %s: text contrast %.2f:1, want ≥ 4,5:1", dark, under, c)
			}
		}
	}
}

// A closed period's figures are drawn as disabled fields, and must read.
func TestDisabledFiguresReadable(t *testing.T) {
	for _, dark := range []bool{false, true} {
		th := newAppTheme(dark)
		v := th.variant()
		bg := over(th.Color(theme.ColorNameInputBackground, v), th.Color(theme.ColorNameBackground, v))
		if c := contrast(over(th.Color(theme.ColorNameDisabled, v), bg), bg); c < 4.5 {
			t.Errorf("dark=%v: disabled text contrast %.2f:1 on a field, want ≥ 4,5:1", dark, c)
		}
	}
}
