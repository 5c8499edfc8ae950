package cache

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// putMany stores value i under keys[i], each depending on its own tags[i],
// with versions read in one call as the entity cache does.
func putMany(t *testing.T, c *Cache, keys []Key, values []string, tags [][]string) {
	t.Helper()
	ctx := context.Background()
	var all []string
	for _, ts := range tags {
		all = append(all, ts...)
	}
	versions := c.Versions(ctx, all)
	items := make([]Item, len(keys))
	for i, k := range keys {
		items[i] = Item{Key: k, Value: []byte(values[i]), Tags: tags[i], Versions: versions}
	}
	c.SetMany(ctx, items)
}

// wantMany checks GetMany(keys) against want, "" meaning a miss, and that
// each answer is the one Get gives.
func wantMany(t *testing.T, c *Cache, keys []Key, want ...string) {
	t.Helper()
	values, found := c.GetMany(context.Background(), keys)
	if len(values) != len(keys) || len(found) != len(keys) {
		t.Fatalf("GetMany of %d keys: %d values, %d found", len(keys), len(values), len(found))
	}
	for i, k := range keys {
		got := "<miss>"
		if found[i] {
			got = string(values[i])
		}
		w := want[i]
		if w == "" {
			w = "<miss>"
		}
		if got != w {
			t.Errorf("GetMany[%d] (%s) = %q, want %q", i, k.Document, got, w)
		}
		v, ok := c.Get(context.Background(), k)
		if ok != found[i] || string(v) != string(values[i]) {
			t.Errorf("Get(%s) = %q, %v; GetMany said %q, %v", k.Document, v, ok, values[i], found[i])
		}
	}
}

func TestGetManyHitsAndMisses(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		a, b, cc, none := key("PUBLIC", "a"), key("PUBLIC", "b"), key("PUBLIC", "c"), key("PUBLIC", "none")
		putMany(t, c, []Key{a, b, cc}, []string{"A", "B", "C"}, [][]string{{"all", "e:A"}, {"all", "e:B"}, nil})
		wantMany(t, c, []Key{a, none, b, cc, a}, "A", "", "B", "C", "A")
		wantMany(t, c, []Key{none}, "")
		wantMany(t, c, []Key{key("REGULATOR", "a")}, "") // the tier is in the key
		if v, f := c.GetMany(context.Background(), nil); v != nil || f != nil {
			t.Fatalf("GetMany(nil) = %v, %v", v, f)
		}
		c.SetMany(context.Background(), nil)
		// Set and SetMany write the same entries.
		put(t, c, none, "N", "e:N")
		wantMany(t, c, []Key{none, a}, "N", "A")
	})
}

func TestGetManyInvalidatesOneOfSeveral(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		keys := []Key{key("PUBLIC", "a"), key("PUBLIC", "b"), key("PUBLIC", "c")}
		tags := [][]string{{"all", "e:A"}, {"all", "e:B"}, {"all", "e:C"}}
		putMany(t, c, keys, []string{"A", "B", "C"}, tags)
		wantMany(t, c, keys, "A", "B", "C")
		if err := c.Invalidate(ctx, "e:B"); err != nil {
			t.Fatal(err)
		}
		wantMany(t, c, keys, "A", "", "C")
		putMany(t, c, keys[1:2], []string{"B2"}, tags[1:2])
		wantMany(t, c, keys, "A", "B2", "C")
		if err := c.Invalidate(ctx, "all"); err != nil {
			t.Fatal(err)
		}
		wantMany(t, c, keys, "", "", "")
	})
}

// A write between Versions and SetMany leaves the entries it touches born
// invalid, and only those.
func TestSetManyRacingWrite(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		a, b := key("PUBLIC", "a"), key("PUBLIC", "b")
		versions := c.Versions(ctx, []string{"all", "e:A", "e:B"})
		if err := c.Invalidate(ctx, "e:A"); err != nil { // the racing write
			t.Fatal(err)
		}
		c.SetMany(ctx, []Item{
			{Key: a, Value: []byte("stale"), Tags: []string{"all", "e:A"}, Versions: versions},
			{Key: b, Value: []byte("B"), Tags: []string{"all", "e:B"}, Versions: versions},
		})
		wantMany(t, c, []Key{a, b}, "", "B")
	})
}

