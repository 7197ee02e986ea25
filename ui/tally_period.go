package ui

import (
	"danvan/internal/domain"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"danvan/internal/i18n"
	"danvan/store/vn"
)

// periodLabel names a period the way a report's heading does: "Tháng
// 4/2024", "Quý 2/2024", "6 tháng đầu năm 2024" …
func periodLabel(p domain.PeriodSpec) string { return i18n.PeriodName(p) }

// periodPicker chooses a reporting period: its kind, year and number, or a
// custom range of dates. It reports every change through onChange.
type periodPicker struct {
	cutoff   int
	kind     *widget.Select
	year     *widget.Select
	num      *widget.Select
	from, to *keyEntry
	apply    *widget.Button
	prev     *widget.Button
	next     *widget.Button
	custom   *fyne.Container
	numBox   fyne.CanvasObject // num and year in their sizing wrappers, shown or hidden by kind
	yearBox  fyne.CanvasObject
	box      *fyne.Container
	spec     domain.PeriodSpec
	onChange func(domain.PeriodSpec)
	onError  func(error)
	setting  bool
}

var pickerKinds = []domain.PeriodKind{domain.PeriodMonth, domain.PeriodQuarter, domain.PeriodHalf, domain.PeriodNine, domain.PeriodYear, domain.PeriodCustom}

func newPeriodPicker(cutoff int, start domain.PeriodSpec, onChange func(domain.PeriodSpec), onError func(error)) *periodPicker {
	pp := &periodPicker{cutoff: cutoff, onChange: onChange, onError: onError}
	var kinds []string
	for _, k := range pickerKinds {
		kinds = append(kinds, i18n.T("tally.kind."+string(k)))
	}
	pp.kind = widget.NewSelect(kinds, func(string) { pp.changed() })
	var years []string
	now := time.Now().Year()
	for y := now + 1; y >= now-6; y-- {
		years = append(years, strconv.Itoa(y))
	}
	pp.year = widget.NewSelect(years, func(string) { pp.changed() })
	pp.num = widget.NewSelect(nil, func(string) { pp.changed() })
	pp.from = newKeyEntry(false)
	pp.from.SetPlaceHolder("dd/mm/yyyy")
	pp.to = newKeyEntry(false)
	pp.to.SetPlaceHolder("dd/mm/yyyy")
	pp.apply = widget.NewButton(i18n.T("tally.ui.show"), pp.applyCustom)
	pp.to.OnSubmitted = func(string) { pp.applyCustom() }
	pp.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { pp.set(pp.spec.Previous(pp.cutoff)); pp.onChange(pp.spec) })
	pp.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), pp.onNext)
	pp.custom = container.NewHBox(widget.NewLabel(i18n.T("tally.ui.from")), sized(pp.from, 120), widget.NewLabel(i18n.T("tally.ui.to")), sized(pp.to, 120), pp.apply)
	pp.numBox, pp.yearBox = sized(pp.num, 190), sized(pp.year, 90)
	pp.set(start)
	return pp
}

// row lays the picker out on one line, with the step buttons (Biểu 06).
func (pp *periodPicker) row() *fyne.Container {
	pp.box = container.NewHBox(pp.prev, sized(pp.kind, 170), pp.numBox, pp.yearBox, pp.custom, pp.next)
	return pp.box
}

// stacked lays it out in two rows, without the step buttons, for a form
// that is narrower (Báo cáo).
func (pp *periodPicker) stacked() *fyne.Container {
	pp.box = container.NewVBox(container.NewHBox(sized(pp.kind, 150), pp.numBox, pp.yearBox), pp.custom)
	return pp.box
}

// sized gives a widget a minimum width inside an HBox.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// onNext steps forward: the period starting the day after this one ends.
func (pp *periodPicker) onNext() {
	pp.set(pp.spec.Next(pp.cutoff))
	pp.onChange(pp.spec)
}

