package ratelimit

import (
	"testing"
	"time"
)

func TestBreaker(t *testing.T) {
	clk := newFakeClock()
	var states []string
	b := newBreaker(2, 10*time.Second, clk.Now, func(s string) { states = append(states, s) })
	admit := func(want bool) uint64 {
		t.Helper()
		gen, ok := b.allow()
		if ok != want {
			t.Fatalf("allow = %v, want %v (state %s)", ok, want, b.current())
		}
		return gen
	}

	g := admit(true)
	b.done(g, failure)
	b.done(admit(true), success) // a success resets the count
	late := admit(true)          // admitted while closed, answers after the breaker opens
	b.done(admit(true), failure)
	b.done(admit(true), failure)
	if b.current() != BreakerOpen {
		t.Fatalf("state %s after 2 consecutive failures", b.current())
	}
	admit(false)
	clk.Advance(9 * time.Second)
	admit(false)
	b.done(late, success) // from an older generation: ignored
	admit(false)

	clk.Advance(time.Second)
	probe := admit(true)
	if b.current() != BreakerHalfOpen {
		t.Fatalf("state %s after cooldown", b.current())
	}
	admit(false) // one probe at a time
	b.done(probe, neutral)
	probe = admit(true) // the caller gave up: the next call probes
	b.done(probe, failure)
	if b.current() != BreakerOpen {
		t.Fatalf("state %s after a failed probe", b.current())
	}
	admit(false)
	clk.Advance(10 * time.Second)
	b.done(admit(true), success)
	if b.current() != BreakerClosed {
		t.Fatalf("state %s after a good probe", b.current())
	}
	admit(true)

	want := []string{BreakerOpen, BreakerHalfOpen, BreakerOpen, BreakerHalfOpen, BreakerClosed}
	if len(states) != len(want) {
		t.Fatalf("transitions %v, want %v", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("transitions %v, want %v", states, want)
		}
	}
}
