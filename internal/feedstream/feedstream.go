// Package feedstream is what change subscriptions need besides the store:
// a wake-up when the feed may have grown, and a bound on open streams per
// API key. The store stays the source of truth: a wake-up only says "read
// the feed again", so a lost one costs at most a poll interval. Writes on
// this replica wake its streams directly; a write anywhere (another replica,
// an import command) publishes on a Redis channel every replica listens
// to; without Redis, or while it is down, streams read the feed every poll
// interval. It must not know about GraphQL or HTTP.
package feedstream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/store"
)

// ErrTooManyStreams: the key holds as many streams as it may.
var ErrTooManyStreams = errors.New("feedstream: too many open streams for this key")

// Options configure a Hub.
type Options struct {
	// Redis carries wake-ups between processes; nil: polling alone.
	Redis redis.UniversalClient
	// Channel is the Redis channel (REDIS_KEY_PREFIX + "feed").
	Channel string
	// Poll is how often a stream reads the feed with no wake-up (default 1s).
	Poll time.Duration
	// PerKey is how many streams one key may hold open (default 5).
	PerKey int
	Log    *slog.Logger
}

// Hub wakes streams and counts them. It is safe for concurrent use.
type Hub struct {
	o Options

	mu     sync.Mutex
	wake   chan struct{} // closed and replaced at each wake-up
	open   map[string]int
	done   chan struct{}
	closed bool
}

// New returns a hub; call Run to listen to Redis, Close on shutdown.
func New(o Options) *Hub {
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.PerKey <= 0 {
		o.PerKey = 5
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Hub{o: o, wake: make(chan struct{}), open: map[string]int{}, done: make(chan struct{})}
}

// Open reserves one of key's stream slots; release frees it (once).
func (h *Hub) Open(key string) (release func(), err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, fmt.Errorf("feedstream: shutting down: %w", store.ErrUnavailable)
	}
	if h.open[key] >= h.o.PerKey {
		return nil, fmt.Errorf("%w: %d open, at most %d (STREAMS_PER_KEY)", ErrTooManyStreams, h.open[key], h.o.PerKey)
	}
	h.open[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.open[key]--; h.open[key] <= 0 {
				delete(h.open, key)
			}
		})
	}, nil
}

// Streams is how many streams key holds.
func (h *Hub) Streams(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.open[key]
}

// Armed returns the channel the next wake-up closes. A stream takes it
// before it reads the feed, then waits on it: a write committed after the
// read wakes it, one committed before was in the read.
func (h *Hub) Armed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.wake
}

// Wait waits for armed to close or the poll interval to pass. It returns
// false when the stream must end: ctx is done or the hub is closed.
func (h *Hub) Wait(ctx context.Context, armed <-chan struct{}) bool {
	t := time.NewTimer(h.o.Poll)
	defer t.Stop()
	select {
	case <-armed:
	case <-t.C:
	case <-ctx.Done():
		return false
	case <-h.done:
		return false
	}
	return true
}

// Done is closed when the hub closes: streams end.
func (h *Hub) Done() <-chan struct{} { return h.done }

// wakeLocal wakes this process's streams.
func (h *Hub) wakeLocal() {
	h.mu.Lock()
	defer h.mu.Unlock()
	close(h.wake)
	h.wake = make(chan struct{})
}

// Notify says the feed grew: this process's streams wake now, the others'
// through Redis (best effort, bounded by ctx and a second).
func (h *Hub) Notify(ctx context.Context) {
	h.wakeLocal()
	if h.o.Redis == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := h.o.Redis.Publish(ctx, h.o.Channel, "1").Err(); err != nil {
		h.o.Log.Debug("feed: wake-up not published (streams elsewhere poll)", "err", err)
	}
}

// Run listens to the Redis channel until ctx ends, waking this process's
// streams at each message. go-redis resubscribes after a lost connection;
// meanwhile streams poll.
func (h *Hub) Run(ctx context.Context) {
	if h.o.Redis == nil {
		return
	}
	ps := h.o.Redis.Subscribe(ctx, h.o.Channel)
	defer ps.Close()
	ch := ps.Channel(redis.WithChannelHealthCheckInterval(5 * time.Second))
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
			h.wakeLocal()
		}
	}
}

// Close ends every stream and refuses new ones (server shutdown).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// Notifying returns st whose every Apply, once written, notifies h.
func Notifying(st store.Store, h *Hub) store.Store { return notifying{st, h} }

type notifying struct {
	store.Store
	h *Hub
}

func (n notifying) Apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	rej, err := n.Store.Apply(ctx, b)
	if err == nil {
		n.h.Notify(ctx)
	}
	return rej, err
}
