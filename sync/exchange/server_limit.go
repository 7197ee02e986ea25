package exchange

import (
	"math"
	"strconv"
	stdsync "sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimits bound how often batches may be posted: per remote address
// and for the whole server. A commune sending its backlog fits in the
// burst; one that is refused waits and retries (429, Retry-After).
type RateLimits struct {
	PerRemote      rate.Limit // uploads a second from one address; 2 when 0
	PerRemoteBurst int        // 60 when 0
	Global         rate.Limit // 200 when 0
	GlobalBurst    int        // 2000 when 0
	// RefusedBurst is how many refused uploads an address may make before
	// it must wait (one more every 6 minutes): a refused batch may go to
	// quarantine, so a stranger must not fill the disk. 10 when 0.
	RefusedBurst int
}

// Unlimited is for benchmarks and tests that mean to measure the import.
var Unlimited = RateLimits{PerRemote: rate.Inf, Global: rate.Inf}

type limiter struct {
	mu      stdsync.Mutex
	cfg     RateLimits
	remote  map[string]*rate.Limiter
	refused map[string]*rate.Limiter
	global  *rate.Limiter
}

// maxRemotes bounds the table; past it the table starts afresh, which
// only forgets how much each address has sent lately.
const maxRemotes = 8192

func newLimiter(c RateLimits) *limiter {
	if c.PerRemote == 0 {
		c.PerRemote = 2
	}
	if c.PerRemoteBurst == 0 {
		c.PerRemoteBurst = 60
	}
	if c.Global == 0 {
		c.Global = 200
	}
	if c.GlobalBurst == 0 {
		c.GlobalBurst = 2000
	}
	if c.RefusedBurst == 0 {
		c.RefusedBurst = 10
	}
	return &limiter{cfg: c, remote: map[string]*rate.Limiter{}, refused: map[string]*rate.Limiter{},
		global: rate.NewLimiter(c.Global, c.GlobalBurst)}
}

// refusedOf is the budget of refusals of remote; l.mu is held.
func (l *limiter) refusedOf(remote string) *rate.Limiter {
	r := l.refused[remote]
	if r == nil {
		if len(l.refused) >= maxRemotes {
			clear(l.refused)
		}
		r = rate.NewLimiter(rate.Every(6*time.Minute), l.cfg.RefusedBurst)
		l.refused[remote] = r
	}
	return r
}

// noteRefused spends one of remote's refusals.
func (l *limiter) noteRefused(remote string) {
	l.mu.Lock()
	r := l.refusedOf(remote)
	l.mu.Unlock()
	r.Allow()
}

// tooManyRefused says whether remote has spent its refusals.
func (l *limiter) tooManyRefused(remote string) (time.Duration, bool) {
	l.mu.Lock()
	r := l.refusedOf(remote)
	l.mu.Unlock()
	now := time.Now()
	if r.TokensAt(now) >= 1 {
		return 0, false
	}
	rr := r.ReserveN(now, 1)
	d := rr.DelayFrom(now)
	rr.CancelAt(now)
	return d, true
}

// allow takes one upload from remote, or says how long to wait.
func (l *limiter) allow(remote string) (time.Duration, bool) {
	l.mu.Lock()
	r := l.remote[remote]
	if r == nil {
		if len(l.remote) >= maxRemotes {
			clear(l.remote)
		}
		r = rate.NewLimiter(l.cfg.PerRemote, l.cfg.PerRemoteBurst)
		l.remote[remote] = r
	}
	l.mu.Unlock()
	now := time.Now()
	rr := r.ReserveN(now, 1)
	if d := rr.DelayFrom(now); d > 0 {
		rr.CancelAt(now)
		return d, false
	}
	g := l.global.ReserveN(now, 1)
	if d := g.DelayFrom(now); d > 0 {
		g.CancelAt(now)
		rr.CancelAt(now)
		return d, false
	}
	return 0, true
}

// retryAfter is a Retry-After value: whole seconds, at least one.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(math.Max(1, math.Ceil(d.Seconds()))))
}
