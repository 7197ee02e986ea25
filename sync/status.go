package sync

import (
	"time"

	"danvan/store"
)

// AckStatus is what the commune knows about its batches: which the
// collecting office has confirmed, when it last did, and which not yet.
type AckStatus struct {
	Acknowledged []int64
	LastAck      time.Time // the latest arrival a receipt reported
	Pending      []int64
	LastSent     *store.SentBatch
}

// Parts are what i18n.AckLine says: the batches acknowledged, the day of
// the latest receipt, the batches not acknowledged yet.
func (s AckStatus) Parts() (acknowledged []int64, lastAck time.Time, pending []int64) {
	return s.Acknowledged, s.LastAck, s.Pending
}

// Summarize reads the sent batches into an AckStatus.
func Summarize(sent []store.SentBatch) AckStatus {
	var s AckStatus
	for i, b := range sent {
		if b.AcknowledgedAt.IsZero() {
			s.Pending = append(s.Pending, b.Seq)
		} else {
			s.Acknowledged = append(s.Acknowledged, b.Seq)
			if b.AcknowledgedAt.After(s.LastAck) {
				s.LastAck = b.AcknowledgedAt
			}
		}
		s.LastSent = &sent[i]
	}
	return s
}
