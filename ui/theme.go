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
	// errorLight marks failing cells and fields; kept apart from primary so
	// that a problem never looks like a selected item.
	errorLight = color.NRGBA{R: 0xC6, G: 0x28, B: 0x28, A: 0xFF}
	// successLight and warningLight replace Fyne's bright green and orange
	// in the light variant: those are meant for icons and fills, and as text
	// on white ("Lô được mã hóa cho …", "Chưa mã hóa …", on-time marks) they
	// fall well below the 4.5:1 contrast a sentence needs.
	successLight = color.NRGBA{R: 0x1B, G: 0x6E, B: 0x20, A: 0xFF}
	warningLight = color.NRGBA{R: 0xA8, G: 0x4B, B: 0x00, A: 0xFF}
)

// Color ignores the variant Fyne asks for and uses the officer's choice.
func (t *appTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	v := t.variant()
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameFocus:
		if t.dark {
			return primaryDark
		}
		return primaryLight
	case theme.ColorNameError:
		if !t.dark {
			return errorLight
		}
	case theme.ColorNameSuccess:
		if !t.dark {
			return successLight
		}
	case theme.ColorNameWarning:
		if !t.dark {
			return warningLight
		}
	case theme.ColorNameSelection:
		if !t.dark {
			return color.NRGBA{R: 0xB3, G: 0x26, B: 0x1E, A: 0x30}
		}
	}
	return t.Theme.Color(n, v)
}
