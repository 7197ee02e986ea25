package exchange

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseRefusal: whatever a server (or something in the way) answers,
// the commune gets a refusal with the status, valid text of bounded length,
// and retries exactly when the status says so.
func FuzzParseRefusal(f *testing.F) {
	f.Add(403, []byte(`{"format":"danvan-exchange/1","status":403,"code":"batch.unknown_office","message_vi":"Đơn vị lạ","message_en":"Unknown office","quarantined":true,"retry":false}`))
	f.Add(502, []byte("<html>Bad Gateway</html>"))
	f.Add(429, []byte(`{"format":"danvan-exchange/1","code":"exchange.rate_limited"}`))
	f.Add(422, []byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, status int, raw []byte) {
		rf := ParseRefusal(status, raw)
		if rf.Status != status || rf.Format != ExchangeFormat || rf.Code == "" {
			t.Fatalf("refusal %+v", rf)
		}
		for _, m := range []string{rf.MessageVI, rf.MessageEN} {
			if !utf8.ValidString(m) || len(m) > maxRefusalText+len("…") {
				t.Fatalf("message %q", m)
			}
		}
		if (status == 429 || status >= 500) && !rf.Retry {
			t.Fatalf("status %d not retried", status)
		}
	})
}
