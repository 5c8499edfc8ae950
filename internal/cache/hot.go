package cache

import (
	"sync"
	"sync/atomic"
	"time"
)

// hotStore is the hot layer: answers this replica recently read from Redis,
// valid there when read, kept in process so that a repeat is answered
// without a Redis round trip. It is bounded by bytes (oldest first out) and
// indexed by tag, so an invalidation drops exactly the entries that depend
// on a tag it names.
//
// It answers only while its lease holds (see coherence): the lease is
// extended each time the replica's own heartbeat comes back through its
// invalidation subscription, proving every invalidation published before the
// heartbeat has been applied here.
type hotStore struct {
	maxBytes int64
	now      func() time.Time // entries' expiry (Options.Now)
	epoch    time.Time        // the lease's monotonic origin (real time)

	// leaseUntil is the end of the lease as time since epoch; 0: none.
	leaseUntil atomic.Int64

	mu      sync.RWMutex
	gen     uint64 // moves at every drop and clear: fills begun before it are refused
	entries map[string]*hotEntry
	byTag   map[string]map[string]struct{}
	order   []*hotEntry // insertion order, for eviction; may hold dropped entries
	bytes   int64
}

type hotEntry struct {
	id        string
	tags      []string
	value     []byte
	expiresAt time.Time
	size      int64
	dropped   bool
}

func newHotStore(maxBytes int64, now func() time.Time) *hotStore {
	return &hotStore{
		maxBytes: maxBytes, now: now, epoch: time.Now(),
		entries: make(map[string]*hotEntry), byTag: make(map[string]map[string]struct{}),
	}
}

// leased reports whether the lease holds now.
func (h *hotStore) leased() bool {
	until := h.leaseUntil.Load()
	return until != 0 && int64(time.Since(h.epoch)) < until
}

// extend moves the lease's end to sentAt + lease, if that is later.
func (h *hotStore) extend(sentAt time.Duration, lease time.Duration) {
	until := int64(sentAt + lease)
	for {
		cur := h.leaseUntil.Load()
		if cur >= until || h.leaseUntil.CompareAndSwap(cur, until) {
			return
		}
	}
}

// revoke ends the lease at once.
func (h *hotStore) revoke() { h.leaseUntil.Store(0) }

// since is the lease clock's reading now.
func (h *hotStore) since() time.Duration { return time.Since(h.epoch) }

// get returns id's value while the lease holds and the entry lives.
func (h *hotStore) get(id string) ([]byte, bool) {
	if !h.leased() {
		return nil, false
	}
	h.mu.RLock()
	e, ok := h.entries[id]
	h.mu.RUnlock()
	if !ok || !h.now().Before(e.expiresAt) {
		return nil, false
	}
	return e.value, true
}

// generation is what a fill reads before its Redis lookup and hands to put.
func (h *hotStore) generation() uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.gen
}

// put keeps value, read from Redis valid with tags, for ttl, unless a drop
// or clear happened since gen was read (the value may predate it) or the
// lease does not hold (an invalidation may have been missed).
func (h *hotStore) put(gen uint64, id string, tags []string, value []byte, ttl time.Duration) {
	size := int64(len(id) + len(value) + 96)
	for _, t := range tags {
		size += int64(len(t) + 48)
	}
	if ttl <= 0 || size > h.maxBytes/4 || !h.leased() {
		return
	}
	e := &hotEntry{id: id, tags: tags, value: value, expiresAt: h.now().Add(ttl), size: size}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != gen {
		return
	}
	if old, ok := h.entries[id]; ok {
		h.remove(old)
	}
	h.entries[id] = e
	for _, t := range tags {
		s := h.byTag[t]
		if s == nil {
			s = make(map[string]struct{})
			h.byTag[t] = s
		}
		s[id] = struct{}{}
	}
	h.order = append(h.order, e)
	h.bytes += size
	for h.bytes > h.maxBytes && len(h.order) > 0 {
		old := h.order[0]
		h.order[0] = nil
		h.order = h.order[1:]
		if !old.dropped {
			h.remove(old)
		}
	}
	if len(h.order) > 2*len(h.entries)+64 { // compact what drops left behind
		kept := make([]*hotEntry, 0, len(h.entries))
		for _, e := range h.order {
			if !e.dropped {
				kept = append(kept, e)
			}
		}
		h.order = kept
	}
}

// remove unlinks e. Callers hold h.mu.
func (h *hotStore) remove(e *hotEntry) {
	e.dropped = true
	delete(h.entries, e.id)
	for _, t := range e.tags {
		if s := h.byTag[t]; s != nil {
			delete(s, e.id)
			if len(s) == 0 {
				delete(h.byTag, t)
			}
		}
	}
	h.bytes -= e.size
}

// drop removes every entry that depends on one of tags, and refuses fills
// begun before it. It returns how many entries went.
func (h *hotStore) drop(tags []string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	n := 0
	for _, t := range tags {
		for id := range h.byTag[t] {
			if e, ok := h.entries[id]; ok {
				h.remove(e)
				n++
			}
		}
	}
	return n
}

// clear removes every entry and refuses fills begun before it.
func (h *hotStore) clear() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	for _, e := range h.order {
		if e != nil {
			e.dropped = true
		}
	}
	clear(h.entries)
	clear(h.byTag)
	h.order = nil
	h.bytes = 0
}

// len is the number of entries kept.
func (h *hotStore) len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.entries)
}
