//go:build unix

package cache

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Invalidations Redis missed while it was unreachable are replayed by
// GetMany before it trusts Redis again: an entry stored before the outage
// and invalidated during it is a miss once Redis answers, though Redis
// itself still holds it (a hang or partition, not a restart). Redis is a
// server of the test's own, frozen with SIGSTOP: lookups time out, the
// breaker opens, and Invalidate, skipped, sends nothing that Redis could
// run later by itself.
func TestGetManyReplaysDeferredInvalidations(t *testing.T) {
	srv := startRedisServer(t, 0)
	client := redis.NewClient(&redis.Options{Addr: srv.addr(), ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { _ = client.Close() })
	clk := newFakeClock()
	prefix := testPrefix(t)
	c := New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: 100 * time.Millisecond})
	ctx := context.Background()
	keys := []Key{key("PUBLIC", "a"), key("PUBLIC", "b")}
	putMany(t, c, keys, []string{"A", "B"}, [][]string{{"all", "e:A"}, {"all", "e:B"}})
	wantMany(t, c, keys, "A", "B")

	signal := func(s syscall.Signal) {
		t.Helper()
		if err := srv.cmd.Process.Signal(s); err != nil {
			t.Fatal(err)
		}
	}
	signal(syscall.SIGSTOP)
	t.Cleanup(func() { _ = srv.cmd.Process.Signal(syscall.SIGCONT) })
	for range DefaultFailureThreshold {
		c.GetMany(ctx, keys) // times out
	}
	if c.BreakerState() != BreakerOpen {
		t.Fatalf("breaker %s with Redis frozen, want open", c.BreakerState())
	}
	if err := c.Invalidate(ctx, "e:B"); !errors.Is(err, ErrDeferred) {
		t.Fatalf("Invalidate with the breaker open: %v, want ErrDeferred", err)
	}
	signal(syscall.SIGCONT)
	clk.Advance(DefaultCooldown)

	values, found := c.GetMany(ctx, keys) // the probe: replay, then read
	if !found[0] || string(values[0]) != "A" || found[1] {
		t.Fatalf("GetMany = %q, %v; want A and a miss", values, found)
	}
	if c.BreakerState() != BreakerClosed {
		t.Fatalf("breaker %s after the probe, want closed", c.BreakerState())
	}
	// The bump reached Redis: another replica misses too.
	other := New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second})
	wantMany(t, other, keys, "A", "")
}
