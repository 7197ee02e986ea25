package exchange

import (
	dsync "danvan/sync"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"danvan/store"
)

// The HTTP exchange between a commune and its collecting office
// (docs/exchange.md). The network is another carrier of the same signed
// files: a batch goes up as the bytes of its file, the receipt comes back
// as the bytes of a receipt file.
const (
	ExchangeFormat = "danvan-exchange/1"
	// BatchPath is where a batch is posted: BatchPath + its file name.
	BatchPath = "/v1/batches/"
	// SettingsPath answers GET with the latest settings file the office
	// published (danvan-settings/1), or 404 when it published none.
	SettingsPath = "/v1/settings"
	// HealthPath answers GET with the office that serves.
	HealthPath = "/v1/health"

	// Headers of a 200 answer, beside the receipt in the body.
	HeaderResult  = "Danvan-Result"       // "imported", "replay" or "gap"
	HeaderMissing = "Danvan-Missing"      // for "gap": the seqs still missing, "3,5-7"
	HeaderFormat  = "Danvan-dsync.Format" // ExchangeFormat, on every answer

	ContentBatch   = "application/zip"
	ContentRefusal = "application/json"
)

// Refusal is the JSON body of every answer that is not a receipt: a code a
// program branches on and the sentence a person reads, in both languages
// (the commune may run in either).
type Refusal struct {
	Format      string         `json:"format"`
	Status      int            `json:"status"`
	Code        string         `json:"code"` // a message code: "batch.bad_signature", "exchange.rate_limited"…
	Args        map[string]any `json:"args,omitempty"`
	MessageVI   string         `json:"message_vi"`
	MessageEN   string         `json:"message_en"`
	Quarantined bool           `json:"quarantined"` // the file was set aside in the collecting office's quarantine
	Retry       bool           `json:"retry"`       // the same file may succeed later, unchanged
}

// exchangeError is an answer the server gives that is not about the batch
// file itself: too many uploads, shutting down, a bad path.
type exchangeError struct {
	code string
	args map[string]any
}

func (e *exchangeError) Error() string { return "sync: exchange: " + e.code }
func (e *exchangeError) MessageCode() (string, map[string]any) {
	return "exchange." + e.code, e.args
}

// Statuses are part of the protocol: the commune retries on 429 and 5xx
// and on nothing else.
func statusOf(err error) (status int, retry bool) {
	var ee *exchangeError
	if errors.As(err, &ee) {
		switch ee.code {
		case "rate_limited", "too_many_refused", "busy":
			return http.StatusTooManyRequests, true
		case "bad_path":
			return http.StatusNotFound, false // asking again cannot help
		case "shutting_down":
			return http.StatusServiceUnavailable, true
		case "bad_name":
			return http.StatusBadRequest, false
		}
	}
	var ce *store.ChainError
	if errors.As(err, &ce) {
		return http.StatusConflict, false
	}
	var pe *store.PlaintextError
	if errors.As(err, &pe) {
		return http.StatusUnprocessableEntity, false
	}
	switch dsync.ProblemOf(err) {
	case "":
		if errors.Is(err, store.ErrForbidden) {
			return http.StatusForbidden, false
		}
		return http.StatusInternalServerError, true
	case dsync.ProblemTooLarge:
		return http.StatusRequestEntityTooLarge, false
	case dsync.ProblemUnknownOffice, dsync.ProblemWrongKey, dsync.ProblemBadSignature:
		return http.StatusForbidden, false
	default:
		return http.StatusUnprocessableEntity, false
	}
}

// IsLoopback says whether host (a host or host:port) names this machine
// only: the one place plain HTTP is allowed.
func IsLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// collectorURL checks the collecting office's address and gives the
// upload URL of a batch file under it.
func batchURL(base *url.URL, fileName string) string {
	u := *base
	u.Path = strings.TrimSuffix(u.Path, "/") + BatchPath + url.PathEscape(fileName)
	return u.String()
}
