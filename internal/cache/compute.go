package cache

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Do returns the answer for key: from the cache if valid, else computed by
// compute and stored with tags. Concurrent misses on one key in this process
// share one computation (singleflight), which runs with the context of the
// first caller: compute must depend on nothing the Key does not hold. Errors
// are returned, never stored. Redis failures are never returned.
func (c *Cache) Do(ctx context.Context, key Key, tags []string, compute func(context.Context) ([]byte, error)) ([]byte, error) {
	id := key.id()
	if v, ok := c.get(ctx, id); ok {
		return v, nil
	}
	run := func() (any, error) {
		if v, ok, _ := c.lookup(ctx, id); ok { // see DoTagged
			return v, nil
		}
		versions := c.Versions(ctx, tags) // before compute: see Versions
		v, err := compute(ctx)
		if err != nil {
			return nil, err
		}
		c.set(ctx, key, id, v, tags, versions, 0)
		return v, nil
	}
	select {
	case r := <-c.flight.DoChan(id, run):
		if r.Err != nil {
			if isCtxErr(r.Err) && ctx.Err() == nil {
				// The first caller gave up; this one has not.
				v, err := run()
				b, _ := v.([]byte)
				return b, err
			}
			return nil, r.Err
		}
		return r.Val.([]byte), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// WritesTag is bumped by every Invalidate before the tags it names. DoTagged
// reads it around a computation to tell whether a write landed meanwhile;
// no entry depends on it.
const WritesTag = "__writes"

// Computed is what DoTagged's compute function returns.
type Computed struct {
	Value []byte
	// Tags are what Value depends on, learned while computing it.
	Tags []string
	// TTL, if > 0, shortens the entry's life (see Set).
	TTL time.Duration
	// Store false keeps Value to the caller that computed it: it is neither
	// stored nor shared with concurrent callers, who compute their own.
	Store bool
}

var errNotShared = errors.New("cache: answer not shareable")

// DoTagged is Do for answers whose tags are only known once they are
// computed. Since their versions cannot be read before the computation, it
// reads WritesTag before and after: an answer is stored with the versions its
// tags have after the computation, and only if no Invalidate started in
// between. Invalidate bumps WritesTag before the tags, and DoTagged reads
// WritesTag after the tags, so an entry can never hold a version bumped by a
// write whose data it may not contain. hit reports whether the answer came
// from the cache.
func (c *Cache) DoTagged(ctx context.Context, key Key, compute func(context.Context) (Computed, error)) (value []byte, hit bool, err error) {
	id := key.id()
	// The entry and WritesTag's version come in one round trip.
	v, ok, before := c.lookupWrites(ctx, id)
	if ok {
		return v, true, nil
	}
	var leader bool
	var own Computed
	run := func() (any, error) {
		leader = true
		// A flight on this key may have ended, and stored its answer,
		// between our lookup and this flight: look again before computing.
		if t, ok := c.recent.GetIfPresent(id); ok && c.opts.Now().Sub(t) < recentFlight {
			if v, ok, w := c.lookupWrites(ctx, id); ok {
				return v, nil
			} else {
				before = w
			}
		}
		r, err := compute(ctx)
		if err != nil {
			return nil, err
		}
		own = r
		if !r.Store {
			return nil, errNotShared
		}
		vs, after := c.versionsThenWrites(ctx, r.Tags)
		if after == before && after != 0 {
			c.set(ctx, key, id, r.Value, r.Tags, vs, r.TTL)
			c.recent.Set(id, c.opts.Now())
		}
		return r.Value, nil
	}
	select {
	case res := <-c.flight.DoChan(id, run):
		switch {
		case leader && errors.Is(res.Err, errNotShared):
			return own.Value, false, nil
		case res.Err == nil:
			return res.Val.([]byte), false, nil
		case errors.Is(res.Err, errNotShared) || isCtxErr(res.Err) && ctx.Err() == nil:
			// Not ours to use, or the first caller gave up: compute alone.
			r, err := compute(ctx)
			return r.Value, false, err
		}
		return nil, false, res.Err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func uniq(tags []string) []string {
	if len(tags) < 2 {
		return tags
	}
	s := slices.Clone(tags)
	slices.Sort(s)
	return slices.Compact(s)
}
