package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// tagged returns a compute function that counts its calls and depends on tags.
func tagged(calls *atomic.Int64, value string, tags ...string) func(context.Context) (Computed, error) {
	return func(context.Context) (Computed, error) {
		calls.Add(1)
		return Computed{Value: []byte(value), Tags: tags, Store: true}, nil
	}
}

func TestDoTaggedStoresWithTagsLearnedWhileComputing(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		k := key("PUBLIC", "{ enterprise { name } }")
		var calls atomic.Int64
		for i, wantHit := range []bool{false, true} {
			v, hit, err := c.DoTagged(ctx, k, tagged(&calls, "v1", "e:1", "list"))
			if err != nil || string(v) != "v1" || hit != wantHit {
				t.Fatalf("call %d = %q, hit %v, %v; want v1, hit %v", i, v, hit, err, wantHit)
			}
		}
		if err := c.Invalidate(ctx, "e:2"); err != nil {
			t.Fatal(err)
		}
		wantHit(t, c, k, "v1") // another tag: untouched
		if err := c.Invalidate(ctx, "list"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, c, k)
		if calls.Load() != 1 {
			t.Fatalf("computed %d times before the invalidation, want 1", calls.Load())
		}
	})
}

// A write that lands while an answer is computed may or may not be in it:
// the answer is returned but must not be stored, even though its tags were
// only read after the write.
func TestDoTaggedSkipsAnswersRacingAWrite(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		k := key("PUBLIC", "{ enterprise { name } }")
		v, hit, err := c.DoTagged(ctx, k, func(ctx context.Context) (Computed, error) {
			if err := c.Invalidate(ctx, "e:1"); err != nil { // the write commits mid-computation
				t.Error(err)
			}
			return Computed{Value: []byte("maybe stale"), Tags: []string{"e:1"}, Store: true}, nil
		})
		if err != nil || hit || string(v) != "maybe stale" {
			t.Fatalf("DoTagged = %q, %v, %v", v, hit, err)
		}
		wantMiss(t, c, k)
	})
}

// An answer computed with Store false (one that must be audited, or carries
// errors) goes to its own caller only: neither stored nor handed to callers
// waiting on the same key.
func TestDoTaggedKeepsUnshareableAnswersToTheirCaller(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		k := key("REGULATOR", "{ enterprise { legalRepresentativeIdNumber } }")
		entered, release := make(chan struct{}), make(chan struct{})
		var calls atomic.Int64
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _, err := c.DoTagged(ctx, k, func(context.Context) (Computed, error) {
				calls.Add(1)
				close(entered)
				<-release
				return Computed{Value: []byte("leader's own"), Tags: []string{"e:1"}}, nil
			})
			if err != nil || string(v) != "leader's own" {
				t.Errorf("leader got %q, %v", v, err)
			}
		}()
		<-entered
		done := make(chan struct{})
		go func() {
			defer close(done)
			v, _, err := c.DoTagged(ctx, k, func(context.Context) (Computed, error) {
				calls.Add(1)
				return Computed{Value: []byte("follower's own"), Tags: []string{"e:1"}}, nil
			})
			if err != nil || string(v) != "follower's own" {
				t.Errorf("follower got %q, %v", v, err)
			}
		}()
		close(release)
		wg.Wait()
		<-done
		if calls.Load() != 2 {
			t.Fatalf("computed %d times, want 2 (one each)", calls.Load())
		}
		wantMiss(t, c, k)
	})
}

// Concurrent misses on one key share one computation (stampede protection).
func TestDoTaggedComputesOncePerKey(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		k := key("PUBLIC", "{ enterprises { totalCount } }")
		entered, release := make(chan struct{}), make(chan struct{})
		var calls atomic.Int64
		compute := func(context.Context) (Computed, error) {
			if calls.Add(1) == 1 {
				close(entered)
			}
			<-release
			return Computed{Value: []byte("shared"), Tags: []string{"enterprises"}, Store: true}, nil
		}
		const n = 8
		var wg sync.WaitGroup
		results := make(chan string, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _, _ := c.DoTagged(ctx, k, compute)
			results <- string(v)
		}()
		<-entered // the first computation is running; the rest join it
		for range n - 1 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, _, _ := c.DoTagged(ctx, k, compute)
				results <- string(v)
			}()
		}
		// Release once every follower is waiting on the flight or has hit
		// the stored entry: followers that arrive after the leader finishes
		// are hits, which is as good.
		close(release)
		wg.Wait()
		close(results)
		for v := range results {
			if v != "shared" {
				t.Errorf("got %q", v)
			}
		}
		if calls.Load() != 1 {
			t.Errorf("computed %d times for %d concurrent callers, want 1", calls.Load(), n)
		}
	})
}
