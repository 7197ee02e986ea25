// Package assets embeds the files the program ships: translations, fonts and
// the icon. It only embeds; it imports nothing from this module and never
// imports Fyne, so that report and sync may use the fonts and texts too.
package assets

import "embed"

// Lang holds the translation files, lang/<area>.<language>.json, in
// go-i18n's flat JSON form: {"key": "text with {{.Args}}"}.
//
//go:embed lang/*.json
var Lang embed.FS

// LangDir is the folder inside Lang that holds the files.
const LangDir = "lang"
