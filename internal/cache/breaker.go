package cache

import (
	"sync"
	"time"
)

// Breaker states, as reported by Cache.BreakerState and Metrics.
const (
	BreakerClosed   = "closed"    // Redis is called
	BreakerOpen     = "open"      // Redis is not called until the cooldown ends
	BreakerHalfOpen = "half_open" // one probe call is let through
)

// breaker stops calling Redis after threshold consecutive failures, for
// cooldown, then lets one probe through: success closes it, failure opens it
// again. It is a copy of internal/ratelimit's breaker (unexported there), hand-written
// rather than sony/gobreaker because it is this small
// and must read the injected clock.
//
// Each admitted call gets the generation it was admitted in; an outcome from
// an older generation (a slow call admitted before the breaker opened) is
// ignored, so only the probe decides a half-open breaker.
type breaker struct {
	mu        sync.Mutex
	now       func() time.Time
	threshold int
	cooldown  time.Duration
	onChange  func(state string)

	state    string
	gen      uint64
	failures int
	openedAt time.Time
	probing  bool
}

type outcome int

const (
	success outcome = iota
	failure
	neutral // the caller gave up: says nothing about Redis
)

func newBreaker(threshold int, cooldown time.Duration, now func() time.Time, onChange func(string)) *breaker {
	return &breaker{now: now, threshold: threshold, cooldown: cooldown, onChange: onChange, state: BreakerClosed}
}

// allow reports whether Redis may be called, and the generation to report
// the outcome with.
func (b *breaker) allow() (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerClosed:
		return b.gen, true
	case BreakerOpen:
		if b.now().Sub(b.openedAt) < b.cooldown {
			return 0, false
		}
		b.set(BreakerHalfOpen)
	}
	if b.probing {
		return 0, false
	}
	b.probing = true
	return b.gen, true
}

// done records the outcome of a call admitted in generation gen.
func (b *breaker) done(gen uint64, o outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen != b.gen || o == neutral {
		if gen == b.gen {
			b.probing = false
		}
		return
	}
	switch {
	case o == success && b.state == BreakerClosed:
		b.failures = 0
	case o == success:
		b.set(BreakerClosed)
	case b.state == BreakerHalfOpen:
		b.set(BreakerOpen)
	default:
		b.failures++
		if b.failures >= b.threshold {
			b.set(BreakerOpen)
		}
	}
}

// set moves to state and starts a new generation. Callers hold b.mu.
func (b *breaker) set(state string) {
	b.state = state
	b.gen++
	b.failures = 0
	b.probing = false
	if state == BreakerOpen {
		b.openedAt = b.now()
	}
	b.onChange(state)
}

func (b *breaker) current() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}
