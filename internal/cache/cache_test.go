package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// backends runs f on Redis, on a 3-master Redis Cluster (see cluster_test.go)
// and in-process only. On Redis and the cluster the test fails if the cache
// ever fell back from Redis, which it does silently (see newRedisOnlyCache).
func backends(t *testing.T, f func(t *testing.T, newCache func(clk *fakeClock) *Cache)) {
	t.Run("redis", func(t *testing.T) {
		client := newTestClient(t)
		prefix := testPrefix(t)
		f(t, func(clk *fakeClock) *Cache { return newRedisOnlyCache(t, client, prefix, clk) })
	})
	t.Run("cluster", func(t *testing.T) {
		client := newClusterClient(t)
		prefix := testPrefix(t)
		if strings.Contains(prefix, "{") { // a hash tag would put every key in one slot
			t.Fatalf("prefix %q has a hash tag", prefix)
		}
		f(t, func(clk *fakeClock) *Cache { return newRedisOnlyCache(t, client, prefix, clk) })
	})
	t.Run("local", func(t *testing.T) {
		f(t, func(clk *fakeClock) *Cache { return New(nil, Options{Now: clk.Now}) })
	})
}

func put(t *testing.T, c *Cache, k Key, value string, tags ...string) {
	t.Helper()
	ctx := context.Background()
	c.Set(ctx, k, []byte(value), tags, c.Versions(ctx, tags), 0)
}

func wantHit(t *testing.T, c *Cache, k Key, want string) {
	t.Helper()
	v, ok := c.Get(context.Background(), k)
	if !ok || string(v) != want {
		t.Fatalf("Get(%+v) = %q, %v; want %q, hit", k, v, ok, want)
	}
}

func wantMiss(t *testing.T, c *Cache, k Key) {
	t.Helper()
	if v, ok := c.Get(context.Background(), k); ok {
		t.Fatalf("Get(%+v) = %q, hit; want miss", k, v)
	}
}

func TestKeyIsolation(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		base := key("PUBLIC", "{ enterprise { name } }")
		put(t, c, base, "public answer", "e:1")
		wantHit(t, c, base, "public answer")
		for _, tc := range []struct {
			name string
			edit func(*Key)
		}{
			{"other tier", func(k *Key) { k.Tier = "PARTNER" }},
			{"other day", func(k *Key) { k.AsOf = "2026-03-02" }},
			{"other document", func(k *Key) { k.Document += " " }},
			{"other operation", func(k *Key) { k.Operation = "R" }},
			{"other variables", func(k *Key) { k.Variables = []byte(`{"a":1}`) }},
			{"fields shifted", func(k *Key) { k.Tier, k.Document = "PUBLIC{", " enterprise { name } }" }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				k := base
				tc.edit(&k)
				wantMiss(t, c, k)
			})
		}
	})
}

func TestInvalidateIsExact(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		a, b, list := key("PUBLIC", "a"), key("PUBLIC", "b"), key("PUBLIC", "list")
		put(t, c, a, "A", "e:A", "enterprises")
		put(t, c, b, "B", "e:B", "enterprises")
		put(t, c, list, "L", "list:serious")
		if err := c.Invalidate(ctx, "e:A"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, c, a)
		wantHit(t, c, b, "B")
		wantHit(t, c, list, "L")
		put(t, c, a, "A2", "e:A", "enterprises")
		wantHit(t, c, a, "A2")
		if err := c.Invalidate(ctx, "enterprises"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, c, a)
		wantMiss(t, c, b)
		wantHit(t, c, list, "L")
	})
}

// A write that lands while the answer is computed must not be lost: the
// entry, stored with the versions read before, is born invalid.
func TestWriteDuringComputeInvalidatesEntry(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		k := key("PUBLIC", "a")
		versions := c.Versions(ctx, []string{"e:A"})
		if err := c.Invalidate(ctx, "e:A"); err != nil { // the racing write
			t.Fatal(err)
		}
		c.Set(ctx, k, []byte("stale"), []string{"e:A"}, versions, 0)
		wantMiss(t, c, k)
	})
}

func TestReplicasSeeEachOthersInvalidations(t *testing.T) {
	prefix := testPrefix(t)
	clk := newFakeClock()
	r1 := newTestCache(t, newTestClient(t), prefix, clk)
	r2 := newTestCache(t, newTestClient(t), prefix, clk)
	k := key("PARTNER", "a")
	put(t, r1, k, "A", "e:A")
	wantHit(t, r2, k, "A")
	if err := r2.Invalidate(context.Background(), "e:A"); err != nil {
		t.Fatal(err)
	}
	wantMiss(t, r1, k)
	wantMiss(t, r2, k)
}

