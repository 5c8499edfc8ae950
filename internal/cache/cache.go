package cache

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// Defaults for Options.
const (
	DefaultPrefix           = "creditgraph:rc:"
	DefaultTTL              = 60 * time.Second
	DefaultTimeout          = 30 * time.Millisecond
	DefaultMaxLocalBytes    = 64 << 20
	DefaultFailureThreshold = 3
	DefaultCooldown         = 5 * time.Second
)

// maxHints bounds the entries whose tags a Cache remembers.
const maxHints = 100_000

// Options configures a Cache. The zero value is valid.
type Options struct {
	// Prefix of every Redis key; "" means DefaultPrefix.
	Prefix string
	// TTL caps every entry's life; 0 means DefaultTTL.
	TTL time.Duration
	// Timeout bounds each Redis operation (a Get's two round trips
	// together); past it the cache acts as if Redis were absent. 0 means
	// DefaultTimeout. Build the client with ContextTimeoutEnabled, or each
	// call runs on a goroutine of its own to keep the bound (see redisguard.Call).
	Timeout time.Duration
	// MaxLocalBytes bounds the in-process fallback; 0 means
	// DefaultMaxLocalBytes.
	MaxLocalBytes int64
	// FailureThreshold is how many consecutive Redis failures open the
	// breaker; 0 means DefaultFailureThreshold.
	FailureThreshold int
	// Cooldown is how long the open breaker keeps Redis uncalled before one
	// probe; 0 means DefaultCooldown.
	Cooldown time.Duration
	// Now is the clock of TTLs, the local fallback and the breaker (tests
	// inject one); nil means time.Now.
	Now func() time.Time
	// Today is the clock whose date the keys carry (the disclosure clock,
	// which CLOCK_DATE may fix): an entry lives at most to the end of its
	// key's day by it. nil means Now.
	Today func() time.Time
	// Metrics receives counters; nil means none.
	Metrics Metrics
	// Logger logs breaker transitions and misuse; nil means none.
	Logger *slog.Logger
	// HotMaxBytes bounds the hot layer: answers read from Redis kept in
	// process and served without a Redis round trip while Run keeps them
	// coherent (see coherence.go). 0 means no hot layer. It needs Redis.
	HotMaxBytes int64
	// HotLease is how long a replica may serve from its hot layer after its
	// last heartbeat came back through its invalidation subscription, and
	// so the longest a write waits for a replica that stopped hearing
	// invalidations. 0 means DefaultHotLease.
	HotLease time.Duration
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxLocalBytes <= 0 {
		o.MaxLocalBytes = DefaultMaxLocalBytes
	}
	if o.FailureThreshold < 1 {
		o.FailureThreshold = DefaultFailureThreshold
	}
	if o.Cooldown <= 0 {
		o.Cooldown = DefaultCooldown
	}
	if o.Metrics == nil {
		o.Metrics = nopMetrics{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HotLease <= 0 {
		o.HotLease = DefaultHotLease
	}
	return o
}

// Cache is the response cache. Entries live in Redis, shared by every
// replica; while Redis is absent (nil client), failing or slower than
// Options.Timeout, a circuit breaker stops calling it and entries live in an
// in-process cache for at most MaxLocalTTL.
//
// Invalidation is exact, by versioned tags: an entry is stored with the
// version each of its tags had before the answer was computed, and is a hit
// only while every one of them is unchanged. Invalidate bumps versions; it
// deletes nothing. While Redis is down, invalidation reaches only this
// replica's local entries (other replicas' die within MaxLocalTTL), and the
// bumps Redis missed are replayed by this replica before it reads Redis
// again; another replica that kept its Redis connection may serve such an
// entry until the entry's TTL (Options.TTL at most).
//
// Values returned by Get and Do are shared: callers must not modify them.
type Cache struct {
	redis  *redisStore // nil: no Redis configured
	local  *localStore
	hot    *hotStore  // nil: no hot layer
	co     *coherence // nil: no Redis configured
	guard  *redisguard.Guard
	opts   Options
	flight singleflight.Group
	// hints remembers each entry's tags as this replica last saw them, so
	// a lookup can fetch them with the entry (see redisStore.get).
	hints *otter.Cache[string, []string]
	// recent remembers when this replica last stored each answer.
	recent *otter.Cache[string, time.Time]

	replayMu   sync.Mutex  // one replay at a time; lookups wait for it
	hasPending atomic.Bool // fast path: nothing to replay
	mu         sync.Mutex
	pending    map[string]struct{} // tags Invalidate could not bump in Redis
}

// New returns a Cache on client; a nil client means in-process only.
func New(client redis.UniversalClient, opts Options) *Cache {
	injected := opts.Now != nil
	if !injected {
		opts.Now = time.Now
	}
	if opts.Today == nil {
		opts.Today = opts.Now
	}
	opts = opts.withDefaults()
	c := &Cache{
		local:   newLocalStore(opts.MaxLocalBytes, opts.Now, injected),
		opts:    opts,
		pending: make(map[string]struct{}),
		hints:   otter.Must(&otter.Options[string, []string]{MaximumSize: maxHints}),
		// An entry matters for recentFlight only: expire it then, so
		// the map holds the last seconds' stores, not the last 100,000.
		recent: otter.Must(&otter.Options[string, time.Time]{
			MaximumSize:      maxHints,
			ExpiryCalculator: otter.ExpiryWriting[string, time.Time](recentFlight),
		}),
	}
	if client != nil {
		c.redis = &redisStore{client: client, prefix: opts.Prefix, tagTTL: max(24*time.Hour, 2*opts.TTL)}
		if opts.HotMaxBytes > 0 {
			c.hot = newHotStore(opts.HotMaxBytes, opts.Now)
		}
		c.co = newCoherence(client, opts.Prefix, c.hot, opts.HotLease)
	}
	b := redisguard.NewBreaker(opts.FailureThreshold, opts.Cooldown, opts.Now, func(state string) {
		opts.Metrics.BreakerState(state)
		level := slog.LevelInfo
		if state == BreakerOpen {
			level = slog.LevelWarn // invalidation is now per replica
		}
		opts.Logger.Log(context.Background(), level, "cache: redis circuit breaker", "state", state)
	})
	c.guard = redisguard.NewGuard(client, opts.Timeout, b, opts.Metrics.RedisError)
	return c
}

// BreakerState is BreakerClosed, BreakerOpen or BreakerHalfOpen; always
// BreakerOpen without a Redis client.
func (c *Cache) BreakerState() string {
	return c.guard.State()
}

// Get returns the answer stored under key if every tag it depends on still
// has the version it was stored with.
func (c *Cache) Get(ctx context.Context, key Key) ([]byte, bool) {
	return c.get(ctx, key.id())
}

// GetID is Get by a key's ID (Key.ID), for callers that remember where an
// answer is stored rather than what it depends on.
func (c *Cache) GetID(ctx context.Context, id string) ([]byte, bool) {
	return c.get(ctx, id)
}

// HotReady reports whether the hot layer may answer now: there is one and
// its lease holds (Run is running and its subscription is healthy).
func (c *Cache) HotReady() bool { return c.hot != nil && c.hot.leased() }

// HotID is GetID answered from the hot layer alone: no Redis call, and
// false whenever the hot layer cannot answer (no entry, no lease, none).
func (c *Cache) HotID(id string) ([]byte, bool) {
	v, ok := c.hotGet(id)
	if ok {
		c.opts.Metrics.Hit(SourceHot, len(v))
	}
	return v, ok
}

func (c *Cache) get(ctx context.Context, id string) ([]byte, bool) {
	v, ok, src := c.lookup(ctx, id)
	if ok {
		c.opts.Metrics.Hit(src, len(v))
	} else {
		c.opts.Metrics.Miss(src)
	}
	return v, ok
}

// lookup is get without metrics: the source answered and what it held.
func (c *Cache) lookup(ctx context.Context, id string) ([]byte, bool, string) {
	if v, ok := c.hotGet(id); ok {
		return v, true, SourceHot
	}
	type answer struct {
		v  []byte
		ok bool
	}
	a, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (answer, error) {
		if err := c.replayPending(ctx); err != nil {
			return answer{}, err
		}
		gen, fill := c.hotFill()
		hint, _ := c.hints.GetIfPresent(id)
		r, err := c.redis.getWith(ctx, id, hint, "", fill)
		if err == nil && r.tags != nil && !slices.Equal(r.tags, hint) {
			c.hints.Set(id, r.tags)
		}
		if err == nil && r.ok && fill {
			c.hot.put(gen, id, r.tags, r.value, r.ttl)
		}
		return answer{r.value, r.ok}, err
	})
	src := SourceRedis
	if err != nil {
		src = SourceLocal
		a.v, a.ok = c.local.get(id)
	}
	return a.v, a.ok, src
}

// hotGet answers from the hot layer, when there is one and its lease holds.
func (c *Cache) hotGet(id string) ([]byte, bool) {
	if c.hot == nil {
		return nil, false
	}
	return c.hot.get(id)
}

// hotFill reports whether a Redis hit should be kept in the hot layer, and
// the generation to hand to hotStore.put (read before Redis is).
func (c *Cache) hotFill() (uint64, bool) {
	if c.hot == nil || !c.hot.leased() {
		return 0, false
	}
	return c.hot.generation(), true
}

// recentFlight is how long after storing an answer a new flight on its key
// looks the key up again before computing (see DoTagged).
const recentFlight = 2 * time.Second

// lookupWrites is lookup that also returns WritesTag's current version, read
// in the same round trip (created, in one more, the first time).
func (c *Cache) lookupWrites(ctx context.Context, id string) ([]byte, bool, int64) {
	type answer struct {
		v      []byte
		ok     bool
		writes int64
	}
	if v, ok := c.hotGet(id); ok {
		c.opts.Metrics.Hit(SourceHot, len(v))
		return v, true, 0
	}
	a, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (answer, error) {
		if err := c.replayPending(ctx); err != nil {
			return answer{}, err
		}
		gen, fill := c.hotFill()
		hint, _ := c.hints.GetIfPresent(id)
		r, err := c.redis.getWith(ctx, id, hint, WritesTag, fill)
		if err == nil && r.tags != nil && !slices.Equal(r.tags, hint) {
			c.hints.Set(id, r.tags)
		}
		if err == nil && r.ok && fill {
			c.hot.put(gen, id, r.tags, r.value, r.ttl)
		}
		w := r.extra
		if err == nil && !r.ok && w == 0 { // no write yet under this prefix: start its version
			var vs []int64
			if vs, err = c.redis.versions(ctx, []string{WritesTag}); err == nil {
				w = vs[0]
			}
		}
		return answer{r.value, r.ok, w}, err
	})
	src := SourceRedis
	if err != nil {
		src = SourceLocal
		a.v, a.ok = c.local.get(id)
		a.writes = c.local.versions([]string{WritesTag})[0]
	}
	if a.ok {
		c.opts.Metrics.Hit(src, len(a.v))
	} else {
		c.opts.Metrics.Miss(src)
	}
	return a.v, a.ok, a.writes
}

