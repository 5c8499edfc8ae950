package redisguard

import (
	"testing"
	"time"
)

func TestBreaker(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var states []string
	b := NewBreaker(2, 10*time.Second, func() time.Time { return now }, func(s string) { states = append(states, s) })
	admit := func(want bool) uint64 {
		t.Helper()
		gen, ok := b.Allow()
		if ok != want {
			t.Fatalf("Allow = %v, want %v (state %s)", ok, want, b.State())
		}
		return gen
	}

	g := admit(true)
	b.Done(g, Failure)
	b.Done(admit(true), Success) // a success resets the count
	late := admit(true)          // admitted while closed, answers after the breaker opens
	b.Done(admit(true), Failure)
	b.Done(admit(true), Failure)
	if b.State() != Open {
		t.Fatalf("state %s after 2 consecutive failures", b.State())
	}
	admit(false)
	now = now.Add(9 * time.Second)
	admit(false)
	b.Done(late, Success) // from an older generation: ignored
	admit(false)

	now = now.Add(time.Second)
	probe := admit(true)
	if b.State() != HalfOpen {
		t.Fatalf("state %s after cooldown", b.State())
	}
	admit(false) // one probe at a time
	b.Done(probe, Neutral)
	probe = admit(true) // the caller gave up: the next call probes
	b.Done(probe, Failure)
	if b.State() != Open {
		t.Fatalf("state %s after a failed probe", b.State())
	}
	admit(false)
	now = now.Add(10 * time.Second)
	b.Done(admit(true), Success)
	if b.State() != Closed {
		t.Fatalf("state %s after a good probe", b.State())
	}
	admit(true)

	want := []string{Open, HalfOpen, Open, HalfOpen, Closed}
	if len(states) != len(want) {
		t.Fatalf("transitions %v, want %v", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("transitions %v, want %v", states, want)
		}
	}
}
