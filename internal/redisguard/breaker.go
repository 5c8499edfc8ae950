package redisguard

import (
	"sync"
	"time"
)

// Breaker states, as passed to onChange and returned by Breaker.State.
const (
	Closed   = "closed"    // Redis is called
	Open     = "open"      // Redis is not called until the cooldown ends
	HalfOpen = "half_open" // one probe call is let through
)

// Breaker stops calling Redis after threshold consecutive failures, for
// cooldown, then lets one probe through: success closes it, failure opens it
// again. It is hand-written rather than sony/gobreaker because it is this small
// and must read the injected clock.
//
// Each admitted call gets the generation it was admitted in; an outcome from
// an older generation (a slow call admitted before the breaker opened) is
// ignored, so only the probe decides a half-open breaker.
type Breaker struct {
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

// Outcome is what an admitted call reports to Breaker.Done.
type Outcome int

// Outcomes of an admitted call.
const (
	Success Outcome = iota
	Failure
	Neutral // the caller gave up: says nothing about Redis
)

// NewBreaker returns a closed Breaker. onChange is called with the new state
// on every transition, under the breaker's lock: it must be fast and must not
// call back into the breaker.
func NewBreaker(threshold int, cooldown time.Duration, now func() time.Time, onChange func(state string)) *Breaker {
	return &Breaker{now: now, threshold: threshold, cooldown: cooldown, onChange: onChange, state: Closed}
}

// Allow reports whether Redis may be called, and the generation to report
// the outcome with.
func (b *Breaker) Allow() (gen uint64, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case Closed:
		return b.gen, true
	case Open:
		if b.now().Sub(b.openedAt) < b.cooldown {
			return 0, false
		}
		b.set(HalfOpen)
	}
	if b.probing {
		return 0, false
	}
	b.probing = true
	return b.gen, true
}

// Done records the outcome of a call admitted in generation gen.
func (b *Breaker) Done(gen uint64, o Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen != b.gen || o == Neutral {
		if gen == b.gen {
			b.probing = false
		}
		return
	}
	switch {
	case o == Success && b.state == Closed:
		b.failures = 0
	case o == Success:
		b.set(Closed)
	case b.state == HalfOpen:
		b.set(Open)
	default:
		b.failures++
		if b.failures >= b.threshold {
			b.set(Open)
		}
	}
}

// set moves to state and starts a new generation. Callers hold b.mu.
func (b *Breaker) set(state string) {
	b.state = state
	b.gen++
	b.failures = 0
	b.probing = false
	if state == Open {
		b.openedAt = b.now()
	}
	b.onChange(state)
}

// State is Closed, Open or HalfOpen.
func (b *Breaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}
