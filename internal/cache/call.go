package cache

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

var errSkipped = errors.New("cache: redis not called")

// honoursContext reports whether go-redis bounds the client's socket I/O by
// the context deadline (ContextTimeoutEnabled); without it a hung Redis would
// hold a call for ReadTimeout (3 s by default).
func honoursContext(c redis.UniversalClient) bool {
	switch c := c.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// callRedis runs f against Redis if the breaker allows, within
// Options.Timeout, and records the outcome (the pattern of
// internal/ratelimit). With a client that honours context deadlines f runs on
// the caller's goroutine; otherwise on its own, so that the bound holds
// anyway, and an overrunning call finishes in the background.
func callRedis[T any](ctx context.Context, c *Cache, f func(context.Context) (T, error)) (T, error) {
	var zero T
	if c.redis == nil {
		return zero, errSkipped
	}
	gen, ok := c.breaker.allow()
	if !ok {
		return zero, errSkipped
	}
	cctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	var v T
	var err error
	if c.inline {
		v, err = f(cctx)
	} else {
		v, err = detached(cctx, f)
	}
	switch {
	case err == nil:
		c.breaker.done(gen, success)
	case ctx.Err() != nil:
		c.breaker.done(gen, neutral) // the caller gave up; Redis is not to blame
	case errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		c.opts.Metrics.RedisError(ReasonTimeout)
		c.breaker.done(gen, failure)
	default:
		c.opts.Metrics.RedisError(ReasonError)
		c.breaker.done(gen, failure)
	}
	return v, err
}

// detached runs f on its own goroutine and returns when it answers or ctx is
// done, whichever comes first.
func detached[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	type answer struct {
		v   T
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		v, err := f(ctx)
		ch <- answer{v, err}
	}()
	select {
	case a := <-ch:
		return a.v, a.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
