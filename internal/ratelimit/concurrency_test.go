package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestConcurrencyLimit(t *testing.T) {
	var c Concurrency
	r1, ok1 := c.Acquire("k", 2)
	r2, ok2 := c.Acquire("k", 2)
	r3, ok3 := c.Acquire("k", 2)
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("acquire: %v %v %v", ok1, ok2, ok3)
	}
	r3() // no-op on refusal
	if _, ok := c.Acquire("other", 2); !ok {
		t.Fatal("keys are independent")
	}
	r1()
	r1() // only the first release counts
	if n := c.InFlight("k"); n != 1 {
		t.Fatalf("in flight %d after double release, want 1", n)
	}
	if _, ok := c.Acquire("k", 2); !ok {
		t.Fatal("slot not given back")
	}
	r2()
	if _, ok := c.Acquire("unlimited", 0); !ok {
		t.Fatal("limit 0 means no limit")
	}
}

func TestConcurrencyNoLeaks(t *testing.T) {
	var c Concurrency
	const limit, workers, rounds = 3, 16, 500
	var inside, peak atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{"a", "b"}[w%2]
			for range rounds {
				release, ok := c.Acquire(key, limit)
				if ok && key == "a" {
					n := inside.Add(1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					inside.Add(-1)
				}
				release()
				release()
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > limit {
		t.Fatalf("peak %d in flight, limit %d", p, limit)
	}
	if n := c.Keys(); n != 0 {
		t.Fatalf("%d keys left with nothing in flight", n)
	}
}