// SetMany refuses what Set refuses: a tag without a version, versions from
// both sources, an unparsable day.
func TestSetManyRefusesWhatSetRefuses(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		a, b, mixed, bad := key("PUBLIC", "a"), key("PUBLIC", "b"), key("PUBLIC", "mixed"), key("PUBLIC", "bad")
		bad.AsOf = "not a day"
		vs := c.Versions(ctx, []string{"e:A"})
		mixedVersions := map[string]int64{"e:A": vs["e:A"], "e:X": -vs["e:A"]}
		c.SetMany(ctx, []Item{
			{Key: a, Value: []byte("A"), Tags: []string{"e:A", "e:unread"}, Versions: vs},
			{Key: mixed, Value: []byte("M"), Tags: []string{"e:A", "e:X"}, Versions: mixedVersions},
			{Key: bad, Value: []byte("X"), Tags: []string{"e:A"}, Versions: vs},
			{Key: b, Value: []byte("B"), Tags: []string{"e:A"}, Versions: vs},
		})
		wantMany(t, c, []Key{a, mixed, bad, b}, "", "", "", "B")
	})
}

// Each entry's life is bounded as Set bounds it: Options.TTL, Item.TTL and
// the end of its AsOf day; an entry for a day already over is not stored.
func TestSetManyTTL(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		clk := newFakeClock()
		c := newCache(clk)
		isRedis := c.redis != nil
		ctx := context.Background()
		late, short, yesterday := key("PUBLIC", "late"), key("PUBLIC", "short"), key("PUBLIC", "yesterday")
		tomorrow := key("PUBLIC", "tomorrow")
		yesterday.AsOf, tomorrow.AsOf = "2026-02-28", "2026-03-02"
		clk.Set(time.Date(2026, 3, 1, 23, 59, 58, 0, time.UTC)) // 2 s left in AsOf's day
		vs := c.Versions(ctx, []string{"e:A"})
		tags := []string{"e:A"}
		c.SetMany(ctx, []Item{
			{Key: late, Value: []byte("L"), Tags: tags, Versions: vs},
			{Key: short, Value: []byte("S"), Tags: tags, Versions: vs, TTL: 500 * time.Millisecond},
			{Key: yesterday, Value: []byte("Y"), Tags: tags, Versions: vs},
			{Key: tomorrow, Value: []byte("T"), Tags: tags, Versions: vs},
		})
		wantMany(t, c, []Key{late, short, yesterday, tomorrow}, "L", "S", "", "T")
		if isRedis {
			for _, tc := range []struct {
				k        Key
				min, max time.Duration
			}{
				{late, time.Second, 2 * time.Second},
				{short, 1, 500 * time.Millisecond},
				{tomorrow, DefaultTTL - 10*time.Second, DefaultTTL},
			} {
				pttl := c.redis.client.PTTL(ctx, c.redis.entryKey(tc.k.id())).Val()
				if pttl < tc.min || pttl > tc.max {
					t.Errorf("%s: PTTL = %v, want within [%v, %v]", tc.k.Document, pttl, tc.min, tc.max)
				}
			}
			return // Redis keeps its own clock: the PTTLs are the proof
		}
		clk.Advance(500 * time.Millisecond)
		wantMany(t, c, []Key{late, short, tomorrow}, "L", "", "T")
		clk.Advance(1500 * time.Millisecond) // midnight
		wantMany(t, c, []Key{late, tomorrow}, "", "T")
	})
}

// countingHook counts the single commands and the pipelines a client sends,
// leaving out the handshake of a new connection (HELLO, CLIENT SETINFO).
type countingHook struct{ cmds, pipelines atomic.Int64 }

// handshake reports a command go-redis sends when it opens a connection
// (HELLO, AUTH, CLIENT SETINFO, SELECT of a non-zero DB, READONLY), which
// the counts must not include: they depend on the pool, not on the cache.
func handshake(cmd redis.Cmder) bool {
	switch cmd.Name() {
	case "hello", "client", "auth", "select", "readonly":
		return true
	}
	return false
}