// versionsThenWrites is Versions(tags) followed by WritesTag's version, read
// strictly after them (see DoTagged).
func (c *Cache) versionsThenWrites(ctx context.Context, tags []string) (map[string]int64, int64) {
	tags = uniq(tags)
	type answer struct {
		vs     []int64
		writes int64
	}
	a, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (answer, error) {
		vs, w, err := c.redis.versionsThen(ctx, tags, WritesTag)
		return answer{vs, w}, err
	})
	if err != nil {
		a.vs = c.local.versions(tags)
		a.writes = c.local.versions([]string{WritesTag})[0]
	}
	out := make(map[string]int64, len(tags))
	for i, t := range tags {
		out[t] = a.vs[i]
	}
	return out, a.writes
}

// Versions returns the current version of each tag, to be passed to Set. Read
// them BEFORE computing the answer: a write that lands while the answer is
// being computed then bumps a version the entry already holds, so the entry
// is born invalid; read after, the entry would carry the new versions with
// the old data and outlive the write. The map is opaque: Redis versions are
// positive and local ones negative, and Set stores an entry only where its
// versions came from.
func (c *Cache) Versions(ctx context.Context, tags []string) map[string]int64 {
	tags = uniq(tags)
	if len(tags) == 0 {
		return map[string]int64{}
	}
	vs, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) ([]int64, error) {
		return c.redis.versions(ctx, tags)
	})
	if err != nil {
		vs = c.local.versions(tags)
	}
	out := make(map[string]int64, len(tags))
	for i, t := range tags {
		out[t] = vs[i]
	}
	return out
}

