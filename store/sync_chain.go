package store

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ChainState is where a batch sits in its sender's chain, given the batches
// already received from that office.
type ChainState string

const (
	ChainNext   ChainState = "next"   // the next one expected; nothing missing before it
	ChainGap    ChainState = "gap"    // authentic, but earlier batches have not arrived yet
	ChainReplay ChainState = "replay" // already received: importing it again changes nothing
	ChainFork   ChainState = "fork"   // contradicts a batch already received: rejected
)

// ChainLink is what the chain rules need of a batch: its seq, its file's
// SHA-256 and the SHA-256 its manifest names for seq-1.
type ChainLink struct {
	Seq        int64
	SHA256     string
	PrevSHA256 string
}

// ChainStatus is the verdict on one batch.
type ChainStatus struct {
	State   ChainState
	Missing []int64 // seqs below this one not yet received (ChainGap)
	Reason  string  // for ChainFork: which neighbour it contradicts
}

// ChainPosition applies the chain rules (docs/batch-format.md §Chain) to a
// batch b against the batches known from the same office. It is pure, so
// the verifier, the importer and the vectors share it.
func ChainPosition(known []ChainLink, b ChainLink) ChainStatus {
	bySeq := make(map[int64]ChainLink, len(known))
	for _, k := range known {
		bySeq[k.Seq] = k
	}
	if k, ok := bySeq[b.Seq]; ok {
		if k.SHA256 == b.SHA256 {
			return ChainStatus{State: ChainReplay}
		}
		return ChainStatus{State: ChainFork, Reason: "same_seq"}
	}
	if k, ok := bySeq[b.Seq-1]; ok && k.SHA256 != b.PrevSHA256 {
		return ChainStatus{State: ChainFork, Reason: "prev"}
	}
	if k, ok := bySeq[b.Seq+1]; ok && k.PrevSHA256 != b.SHA256 {
		return ChainStatus{State: ChainFork, Reason: "next"}
	}
	var missing []int64
	for s := int64(1); s < b.Seq; s++ {
		if _, ok := bySeq[s]; !ok {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return ChainStatus{State: ChainGap, Missing: missing}
	}
	return ChainStatus{State: ChainNext}
}

// Missing lists the seqs below the highest received that have not arrived.
func Missing(known []ChainLink) []int64 {
	var top int64
	have := map[int64]bool{}
	for _, k := range known {
		have[k.Seq] = true
		top = max(top, k.Seq)
	}
	var out []int64
	for s := int64(1); s < top; s++ {
		if !have[s] {
			out = append(out, s)
		}
	}
	return out
}

// SeqRanges writes seqs as "1–7, 9, 12–13" for people.
func SeqRanges(seqs []int64) string {
	s := append([]int64(nil), seqs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.FormatInt(s[i], 10))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", s[i], s[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// ChainError is a batch the chain rules refuse (a fork). It implements Coded.
type ChainError struct {
	Office string // code
	Seq    int64
	Reason string // "same_seq", "prev", "next"
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("store: batch %d of %s forks the chain (%s)", e.Seq, e.Office, e.Reason)
}
func (e *ChainError) Unwrap() error { return ErrConflict }
func (e *ChainError) MessageCode() (string, map[string]any) {
	return "batch.fork." + e.Reason, map[string]any{"Office": e.Office, "Seq": e.Seq}
}
