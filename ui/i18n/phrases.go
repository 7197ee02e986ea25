package i18n

import (
	"strings"

	"danvan/store"
	"danvan/store/vn"
	dsync "danvan/sync"
)

// AckLine is "Đã nhận: lô 1–7, ngày 05/01/2026; chưa xác nhận: lô 8": what
// the collecting office has acknowledged of this office's batches. The
// window and the command line say it in these same words.
func AckLine(s dsync.AckStatus) string {
	var parts []string
	if len(s.Acknowledged) > 0 {
		parts = append(parts, T("batch.ack_received", Args{"Seqs": store.SeqRanges(s.Acknowledged), "Date": vn.FormatDate(s.LastAck)}))
	}
	if len(s.Pending) > 0 {
		parts = append(parts, T("batch.ack_pending", Args{"Seqs": store.SeqRanges(s.Pending)}))
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