func (h *countingHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *countingHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !handshake(cmd) {
			h.cmds.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (h *countingHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !slices.ContainsFunc(cmds, handshake) {
			h.pipelines.Add(1)
		}
		return next(ctx, cmds)
	}
}

func (h *countingHook) reset() { h.cmds.Store(0); h.pipelines.Store(0) }

func (h *countingHook) want(t *testing.T, what string, cmds, pipelines int64) {
	t.Helper()
	if c, p := h.cmds.Load(), h.pipelines.Load(); c != cmds || p != pipelines {
		t.Errorf("%s: %d commands and %d pipelines, want %d and %d", what, c, p, cmds, pipelines)
	}
	h.reset()
}

// GetMany costs two round trips whatever the number of keys, one when
// nothing is found; SetMany one.
func TestGetManyRoundTrips(t *testing.T) {
	client := newTestClient(t)
	hook := &countingHook{}
	client.AddHook(hook)
	c := newTestCache(t, client, testPrefix(t), newFakeClock())
	ctx := context.Background()
	const n = 100
	keys := make([]Key, n)
	values := make([]string, n)
	tags := make([][]string, n)
	for i := range keys {
		keys[i] = key("PUBLIC", fmt.Sprint("k", i))
		values[i] = fmt.Sprint("v", i)
		tags[i] = []string{"all", fmt.Sprint("e:", i)}
	}
	if _, found := c.GetMany(ctx, keys); found[0] {
		t.Fatal("hit in an empty cache")
	}
	hook.want(t, "GetMany, all missing", 0, 1)
	putMany(t, c, keys, values, tags) // Versions (1 pipeline) and SetMany (1)
	hook.want(t, "Versions and SetMany", 0, 2)
	vs, found := c.GetMany(ctx, keys)
	hook.want(t, "GetMany, all found", 0, 2)
	for i := range keys {
		if !found[i] || string(vs[i]) != values[i] {
			t.Fatalf("GetMany[%d] = %q, %v", i, vs[i], found[i])
		}
	}
}

type countingMetrics struct {
	nopMetrics
	mu                sync.Mutex
	hits, misses, set map[string]int
}

func newCountingMetrics() *countingMetrics {
	return &countingMetrics{hits: map[string]int{}, misses: map[string]int{}, set: map[string]int{}}
}

func (m *countingMetrics) Hit(src string, _ int) { m.mu.Lock(); m.hits[src]++; m.mu.Unlock() }
func (m *countingMetrics) Miss(src string)       { m.mu.Lock(); m.misses[src]++; m.mu.Unlock() }
func (m *countingMetrics) Set(src string, _ int) { m.mu.Lock(); m.set[src]++; m.mu.Unlock() }

func (m *countingMetrics) want(t *testing.T, src string, hits, misses, sets int) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.hits[src] != hits || m.misses[src] != misses || m.set[src] != sets {
		t.Errorf("%s: %d hits, %d misses, %d sets; want %d, %d, %d", src, m.hits[src], m.misses[src], m.set[src], hits, misses, sets)
	}
}

// Metrics count per key, as Get and Set do.
func TestManyMetrics(t *testing.T) {
	m := newCountingMetrics()
	clk := newFakeClock()
	c := New(nil, Options{Now: clk.Now, Metrics: m})
	a, b, none := key("PUBLIC", "a"), key("PUBLIC", "b"), key("PUBLIC", "none")
	putMany(t, c, []Key{a, b}, []string{"A", "B"}, [][]string{{"e:A"}, {"e:B"}})
	c.GetMany(context.Background(), []Key{a, none, b})
	m.want(t, SourceLocal, 2, 1, 2)
}

// Redis killed mid-run: GetMany and SetMany keep answering without error and
// within a bound, from the local fallback; entries stored with Redis
// versions are not moved there; after a restart the breaker's probe puts
// Redis back in use and the invalidations Redis missed are replayed.
func TestManyRedisOutage(t *testing.T) {
	srv := startRedisServer(t, 0)
	client := redis.NewClient(&redis.Options{
		Addr: srv.addr(), ContextTimeoutEnabled: true, MaxRetries: -1, DialerRetries: 1,
	})
	t.Cleanup(func() { _ = client.Close() })
	clk := newFakeClock()
	m := newCountingMetrics()
	// A timeout generous enough for -race on a busy machine: this test is
	// about a dead Redis (refused at once), not a slow one.
	c := New(client, Options{Prefix: testPrefix(t), Now: clk.Now, Timeout: 250 * time.Millisecond, Metrics: m})
	ctx := context.Background()
	keys := []Key{key("PUBLIC", "a"), key("PUBLIC", "b"), key("PUBLIC", "c")}
	tags := [][]string{{"all", "e:A"}, {"all", "e:B"}, {"all", "e:C"}}
	bounded := func(what string, f func()) {
		t.Helper()
		start := time.Now()
		f()
		t.Logf("%s with Redis down: %v", what, time.Since(start)) // returning at all is the bound; timings are not asserted
	}

	staleVersions := c.Versions(ctx, []string{"all", "e:A", "e:B", "e:C"})
	putMany(t, c, keys, []string{"A", "B", "C"}, tags)
	wantMany(t, c, keys, "A", "B", "C")
	m.want(t, SourceRedis, 6, 0, 3) // wantMany checks each GetMany answer with Get

	srv.kill()
	for range 5 {
		bounded("GetMany", func() { wantMany(t, c, keys, "", "", "") })
	}
	if c.BreakerState() != BreakerOpen {
		t.Fatalf("breaker %s after Redis died, want open", c.BreakerState())
	}
	// Versions read from Redis before it died mean nothing locally.
	bounded("SetMany", func() {
		c.SetMany(ctx, []Item{{Key: keys[0], Value: []byte("A"), Tags: tags[0], Versions: staleVersions}})
	})
	wantMany(t, c, keys[:1], "")
	bounded("Versions and SetMany", func() { putMany(t, c, keys, []string{"A2", "B2", "C2"}, tags) })
	wantMany(t, c, keys, "A2", "B2", "C2")
	if err := c.Invalidate(ctx, "e:B"); err == nil {
		t.Fatal("Invalidate with Redis down: want ErrDeferred")
	}
	wantMany(t, c, keys, "A2", "", "C2")
	clk.Advance(MaxLocalTTL)
	wantMany(t, c, keys, "", "", "") // local entries expired
	m.mu.Lock()
	localSets := m.set[SourceLocal]
	m.mu.Unlock()
	if localSets != 3 {
		t.Fatalf("%d local sets, want 3 (none with Redis versions)", localSets)
	}

	startRedisServer(t, srv.port)
	clk.Advance(DefaultCooldown)
	wantMany(t, c, keys, "", "", "") // the probe: Redis is empty (no persistence)
	if c.BreakerState() != BreakerClosed {
		t.Fatalf("breaker %s after restart and cooldown, want closed", c.BreakerState())
	}
	if len(c.pending) != 0 {
		t.Fatalf("pending invalidations not replayed: %v", c.pending)
	}
	putMany(t, c, keys, []string{"A3", "B3", "C3"}, tags)
	if n := client.Exists(ctx, c.redis.entryKey(keys[1].id())).Val(); n != 1 {
		t.Fatal("entry not stored in Redis after recovery")
	}
	wantMany(t, c, keys, "A3", "B3", "C3")
}

