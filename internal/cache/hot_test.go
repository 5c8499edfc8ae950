package cache

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// sourceMetrics counts hits by source.
type sourceMetrics struct {
	nopMetrics
	mu   sync.Mutex
	hits map[string]int
}

func (m *sourceMetrics) Hit(source string, _ int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.hits == nil {
		m.hits = map[string]int{}
	}
	m.hits[source]++
}

func (m *sourceMetrics) count(source string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits[source]
}

// hotReplica is a replica with a hot layer kept coherent by Run.
type hotReplica struct {
	*Cache
	m *sourceMetrics
}

func newHotReplica(t *testing.T, client redis.UniversalClient, prefix string, clk *fakeClock, lease, timeout time.Duration) hotReplica {
	t.Helper()
	m := &sourceMetrics{}
	c := New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: timeout, Metrics: m, HotMaxBytes: 1 << 20, HotLease: lease})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return hotReplica{c, m}
}

// waitLeased waits for the replica's first heartbeat to come back.
func (r hotReplica) waitLeased(t *testing.T) {
	t.Helper()
	for i := 0; !r.hot.leased(); i++ {
		if i == 1000 {
			t.Fatal("the hot layer never got its lease: no heartbeat came back through the subscription")
		}
		time.Sleep(5 * time.Millisecond) // waiting for Redis, not for time to pass
	}
}

// wantHot asks r for k twice: the first answer may come from Redis (and
// fills the hot layer), the second must come from the hot layer.
func (r hotReplica) wantHot(t *testing.T, k Key, want string) {
	t.Helper()
	wantHit(t, r.Cache, k, want)
	before := r.m.count(SourceHot)
	wantHit(t, r.Cache, k, want)
	if r.m.count(SourceHot) != before+1 {
		t.Fatalf("Get(%+v): not answered from the hot layer", k)
	}
}

// TestHotLayerInvalidatedOnEveryReplica: a replica answers repeats from its
// hot layer, and the very next lookup after an invalidation by another
// replica, or by a process with no hot layer (the import command), misses,
// with no wait; entries of other tags stay.
func TestHotLayerInvalidatedOnEveryReplica(t *testing.T) {
	run := func(t *testing.T, client redis.UniversalClient) {
		ctx := context.Background()
		clk := newFakeClock()
		prefix := testPrefix(t)
		a := newHotReplica(t, client, prefix, clk, time.Second, time.Second)
		b := newHotReplica(t, client, prefix, clk, time.Second, time.Second)
		writer := New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second}) // no hot layer, no Run
		a.waitLeased(t)
		b.waitLeased(t)
		k1, k2 := key("PUBLIC", "{ one }"), key("PUBLIC", "{ two }")
		put(t, a.Cache, k1, "one", "e:1", "all")
		put(t, a.Cache, k2, "two", "e:2", "all")
		a.wantHot(t, k1, "one")
		b.wantHot(t, k1, "one")
		b.wantHot(t, k2, "two")

		if err := a.Invalidate(ctx, "e:1"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, b.Cache, k1)
		wantMiss(t, a.Cache, k1)
		b.wantHot(t, k2, "two")

		if err := writer.Invalidate(ctx, "e:2"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, b.Cache, k2)
		wantMiss(t, a.Cache, k2)

		// Refilled after the write, served hot again, and gone again after
		// a bulk invalidation.
		put(t, a.Cache, k1, "one again", "e:1", "all")
		b.wantHot(t, k1, "one again")
		if err := writer.Invalidate(ctx, "all"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, b.Cache, k1)
	}
	t.Run("redis", func(t *testing.T) { run(t, newTestClient(t)) })
	t.Run("cluster", func(t *testing.T) { run(t, newClusterClient(t)) })
}

// TestHotLayerKeysByTierAndDay: the hot layer keeps answers by the same key
// as Redis, tier and disclosure day included.
func TestHotLayerKeysByTierAndDay(t *testing.T) {
	client := newTestClient(t)
	clk := newFakeClock()
	r := newHotReplica(t, client, testPrefix(t), clk, time.Second, time.Second)
	r.waitLeased(t)
	pub, reg := key("PUBLIC", "{ p }"), key("REGULATOR", "{ p }")
	put(t, r.Cache, reg, "regulator answer", "e:1", "all")
	r.wantHot(t, reg, "regulator answer")
	wantMiss(t, r.Cache, pub)
	put(t, r.Cache, pub, "public answer", "e:1", "all")
	r.wantHot(t, pub, "public answer")
	r.wantHot(t, reg, "regulator answer")
	nextDay := pub
	nextDay.AsOf = "2026-03-02"
	wantMiss(t, r.Cache, nextDay)
}

