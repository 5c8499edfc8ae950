package redisguard

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Reasons a Redis call failed, as passed to a Guard's onError.
const (
	ReasonTimeout = "timeout"
	ReasonError   = "error"
)

// ErrSkipped is returned by Call when Redis was not called: the Guard has no
// client, or its breaker is open.
var ErrSkipped = errors.New("redisguard: redis not called")

// Guard runs calls to one Redis client within a timeout, behind a Breaker.
type Guard struct {
	client  redis.UniversalClient // nil: no Redis configured
	timeout time.Duration
	breaker *Breaker
	inline  bool // the client bounds its own I/O by the context deadline
	onError func(reason string)
}

// NewGuard returns a Guard for client, which may be nil (every Call is then
// skipped). Each call is bounded by timeout and admitted by b; onError, if
// not nil, is called with ReasonTimeout or ReasonError for each failed call.
func NewGuard(client redis.UniversalClient, timeout time.Duration, b *Breaker, onError func(reason string)) *Guard {
	if onError == nil {
		onError = func(string) {}
	}
	g := &Guard{client: client, timeout: timeout, breaker: b, onError: onError}
	if client != nil {
		g.inline = honoursContext(client)
	}
	return g
}

// State is the breaker's state; always Open without a client.
func (g *Guard) State() string {
	if g.client == nil {
		return Open
	}
	return g.breaker.State()
}

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

// Call runs f against Redis if g's breaker allows, within g's timeout, and
// records the outcome: success; the caller's own cancellation is neutral
// (Redis is not to blame); a deadline is a failure with ReasonTimeout; any
// other error a failure with ReasonError. It returns ErrSkipped without
// calling f when g has no client or the breaker is open.
//
// With a client that honours context deadlines f runs on the caller's
// goroutine. Otherwise it runs on its own goroutine so that the bound holds
// anyway; a call that overruns finishes in the background, bounded by the
// client's own timeouts, and the breaker keeps such calls few. That hand-off
// costs a goroutine wake-up per call (tens of µs on a loaded host), so build
// the client with ContextTimeoutEnabled.
func Call[T any](ctx context.Context, g *Guard, f func(context.Context) (T, error)) (T, error) {
	var zero T
	if g.client == nil {
		return zero, ErrSkipped
	}
	gen, ok := g.breaker.Allow()
	if !ok {
		return zero, ErrSkipped
	}
	cctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	var v T
	var err error
	if g.inline {
		v, err = f(cctx)
	} else {
		v, err = detached(cctx, f)
	}
	switch {
	case err == nil:
		g.breaker.Done(gen, Success)
	case ctx.Err() != nil:
		g.breaker.Done(gen, Neutral) // the caller gave up; Redis is not to blame
	case errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		g.onError(ReasonTimeout)
		g.breaker.Done(gen, Failure)
	default:
		g.onError(ReasonError)
		g.breaker.Done(gen, Failure)
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