// set shows p in the controls without reporting a change.
func (pp *periodPicker) set(p domain.PeriodSpec) {
	pp.setting = true
	defer func() { pp.setting = false }()
	pp.spec = p
	for i, k := range pickerKinds {
		if k == p.Kind {
			pp.kind.SetSelectedIndex(i)
		}
	}
	pp.year.SetSelected(strconv.Itoa(p.Year))
	var nums []string
	switch p.Kind {
	case domain.PeriodMonth:
		for m := 1; m <= 12; m++ {
			nums = append(nums, i18n.T("tally.ui.month_n", i18n.Args{"N": m}))
		}
	case domain.PeriodQuarter:
		for q := 1; q <= 4; q++ {
			nums = append(nums, i18n.T("tally.ui.quarter_n", i18n.Args{"N": q}))
		}
	case domain.PeriodHalf:
		nums = []string{i18n.T("tally.ui.half_1"), i18n.T("tally.ui.half_2")}
	}
	pp.num.Options = nums
	if p.N >= 1 && p.N <= len(nums) {
		pp.num.SetSelectedIndex(p.N - 1)
	} else {
		pp.num.ClearSelected()
	}
	pp.showParts(len(nums) > 0, p.Kind != domain.PeriodCustom, p.Kind == domain.PeriodCustom)
	if p.Kind == domain.PeriodCustom {
		pp.from.SetText(vn.FormatDate(p.Start))
		pp.to.SetText(vn.FormatDate(p.End))
	}
}

// showParts shows the controls the kind needs and lays the row out again,
// which hiding and showing alone does not do.
func (pp *periodPicker) showParts(num, year, custom bool) {
	show(pp.numBox, num)
	show(pp.yearBox, year)
	show(pp.custom, custom)
	if pp.box != nil {
		pp.box.Refresh()
	}
}

func show(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// changed reads the controls after the person picked something.
func (pp *periodPicker) changed() {
	if pp.setting {
		return
	}
	kind := pickerKinds[max(0, pp.kind.SelectedIndex())]
	y, _ := strconv.Atoi(pp.year.Selected)
	n := pp.num.SelectedIndex() + 1
	if kind != pp.spec.Kind && (kind == domain.PeriodMonth || kind == domain.PeriodQuarter || kind == domain.PeriodHalf) {
		// A new kind starts on its period that holds the end of the one
		// shown (this month, not January, when "Năm" becomes "Tháng").
		ref := pp.spec.End
		if now := time.Now(); now.Before(ref) && !now.Before(pp.spec.Start) {
			ref = now
		}
		n = domain.PeriodOf(kind, ref, pp.cutoff).N
	}
	var p domain.PeriodSpec
	switch kind {
	case domain.PeriodMonth:
		p = domain.MonthPeriod(y, clamp(n, 1, 12), pp.cutoff)
	case domain.PeriodQuarter:
		p = domain.QuarterPeriod(y, clamp(n, 1, 4), pp.cutoff)
	case domain.PeriodHalf:
		p = domain.HalfPeriod(y, clamp(n, 1, 2), pp.cutoff)
	case domain.PeriodNine:
		p = domain.NineMonthsPeriod(y, pp.cutoff)
	case domain.PeriodYear:
		p = domain.YearPeriod(y, pp.cutoff)
	case domain.PeriodCustom:
		if pp.spec.Kind != domain.PeriodCustom {
			// Start from the period shown, so the dates are a sensible draft.
			q, _ := domain.CustomPeriod(pp.spec.Start, pp.spec.End)
			pp.set(q)
		}
		pp.showParts(false, false, true)
		return
	}
	pp.set(p)
	pp.onChange(pp.spec)
}

// applyCustom reads the two dates of a custom range.
func (pp *periodPicker) applyCustom() {
	from, err := vn.ParseDate(pp.from.Text)
	if err != nil {
		pp.onError(&domain.PeriodError{Code: "tally.period_syntax", Input: pp.from.Text})
		return
	}
	to, err := vn.ParseDate(pp.to.Text)
	if err != nil {
		pp.onError(&domain.PeriodError{Code: "tally.period_syntax", Input: pp.to.Text})
		return
	}
	p, err := domain.CustomPeriod(from, to)
	if err != nil {
		pp.onError(err)
		return
	}
	pp.set(p)
	pp.onChange(pp.spec)
}

func clamp(n, lo, hi int) int { return min(max(n, lo), hi) }
