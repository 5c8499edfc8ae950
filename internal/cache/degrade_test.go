package cache

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis killed mid-run: Do keeps answering without error, from the
// computation and the local cache, and once the breaker has opened no call
// reaches Redis at all (so none can wait on it: every call before that is
// bounded by the Timeout, which the redisguard tests check); after a
// restart the breaker's probe (on the injected clock) puts Redis back in
// use. Nothing here depends on how fast the machine is.
func TestRedisOutage(t *testing.T) {
	srv := startRedisServer(t, 0)
	client := redis.NewClient(&redis.Options{
		Addr: srv.addr(), ContextTimeoutEnabled: true, MaxRetries: -1, DialerRetries: 1,
	})
	t.Cleanup(func() { _ = client.Close() })
	calls := countCalls(client)
	clk := newFakeClock()
	c := New(client, Options{Prefix: testPrefix(t), Now: clk.Now, Timeout: 50 * time.Millisecond})
	ctx := context.Background()
	k := key("PUBLIC", "a")
	var computed atomic.Int32
	compute := func(context.Context) ([]byte, error) {
		computed.Add(1)
		return []byte("answer"), nil
	}
	do := func() {
		t.Helper()
		v, err := c.Do(ctx, k, []string{"e:A"}, compute)
		if err != nil || string(v) != "answer" {
			t.Fatalf("Do = %q, %v", v, err)
		}
	}

	do()
	do()
	if n := computed.Load(); n != 1 || c.BreakerState() != BreakerClosed {
		t.Fatalf("with Redis: computed %d times (want 1), breaker %s", n, c.BreakerState())
	}

	srv.kill()
	for range 10 {
		do()
	}
	if c.BreakerState() != BreakerOpen {
		t.Fatalf("breaker %s after Redis died, want open", c.BreakerState())
	}
	open := calls.Load()
	for range 10 {
		do()
	}
	if n := calls.Load() - open; n != 0 {
		t.Fatalf("%d calls reached Redis through an open breaker", n)
	}
	if n := computed.Load(); n != 2 {
		t.Fatalf("computed %d times, want 2: one miss, then the local cache", n)
	}
	// Invalidation still works on this replica, and is replayed to Redis.
	if err := c.Invalidate(ctx, "e:A"); err == nil {
		t.Fatal("Invalidate with Redis down: want ErrDeferred")
	}
	do()
	if n := computed.Load(); n != 3 {
		t.Fatalf("computed %d times after Invalidate, want 3", n)
	}
	clk.Advance(MaxLocalTTL)
	do() // local entry expired
	if n := computed.Load(); n != 4 {
		t.Fatalf("computed %d times after the local TTL, want 4", n)
	}

	startRedisServer(t, srv.port)
	clk.Advance(DefaultCooldown)
	do() // probe succeeds: Redis is empty (no persistence), compute and store
	if c.BreakerState() != BreakerClosed {
		t.Fatalf("breaker %s after restart and cooldown, want closed", c.BreakerState())
	}
	if n := client.Exists(ctx, c.redis.entryKey(k.id())).Val(); n != 1 {
		t.Fatal("entry not stored in Redis after recovery")
	}
	if len(c.pending) != 0 {
		t.Fatalf("pending invalidations not replayed: %v", c.pending)
	}
	before := computed.Load()
	do()
	if computed.Load() != before {
		t.Fatal("not served from Redis after recovery")
	}
}

// A stored Redis entry whose tag key vanished (eviction, expiry) is a miss,
// and a reborn tag never takes a version an entry already holds.
func TestLostTagIsAMiss(t *testing.T) {
	client := newTestClient(t)
	c := newTestCache(t, client, testPrefix(t), newFakeClock())
	ctx := context.Background()
	k := key("PUBLIC", "a")
	put(t, c, k, "v", "e:A")
	if err := client.Del(ctx, c.redis.tagKey("e:A")).Err(); err != nil { // our own key only
		t.Fatal(err)
	}
	wantMiss(t, c, k)
	v1 := c.Versions(ctx, []string{"e:B"})["e:B"]
	if err := c.Invalidate(ctx, "e:B"); err != nil {
		t.Fatal(err)
	}
	client.Del(ctx, c.redis.tagKey("e:B"))
	if v2 := c.Versions(ctx, []string{"e:B"})["e:B"]; v2 <= v1+1 {
		t.Fatalf("reborn version %d not above %d", v2, v1+1)
	}
}

// countCalls counts the commands and pipelines client sends (or tries to).
func countCalls(client *redis.Client) *atomic.Int64 {
	var n atomic.Int64
	client.AddHook(callHook{&n})
	return &n
}

type callHook struct{ n *atomic.Int64 }

func (h callHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h callHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h callHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}