func TestTTL(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		clk := newFakeClock()
		c := newCache(clk)
		isRedis := c.redis != nil
		ctx := context.Background()
		k := key("PUBLIC", "late")
		clk.Set(time.Date(2026, 3, 1, 23, 59, 58, 0, time.UTC)) // 2 s left in AsOf's day
		put(t, c, k, "v")
		wantHit(t, c, k, "v")
		if isRedis {
			pttl := c.redis.client.PTTL(ctx, c.redis.entryKey(k.id())).Val()
			if pttl <= 0 || pttl > 2*time.Second {
				t.Fatalf("PTTL = %v, want ≤ 2s (end of AsOf's day)", pttl)
			}
		}
		clk.Advance(2 * time.Second)
		if !isRedis { // Redis keeps its own clock: the PTTL above is the proof
			wantMiss(t, c, k)
		}
		if _, ok := c.ttl(k, 0); ok {
			t.Fatal("ttl after the end of AsOf's day is storable")
		}
		clk.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		for _, tc := range []struct {
			name string
			arg  time.Duration
			want time.Duration
		}{
			{"default", 0, DefaultTTL},
			{"shorter argument", 10 * time.Second, 10 * time.Second},
			{"longer argument", time.Hour, DefaultTTL},
		} {
			if got, _ := c.ttl(k, tc.arg); got != tc.want {
				t.Errorf("%s: ttl = %v, want %v", tc.name, got, tc.want)
			}
		}
		if got, ok := c.ttl(Key{AsOf: "not a day"}, 0); ok {
			t.Errorf("bad AsOf: ttl = %v, storable", got)
		}
	})
}

func TestLocalEntriesAreShortLived(t *testing.T) {
	clk := newFakeClock()
	c := New(nil, Options{Now: clk.Now})
	k := key("PUBLIC", "a")
	put(t, c, k, "v", "e:A")
	clk.Advance(MaxLocalTTL - time.Millisecond)
	wantHit(t, c, k, "v")
	clk.Advance(time.Millisecond)
	wantMiss(t, c, k)
}

func TestDoComputesOnce(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		k := key("PUBLIC", "hot")
		var calls atomic.Int32
		release := make(chan struct{})
		compute := func(context.Context) ([]byte, error) {
			calls.Add(1)
			<-release
			return []byte("answer"), nil
		}
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for range 50 {
			wg.Go(func() {
				v, err := c.Do(context.Background(), k, []string{"e:A"}, compute)
				if err == nil && string(v) != "answer" {
					err = fmt.Errorf("got %q", v)
				}
				errs <- err
			})
		}
		for calls.Load() == 0 { // wait for the leader to start
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // let the others join the flight
		close(release)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("computed %d times, want 1", n)
		}
		wantHit(t, c, k, "answer")
	})
}

func TestDoDoesNotCacheErrors(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		k := key("PUBLIC", "flaky")
		boom := errors.New("boom")
		calls := 0
		compute := func(context.Context) ([]byte, error) {
			calls++
			if calls == 1 {
				return nil, boom
			}
			return []byte("ok"), nil
		}
		if _, err := c.Do(context.Background(), k, nil, compute); !errors.Is(err, boom) {
			t.Fatalf("first Do: err = %v, want boom", err)
		}
		wantMiss(t, c, k)
		v, err := c.Do(context.Background(), k, nil, compute)
		if err != nil || string(v) != "ok" || calls != 2 {
			t.Fatalf("second Do = %q, %v after %d calls; want ok after 2", v, err, calls)
		}
	})
}

func TestEntryEncoding(t *testing.T) {
	deps := []tagVersion{{"e:91350100M000100Y43", 1740000000123456}, {"list:serious", -(1 << 32) - 3}}
	gotDeps, gotValue, err := decodeEntry(encodeEntry(deps, []byte(`{"data":{}}`)))
	if err != nil || fmt.Sprint(gotDeps) != fmt.Sprint(deps) || string(gotValue) != `{"data":{}}` {
		t.Fatalf("round trip = %v, %q, %v", gotDeps, gotValue, err)
	}
	for _, bad := range [][]byte{nil, {0}, {entryFormat, 5}, {entryFormat, 1, 9, 'a'}} {
		if _, _, err := decodeEntry(bad); err == nil {
			t.Errorf("decodeEntry(%v): no error", bad)
		}
	}
}