// TestHotLayerWithoutItsSubscription: a replica whose subscription is cut
// serves nothing stale from its hot layer. With CLIENT KILL it notices and
// subscribes again (starting empty); behind a frozen connection it notices
// nothing, and its lease runs out before the writer's invalidation returns.
func TestHotLayerWithoutItsSubscription(t *testing.T) {
	t.Run("client kill", func(t *testing.T) {
		ctx := context.Background()
		clk := newFakeClock()
		prefix := testPrefix(t)
		name := fmt.Sprintf("cg-hot-test-%d", time.Now().UnixNano())
		bc := newTestClientNamed(t, name)
		b := newHotReplica(t, bc, prefix, clk, 300*time.Millisecond, time.Second)
		writer := New(newTestClient(t), Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second})
		b.waitLeased(t)
		k := key("PUBLIC", "{ q }")
		put(t, writer, k, "old", "e:1", "all")
		b.wantHot(t, k, "old")
		killSubscriptions(t, newTestClient(t), name)
		if err := writer.Invalidate(ctx, "e:1"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, b.Cache, k)
		put(t, writer, k, "new", "e:1", "all")
		b.waitLeased(t)
		b.wantHot(t, k, "new")
	})
	t.Run("frozen connection", func(t *testing.T) {
		ctx := context.Background()
		clk := newFakeClock()
		prefix := testPrefix(t)
		direct := newTestClient(t)
		p := newFreezeProxy(t, direct.Options().Addr)
		bc := redis.NewClient(&redis.Options{Addr: p.addr(), DB: direct.Options().DB, ContextTimeoutEnabled: true, MaxRetries: -1})
		t.Cleanup(func() { _ = bc.Close() })
		b := newHotReplica(t, bc, prefix, clk, 300*time.Millisecond, 100*time.Millisecond)
		writer := New(direct, Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second})
		b.waitLeased(t)
		k := key("PUBLIC", "{ q }")
		put(t, writer, k, "old", "e:1", "all")
		b.wantHot(t, k, "old")
		p.freeze()
		if err := writer.Invalidate(ctx, "e:1"); err != nil {
			t.Fatal(err)
		}
		if v, ok := b.Get(ctx, k); ok && string(v) == "old" {
			t.Fatal("the replica behind a frozen connection served the invalidated answer")
		}
	})
}

// newTestClientNamed is newTestClient whose connections carry name, so the
// test can find them in CLIENT LIST.
func newTestClientNamed(t *testing.T, name string) *redis.Client {
	t.Helper()
	return newTestClientWith(t, func(o *redis.Options) { o.ClientName = name })
}

func newTestClientWith(t *testing.T, f func(*redis.Options)) *redis.Client {
	t.Helper()
	c := newTestClient(t)
	o := c.Options()
	f(o)
	nc := redis.NewClient(o)
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// killSubscriptions kills the subscribed connections named name.
func killSubscriptions(t *testing.T, c *redis.Client, name string) {
	t.Helper()
	ctx := context.Background()
	list, err := c.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for _, line := range strings.Split(list, "\n") {
		f := map[string]string{}
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(kv, "=")
			f[k] = v
		}
		if f["name"] != name || f["sub"] == "0" || f["sub"] == "" {
			continue
		}
		if err := c.Do(ctx, "client", "kill", "id", f["id"]).Err(); err != nil {
			t.Fatal(err)
		}
		killed++
	}
	if killed == 0 {
		t.Fatalf("no subscribed connection named %s in CLIENT LIST", name)
	}
}

// freezeProxy forwards TCP to Redis until frozen; then it forwards nothing
// and closes nothing, as a network that drops packets would.
type freezeProxy struct {
	ln     net.Listener
	mu     sync.Mutex
	frozen chan struct{}
}

func newFreezeProxy(t *testing.T, target string) *freezeProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezeProxy{ln: ln, frozen: make(chan struct{})}
	var conns []net.Conn
	var mu sync.Mutex
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r, err := net.Dial("tcp", target)
			if err != nil {
				_ = c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, r)
			mu.Unlock()
			go p.pipe(c, r)
			go p.pipe(r, c)
		}
	}()
	return p
}

func (p *freezeProxy) addr() string { return p.ln.Addr().String() }

func (p *freezeProxy) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.frozen:
	default:
		close(p.frozen)
	}
}

func (p *freezeProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		select {
		case <-p.frozen:
			return // swallow it, and everything after
		default:
		}
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			return
		}
	}
}

// TestHotFillAfterDropIsRefused: an answer read from Redis before an
// invalidation was applied is not kept when it lands after it.
func TestHotFillAfterDropIsRefused(t *testing.T) {
	clk := newFakeClock()
	h := newHotStore(1<<20, clk.Now)
	h.extend(h.since(), time.Hour)
	gen := h.generation()
	h.drop([]string{"e:9"}) // any invalidation, even of another tag
	h.put(gen, "id", []string{"e:1"}, []byte("v"), time.Minute)
	if _, ok := h.get("id"); ok {
		t.Fatal("a fill begun before an invalidation was kept")
	}
	h.put(h.generation(), "id", []string{"e:1"}, []byte("v"), time.Minute)
	if _, ok := h.get("id"); !ok {
		t.Fatal("a fill begun after the invalidation was refused")
	}
	h.revoke()
	if _, ok := h.get("id"); ok {
		t.Fatal("served without a lease")
	}
}
