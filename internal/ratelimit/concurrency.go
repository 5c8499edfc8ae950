package ratelimit

import (
	"sync"
	"sync/atomic"
)

// Concurrency is the secondary limit: at most limit requests in flight per key
// on this replica (GitHub's "concurrent requests" secondary limit). The zero
// value is ready to use. Acquire and release are O(1) and a key with nothing
// in flight takes no memory.
//
// It is per replica on purpose. What it protects is the replica's own capacity
// (goroutines, database connections, memory), which a request on another
// replica does not use; a client spread over N replicas can hold at most
// N×limit, a bound the operator sets by choosing limit. A shared count would cost
// a Redis round trip at both ends of every request and would leak slots held
// by a replica that dies, needing leases and expiry; requests are short, so a
// per-replica count is exact for what matters and cannot leak.
type Concurrency struct {
	mu       sync.Mutex
	inFlight map[string]int
}

// Acquire takes one of key's limit slots. It returns ok false when limit are
// already in flight; release gives the slot back and is safe to call more
// than once (only the first call counts) and to defer even when ok is false
// (it is then a no-op). limit < 1 means no limit: always ok, nothing counted.
func (c *Concurrency) Acquire(key string, limit int) (release func(), ok bool) {
	if limit < 1 {
		return func() {}, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.inFlight[key]
	if n >= limit {
		return func() {}, false
	}
	if c.inFlight == nil {
		c.inFlight = make(map[string]int)
	}
	c.inFlight[key] = n + 1
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			c.release(key)
		}
	}, true
}

func (c *Concurrency) release(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := c.inFlight[key]; n > 1 {
		c.inFlight[key] = n - 1
	} else {
		delete(c.inFlight, key)
	}
}

// InFlight reports how many of key's slots are taken.
func (c *Concurrency) InFlight(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inFlight[key]
}

// Keys reports how many keys have requests in flight.
func (c *Concurrency) Keys() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.inFlight)
}