// Set stores value under key, depending on tags at versions (from Versions,
// read before value was computed). Its life is the least of Options.TTL, ttl
// (if > 0) and the time left in key.AsOf's day (UTC), so an answer never
// outlives its disclosure day. Set is best effort: an entry it cannot store
// is a later miss.
func (c *Cache) Set(ctx context.Context, key Key, value []byte, tags []string, versions map[string]int64, ttl time.Duration) {
	c.set(ctx, key, key.id(), value, tags, versions, ttl)
}

func (c *Cache) set(ctx context.Context, key Key, id string, value []byte, tags []string, versions map[string]int64, ttl time.Duration) {
	life, ok := c.ttl(key, ttl)
	if !ok {
		return
	}
	deps, fromRedis, ok := c.depsOf(tags, versions)
	if !ok {
		return
	}
	if fromRedis || len(deps) == 0 {
		entry := encodeEntry(deps, value)
		_, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, c.redis.set(ctx, id, entry, life)
		})
		if err == nil {
			// No hint yet: most stored answers are never asked for again
			// on this replica (a crawl, a cold profile), and a hint per
			// stored answer grew the heap with every new key. The first
			// hit reads the tags in one more round trip and leaves the hint.
			c.opts.Metrics.Set(SourceRedis, len(value))
			return
		}
		if fromRedis {
			return // Redis versions mean nothing to the local fallback
		}
	}
	c.local.set(id, deps, value, life)
	c.opts.Metrics.Set(SourceLocal, len(value))
}

// ttl is the life of an entry stored now, or false if it must not be stored.
func (c *Cache) ttl(key Key, ttl time.Duration) (time.Duration, bool) {
	end, ok := key.endOfDay()
	if !ok {
		return 0, false
	}
	life := min(c.opts.TTL, end.Sub(c.opts.Today()))
	if ttl > 0 {
		life = min(life, ttl)
	}
	return life, life >= time.Millisecond // Redis keeps whole milliseconds
}
