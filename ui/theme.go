package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme with the program's colours: the red of
// the icon as the primary colour, light by default. It overrides only what
// it changes.
type appTheme struct {
	fyne.Theme
	dark bool
}

func newAppTheme(dark bool) *appTheme {
	return &appTheme{Theme: theme.DefaultTheme(), dark: dark}
}

func (t *appTheme) setDark(dark bool) { t.dark = dark }

func (t *appTheme) variant() fyne.ThemeVariant {
	if t.dark {
		return theme.VariantDark
	}
	return theme.VariantLight
}

var (
	primaryLight = color.NRGBA{R: 0xB3, G: 0x26, B: 0x1E, A: 0xFF}
	primaryDark  = color.NRGBA{R: 0xF2, G: 0x8B, B: 0x82, A: 0xFF}
)

// lightColors are the light variant's departures from Fyne's; the dark
// variant keeps Fyne's own for these names.
var lightColors = map[fyne.ThemeColorName]color.Color{
	// Failing cells and fields; kept apart from primary so that a problem
	// never looks like a selected item.
	theme.ColorNameError: color.NRGBA{R: 0xC6, G: 0x28, B: 0x28, A: 0xFF},
	// Fyne's bright green and orange are meant for icons and fills; as
	// text on white ("Lô được mã hóa cho …", "Chưa mã hóa …", on-time
	// marks) they fall well below the 4.5:1 contrast a sentence needs.
	theme.ColorNameSuccess:   color.NRGBA{R: 0x1B, G: 0x6E, B: 0x20, A: 0xFF},
	theme.ColorNameWarning:   color.NRGBA{R: 0xA8, G: 0x4B, B: 0x00, A: 0xFF},
	theme.ColorNameSelection: withAlpha(primaryLight, 0x30),
	// A closed period's figures are shown in disabled fields: Fyne's pale
	// grey (about 2:1 on a field) could not be read off the screen to a
	// caller; this one reads (4.9:1) and still looks unlike typed text.
	theme.ColorNameDisabled: color.NRGBA{R: 0x6B, G: 0x6B, B: 0x6B, A: 0xFF},
}

// darkColors are the dark variant's departures from Fyne's.
var darkColors = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameDisabled: color.NRGBA{R: 0x9A, G: 0x9A, B: 0x9A, A: 0xFF},
}

// Color ignores the variant Fyne asks for and uses the officer's choice.
func (t *appTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch {
	case n == theme.ColorNamePrimary || n == theme.ColorNameHyperlink:
		if t.dark {
			return primaryDark
		}
		return primaryLight
	case n == theme.ColorNameFocus:
		// Fyne paints a focused drop-down, button or check box with the
		// focus colour behind its text: a solid red hid the text (a chosen
		// "Kinh tế" read as a red bar), so it is a tint, as Fyne's own is.
		if t.dark {
			return withAlpha(primaryDark, 0x40)
		}
		return withAlpha(primaryLight, 0x30)
	case !t.dark:
		if c, ok := lightColors[n]; ok {
			return c
		}
	default:
		if c, ok := darkColors[n]; ok {
			return c
		}
	}
	return t.Theme.Color(n, t.variant())
}
