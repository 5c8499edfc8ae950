package cache

import (
	"sync"
	"time"

	"github.com/maypok86/otter/v2"
)

// MaxLocalTTL caps the life of an entry in the in-process fallback: while
// Redis is down an Invalidate reaches only the replica that made it, so the
// other replicas' local entries must die soon by themselves.
const MaxLocalTTL = 5 * time.Second

// maxLocalTags bounds the in-process tag versions; past it they all start
// over in a new epoch, which turns every local entry into a miss.
const maxLocalTags = 100_000

// localStore is the in-process fallback: entries in an otter cache bounded by
// bytes, and tag versions of its own. Local versions are negative,
// -(epoch<<32 | counter), so they can never be mistaken for Redis versions
// (positive) when the caller hands them back to Set.
type localStore struct {
	entries *otter.Cache[string, localEntry]
	now     func() time.Time

	mu    sync.Mutex
	epoch int64
	tags  map[string]int64
}

type localEntry struct {
	deps      []tagVersion
	value     []byte
	expiresAt time.Time
	ttl       time.Duration
}

func newLocalStore(maxBytes int64, now func() time.Time, injected bool) *localStore {
	o := &otter.Options[string, localEntry]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(id string, e localEntry) uint32 {
			n := len(id) + len(e.value) + 64
			for _, d := range e.deps {
				n += len(d.tag) + 24
			}
			return uint32(n)
		},
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, localEntry]) time.Duration {
			return e.Value.ttl
		}),
	}
	if injected {
		o.Clock = clockAdapter{now}
	}
	return &localStore{entries: otter.Must(o), now: now, epoch: 1, tags: make(map[string]int64)}
}

// clockAdapter lets otter expire entries on an injected clock (tests); it
// sends no ticks, so expired entries go on access or eviction.
type clockAdapter struct{ now func() time.Time }

func (c clockAdapter) NowNano() int64                      { return c.now().UnixNano() }
func (c clockAdapter) Tick(time.Duration) <-chan time.Time { return nil }

func (l *localStore) get(id string) ([]byte, bool) {
	e, ok := l.entries.GetIfPresent(id)
	if !ok || !l.now().Before(e.expiresAt) {
		return nil, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range e.deps {
		if v, ok := l.tags[d.tag]; !ok || v != d.version {
			return nil, false
		}
	}
	return e.value, true
}

func (l *localStore) set(id string, deps []tagVersion, value []byte, ttl time.Duration) {
	ttl = min(ttl, MaxLocalTTL)
	v := make([]byte, len(value)) // the caller may reuse its buffer
	copy(v, value)
	l.entries.Set(id, localEntry{deps: deps, value: v, expiresAt: l.now().Add(ttl), ttl: ttl})
}

func (l *localStore) versions(tags []string) []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]int64, len(tags))
	for i, t := range tags {
		v, ok := l.tags[t]
		if !ok {
			v = l.newVersion()
			l.tags[t] = v
		}
		out[i] = v
	}
	return out
}

func (l *localStore) bump(tags []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range tags {
		if v, ok := l.tags[t]; ok {
			l.tags[t] = v - 1 // a version no local entry has
		}
		// A tag with no version has no valid local entry: nothing to do.
	}
}

// newVersion is the first version of a tag in this epoch. Callers hold l.mu.
func (l *localStore) newVersion() int64 {
	if len(l.tags) >= maxLocalTags {
		clear(l.tags)
		l.epoch++
	}
	return -(l.epoch << 32) - 1
}
