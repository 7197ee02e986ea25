package i18n

import (
	"danvan/internal/domain"
	"strconv"
	"strings"
	"time"

	"danvan/store"
	"danvan/store/vn"
)

// AckLine is "Đã nhận: lô 1–7, ngày 05/01/2026; chưa xác nhận: lô 8": what
// the collecting office has acknowledged of this office's batches
// (sync.AckStatus.Parts). The
// window and the command line say it in these same words.
func AckLine(acknowledged []int64, lastAck time.Time, pending []int64) string {
	var parts []string
	if len(acknowledged) > 0 {
		parts = append(parts, T("batch.ack_received", Args{"Seqs": store.SeqRanges(acknowledged), "Date": vn.FormatDate(lastAck)}))
	}
	if len(pending) > 0 {
		parts = append(parts, T("batch.ack_pending", Args{"Seqs": store.SeqRanges(pending)}))
	}
	if len(parts) == 0 {
		return Capitalize(T("batch.ack_none"))
	}
	return Capitalize(strings.Join(parts, "; "))
}

// Capitalize starts a sentence built from parts with a capital letter.
func Capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// PeriodName names a period as people do: "Tháng 4/2024", "Quý 2/2024",
// "6 tháng đầu năm 2024", "Năm 2024", "Từ 15/04/2023 đến 14/04/2024".
func PeriodName(p domain.PeriodSpec) string { return periodNameIn(Current(), p) }

func periodNameIn(language string, p domain.PeriodSpec) string {
	args := Args{"Year": p.Year, "N": p.N, "Start": vn.FormatDate(p.Start), "End": vn.FormatDate(p.End)}
	key := "tally.period." + string(p.Kind)
	if p.Kind == domain.PeriodHalf {
		key += strconv.Itoa(p.N)
	}
	return TIn(language, key, args)
}

// periodInSentence is a period code ("2026-M12") in words for the middle
// of a sentence ("tháng 12/2026"); anything else comes back unchanged.
func periodInSentence(language string, v any) any {
	code, ok := v.(string)
	if !ok {
		return v
	}
	// The name does not depend on the cut-off day, only the dates would.
	p, err := domain.ParsePeriod(code, 15)
	if err != nil {
		return v
	}
	return strings.ToLower(periodNameIn(language, p))
}

// RepairLine says one cell an import read back from what a spreadsheet
// made of it: "Dòng 3, cột Điện thoại: đọc "989001103" là "0989001103" (số
// 0 đầu bị bảng tính bỏ đi)." The window and the command line say it alike.
func RepairLine(r store.RowRepair) string {
	return T("models.cli.repaired", Args{"Line": r.Line, "Column": r.Column, "From": r.From, "To": r.To, "Why": T("err." + r.Code)})
}

// ReceiptLines say what importing a receipt from the office from did: the
// batches it confirmed, and, when some differ from what was sent, which
// (mismatch, "" when none). The window and the command line say the same.
func ReceiptLines(from string, res store.AckResult) (done, mismatch string) {
	done = T("batch.receipt_imported", Args{"From": vn.Printable(from), "Count": len(res.Acknowledged)})
	if len(res.Mismatched) > 0 {
		mismatch = T("batch.receipt_mismatch", Args{"Seqs": store.SeqRanges(res.Mismatched)})
	}
	return done, mismatch
}

// DataKindNames names kinds of data (domain.DataKinds) for people:
// "mô hình, điển hình; hồ sơ TTHC".
func DataKindNames(kinds []string) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = T("data." + k)
	}
	return strings.Join(names, "; ")
}

// PublishedLines says, one change a line, what applying a collecting
// office's settings changes (store.PublishedPlan.Changes as What, Old,
// New). Every value came from a signed file; it is escaped all the same.
func PublishedLines(changes []store.PublishedChange) []string {
	out := make([]string, 0, len(changes))
	for _, c := range changes {
		old, new := vn.Printable(c.Old), vn.Printable(c.New)
		switch c.What {
		case "recipients":
			old, new = strings.ReplaceAll(c.Old, "\n", "; "), strings.ReplaceAll(c.New, "\n", "; ")
			old, new = vn.Printable(old), vn.Printable(new)
		case "report_periods":
			old, new = periodKindNames(c.Old), periodKindNames(c.New)
		}
		if old == "" {
			old = T("common.none")
		}
		out = append(out, T("settings.change."+c.What, Args{"Old": old, "New": new}))
	}
	return out
}

// periodKindNames names a list of period kinds ("month,quarter"):
// "tháng, quý".
func periodKindNames(list string) string {
	kinds, _ := domain.ParseReportPeriods(list)
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = strings.ToLower(T("tally.kind." + string(k)))
	}
	return strings.Join(names, ", ")
}