// A Redis that does not answer at all (a black hole, not a refused
// connection) costs GetMany one timeout, then nothing: the breaker opens.
func TestGetManyBlackHole(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	client := redis.NewClient(&redis.Options{Addr: l.Addr().String(), ContextTimeoutEnabled: true, MaxRetries: -1, Protocol: 2})
	t.Cleanup(func() { _ = client.Close() })
	clk := newFakeClock()
	c := New(client, Options{Prefix: testPrefix(t), Now: clk.Now, Timeout: 20 * time.Millisecond})
	keys := []Key{key("PUBLIC", "a"), key("PUBLIC", "b")}
	start := time.Now()
	for range DefaultFailureThreshold + 5 {
		if _, found := c.GetMany(context.Background(), keys); found[0] || found[1] {
			t.Fatal("hit from a black hole")
		}
	}
	t.Logf("GetMany against a silent Redis: %v", time.Since(start)) // it returned: bounded; timings are not asserted
	if c.BreakerState() != BreakerOpen {
		t.Fatalf("breaker %s, want open", c.BreakerState())
	}
}

// On a 3-master Redis Cluster, GetMany and SetMany of entries and tags
// spread over every master work on Redis throughout (no CROSSSLOT, no
// unfollowed MOVED: newRedisOnlyCache fails the test on any fallback), and
// replicas see each other's entries and invalidations.
func TestClusterGetManySetMany(t *testing.T) {
	ctx := context.Background()
	client := newClusterClient(t)
	prefix := testPrefix(t)
	clk := newFakeClock()
	r1 := newRedisOnlyCache(t, client, prefix, clk)
	r2 := newRedisOnlyCache(t, newClusterClient(t), prefix, clk)
	const n = 60
	keys := make([]Key, n)
	values := make([]string, n)
	tags := make([][]string, n)
	masters := map[string]bool{}
	for i := range keys {
		keys[i] = key("PUBLIC", fmt.Sprint("entity:", i))
		values[i] = fmt.Sprint("v", i)
		tags[i] = []string{"all", fmt.Sprint("e:", i)}
		for _, name := range []string{r1.redis.entryKey(keys[i].id()), r1.redis.tagKey(tags[i][1])} {
			m, err := client.MasterForKey(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			masters[m.Options().Addr] = true
		}
	}
	if len(masters) != 3 {
		t.Fatalf("keys on %d masters, want all 3", len(masters))
	}
	putMany(t, r1, keys, values, tags)
	want := slices.Clone(values)
	wantMany(t, r2, keys, want...)
	var bumped []string
	for i := 0; i < n; i += 7 {
		bumped = append(bumped, tags[i][1])
		want[i] = ""
	}
	if err := r2.Invalidate(ctx, bumped...); err != nil {
		t.Fatal(err)
	}
	wantMany(t, r1, keys, want...)
	if err := r1.Invalidate(ctx, "all"); err != nil {
		t.Fatal(err)
	}
	wantMany(t, r2, keys, make([]string, n)...)
}
