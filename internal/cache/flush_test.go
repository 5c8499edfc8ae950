package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// failingHook makes one client's commands fail while on is set, so one
// replica loses Redis while another keeps it.
type failingHook struct{ on atomic.Bool }

var errInjected = errors.New("injected: redis unreachable")

func (h *failingHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *failingHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if h.on.Load() {
			return errInjected
		}
		return next(ctx, cmd)
	}
}
func (h *failingHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if h.on.Load() {
			return errInjected
		}
		return next(ctx, cmds)
	}
}

var _ redis.Hook = (*failingHook)(nil)

// TestFlushSendsDeferredInvalidations: a replica that wrote while Redis was
// unreachable to it holds the invalidation; Flush delivers it, after which
// the other replica's entry is a miss and nothing is pending.
func TestFlushSendsDeferredInvalidations(t *testing.T) {
	base := newTestClient(t)
	prefix := testPrefix(t)
	clk := newFakeClock()
	other := newTestCache(t, base, prefix, clk)

	hook := &failingHook{}
	opt := *base.Options()
	client := redis.NewClient(&opt)
	client.AddHook(hook)
	t.Cleanup(func() { _ = client.Close() })
	writer := New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second, FailureThreshold: 100})

	ctx := context.Background()
	k := key("PUBLIC", "{ enterprise { name } }")
	put(t, other, k, "old", "e:1")
	wantHit(t, other, k, "old")

	hook.on.Store(true)
	if err := writer.Invalidate(ctx, "e:1"); !errors.Is(err, ErrDeferred) {
		t.Fatalf("Invalidate with Redis unreachable = %v, want ErrDeferred", err)
	}
	if writer.Pending() == 0 {
		t.Fatal("nothing pending after a deferred invalidation")
	}
	if err := writer.Flush(ctx); err == nil {
		t.Fatal("Flush succeeded while Redis was unreachable")
	}
	if writer.Pending() == 0 {
		t.Fatal("a failed Flush dropped the pending invalidations")
	}
	wantHit(t, other, k, "old") // the other replica cannot know yet

	hook.on.Store(false)
	if err := writer.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if n := writer.Pending(); n != 0 {
		t.Fatalf("%d tags still pending after Flush", n)
	}
	wantMiss(t, other, k)
}
