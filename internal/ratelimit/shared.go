package ratelimit

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// Defaults for Options.
const (
	DefaultTimeout          = 50 * time.Millisecond
	DefaultFailureThreshold = 3
	DefaultCooldown         = 5 * time.Second
)

// Options configures Shared. The zero value is valid.
type Options struct {
	// Prefix of every Redis key; "" means DefaultPrefix.
	Prefix string
	// Timeout bounds each Redis call; past it the request is decided
	// locally. 0 means DefaultTimeout. The client's own retries happen
	// inside it: with go-redis's defaults (MaxRetries 3, DialerRetries 5 at
	// 100 ms) a refused connection is retried until Timeout; with MaxRetries
	// -1 and DialerRetries 1 it fails at once. Either way the breaker opens
	// after FailureThreshold calls and later requests skip Redis.
	Timeout time.Duration
	// Replicas is how many gateway replicas share a budget. While Redis is
	// unavailable each replica grants 1/Replicas of every budget on its own:
	// neither open (no limit) nor closed (refuse all), and across all
	// replicas about the whole budget, as long as the load balancer spreads a
	// client evenly. 0 means 1.
	Replicas int
	// FailureThreshold is how many consecutive Redis failures open the
	// breaker; 0 means DefaultFailureThreshold.
	FailureThreshold int
	// Cooldown is how long the open breaker keeps Redis uncalled before one
	// probe; 0 means DefaultCooldown.
	Cooldown time.Duration
	// MaxLocalKeys bounds the keys the local fallback remembers; 0 means
	// DefaultMaxLocalKeys.
	MaxLocalKeys int
	// Now is the clock of the local fallback and the breaker (tests inject
	// one); nil means time.Now. Redis keeps its own clock.
	Now func() time.Time
	// Metrics receives counters; nil means none.
	Metrics Metrics
	// Logger logs breaker transitions; nil means none.
	Logger *slog.Logger
}

// Shared is the Limiter a gateway uses: budgets in Redis, shared by every
// replica, with a local fallback (see Local and Options.Replicas) that
// decides whenever Redis is absent (nil client), answers with an error, or
// is slower than Options.Timeout. A circuit breaker stops calling a failing
// Redis and probes it after a cooldown; shared limiting resumes on the first
// successful probe. Take and Refund return an error only for bad input.
//
// Budgets spent locally are not copied to Redis, nor the other way: after an
// outage a client finds its Redis budget as it left it (or full, if Redis lost
// its data).
type Shared struct {
	redis   *Redis // nil: no Redis configured
	local   *Local
	breaker *breaker
	timeout time.Duration
	inline  bool // the client bounds its own I/O by the context deadline
	metrics Metrics
}

var _ Limiter = (*Shared)(nil)

// NewShared returns a Shared limiter on client; a nil client means always
// local.
func NewShared(client redis.UniversalClient, opts Options) *Shared {
	opts = opts.withDefaults()
	s := &Shared{
		local:   NewLocal(opts.Replicas, opts.MaxLocalKeys, opts.Now),
		timeout: opts.Timeout,
		metrics: opts.Metrics,
	}
	if client != nil {
		s.redis = NewRedis(client, opts.Prefix)
		s.inline = honoursContext(client)
	}
	log := opts.Logger
	s.breaker = newBreaker(opts.FailureThreshold, opts.Cooldown, opts.Now, func(state string) {
		s.metrics.BreakerState(state)
		if log == nil {
			return
		}
		level := slog.LevelInfo
		if state == BreakerOpen {
			level = slog.LevelWarn // rate limits are now per replica
		}
		log.Log(context.Background(), level, "ratelimit: redis circuit breaker", "state", state)
	})
	return s
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Replicas < 1 {
		o.Replicas = 1
	}
	if o.FailureThreshold < 1 {
		o.FailureThreshold = DefaultFailureThreshold
	}
	if o.Cooldown <= 0 {
		o.Cooldown = DefaultCooldown
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Metrics == nil {
		o.Metrics = nopMetrics{}
	}
	return o
}

// BreakerState is BreakerClosed, BreakerOpen or BreakerHalfOpen; always
// BreakerOpen without a Redis client.
func (s *Shared) BreakerState() string {
	if s.redis == nil {
		return BreakerOpen
	}
	return s.breaker.current()
}

// Take implements Limiter.
func (s *Shared) Take(ctx context.Context, key string, b Budget, cost int) (Result, error) {
	if err := check(b, cost); err != nil {
		return Result{}, err
	}
	res, err := callRedis(ctx, s, func(ctx context.Context) (Result, error) {
		return s.redis.Take(ctx, key, b, cost)
	})
	if err != nil {
		res, _ = s.local.Take(ctx, key, b, cost) // cannot fail: input checked
	}
	s.metrics.Decision(res.Source, outcomeOf(res, cost))
	return res, nil
}

// Refund implements Limiter. It goes where Redis's state says now: a refund
// for a cost taken locally before Redis came back lands in Redis, which can
// only leave a client a little better off, never above its Limit. A refund
// made after the response is written needs a context that outlives the
// request (context.WithoutCancel); with a cancelled one it lands locally.
func (s *Shared) Refund(ctx context.Context, key string, b Budget, points int) error {
	if err := checkRefund(b, points); err != nil || points == 0 {
		return err
	}
	_, err := callRedis(ctx, s, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.redis.Refund(ctx, key, b, points)
	})
	if err != nil {
		return s.local.Refund(ctx, key, b, points)
	}
	return nil
}

var errSkipped = errors.New("ratelimit: redis not called")

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

// callRedis runs f against Redis if the breaker allows, within s.timeout, and
// records the outcome. With a client that honours context deadlines f runs on
// the caller's goroutine. Otherwise it runs on its own goroutine so that the
// bound holds anyway; a call that overruns finishes in the background, bounded
// by the client's own timeouts, and the breaker keeps such calls few. That
// hand-off costs a goroutine wake-up per call (tens of µs on a loaded host),
// so build the client with ContextTimeoutEnabled.
func callRedis[T any](ctx context.Context, s *Shared, f func(context.Context) (T, error)) (T, error) {
	var zero T
	if s.redis == nil {
		return zero, errSkipped
	}
	gen, ok := s.breaker.allow()
	if !ok {
		return zero, errSkipped
	}
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var v T
	var err error
	if s.inline {
		v, err = f(cctx)
	} else {
		v, err = detached(cctx, f)
	}
	switch {
	case err == nil:
		s.breaker.done(gen, success)
	case ctx.Err() != nil:
		s.breaker.done(gen, neutral) // the caller gave up; Redis is not to blame
	case errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		s.metrics.RedisError(ReasonTimeout)
		s.breaker.done(gen, failure)
	default:
		s.metrics.RedisError(ReasonError)
		s.breaker.done(gen, failure)
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

func outcomeOf(r Result, cost int) string {
	switch {
	case cost == 0:
		return OutcomeDryRun
	case r.Allowed:
		return OutcomeAllowed
	default:
		return OutcomeThrottled
	}
}
