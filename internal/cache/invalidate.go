package cache

import (
	"context"
	"errors"

	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// ErrDeferred is wrapped by Invalidate's error when Redis could not be
// reached: local entries were invalidated at once, Redis entries will be when
// this replica next reaches Redis (or at their TTL).
var ErrDeferred = errors.New("cache: invalidation deferred until Redis is back")

// Invalidate bumps the version of each tag, in Redis in one pipeline and in
// the local fallback, so every entry that depends on one of them becomes a
// miss on every replica at once. Nothing else is touched. Call it after the
// write is committed. Its only error wraps ErrDeferred: the write stands and
// should not fail because of it.
//
// Every replica's hot layer hears of it before Invalidate returns: it
// announces the tags and waits until each replica that may serve from its
// hot layer has dropped them or lost its lease (at most Options.HotLease;
// see coherence.go).
func (c *Cache) Invalidate(ctx context.Context, tags ...string) error {
	tags = uniq(tags)
	if len(tags) == 0 {
		return nil
	}
	c.local.bump([]string{WritesTag})
	c.local.bump(tags)
	if c.hot != nil {
		c.hot.drop(tags)
	}
	c.opts.Metrics.Invalidation(len(tags))
	if c.redis == nil {
		return nil
	}
	_, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (struct{}, error) {
		if err := c.replayPending(ctx); err != nil {
			return struct{}{}, err
		}
		// WritesTag first, in a round trip of its own: see DoTagged.
		if err := c.redis.bump(ctx, []string{WritesTag}); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, c.redis.bump(ctx, tags)
	})
	if err == nil {
		// Not under Options.Timeout: a write may wait for hot layers
		// (a Redis that just took the bumps is up).
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), max(c.opts.Timeout, c.opts.HotLease))
		var a *announcement
		a, err = c.co.announce(actx, tags)
		cancel()
		if err == nil {
			c.co.await(ctx, a)
		}
	}
	if err != nil {
		c.defer_(append(tags, WritesTag))
		return errors.Join(ErrDeferred, err)
	}
	return nil
}

// Run keeps the hot layer coherent until ctx ends: it subscribes to the
// invalidations other processes announce and holds the lease without which
// the hot layer answers nothing. Without Redis or a hot layer it returns at
// once.
func (c *Cache) Run(ctx context.Context) {
	if c.co == nil || c.hot == nil {
		return
	}
	c.co.run(ctx)
}

// defer_ keeps tags to be bumped in Redis before this replica reads it again.
func (c *Cache) defer_(tags []string) {
	c.mu.Lock()
	for _, t := range tags {
		c.pending[t] = struct{}{}
	}
	c.hasPending.Store(true)
	c.mu.Unlock()
}

// Pending is the number of tags whose invalidation Redis has not received.
func (c *Cache) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// Flush sends Redis the invalidations it missed, within ctx's deadline
// rather than Options.Timeout and whatever the breaker's state: a process
// about to exit (the import command) or a replica between requests calls it
// so that other replicas stop serving what it wrote.
func (c *Cache) Flush(ctx context.Context) error {
	if c.redis == nil || !c.hasPending.Load() {
		return nil
	}
	return c.replayPending(ctx)
}

// replayPending bumps in Redis the tags Invalidate could not, before this
// replica trusts Redis again. The pending set is taken whole, so a tag
// deferred again while the replay runs is kept for the next one; on failure
// what was taken goes back.
func (c *Cache) replayPending(ctx context.Context) error {
	if !c.hasPending.Load() {
		return nil
	}
	c.replayMu.Lock()
	defer c.replayMu.Unlock()
	c.mu.Lock()
	taken := c.pending
	c.pending = make(map[string]struct{})
	c.hasPending.Store(false)
	c.mu.Unlock()
	if len(taken) == 0 {
		return nil
	}
	tags := make([]string, 0, len(taken))
	for t := range taken {
		if t != WritesTag {
			tags = append(tags, t)
		}
	}
	err := c.redis.bump(ctx, []string{WritesTag}) // first: see DoTagged
	if err == nil {
		err = c.redis.bump(ctx, tags)
	}
	if err == nil && len(tags) > 0 {
		// Hot layers that hear it drop the tags now; one that does not
		// loses its lease within Options.HotLease. Not awaited: replays
		// run on the request path.
		_, err = c.co.announce(ctx, tags)
	}
	if err != nil {
		c.defer_(append(tags, WritesTag))
	}
	return err
}
