package ratelimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/redisguard"
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
	guard   *redisguard.Guard
	metrics Metrics
}

var _ Limiter = (*Shared)(nil)

// NewShared returns a Shared limiter on client; a nil client means always
// local.
func NewShared(client redis.UniversalClient, opts Options) *Shared {
	opts = opts.withDefaults()
	s := &Shared{
		local:   NewLocal(opts.Replicas, opts.MaxLocalKeys, opts.Now),
		metrics: opts.Metrics,
	}
	if client != nil {
		s.redis = NewRedis(client, opts.Prefix)
	}
	log := opts.Logger
	b := redisguard.NewBreaker(opts.FailureThreshold, opts.Cooldown, opts.Now, func(state string) {
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
	s.guard = redisguard.NewGuard(client, opts.Timeout, b, s.metrics.RedisError)
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

// Breaker states, as reported by Shared.BreakerState and Metrics.
const (
	BreakerClosed   = redisguard.Closed   // Redis is called
	BreakerOpen     = redisguard.Open     // Redis is not called until the cooldown ends
	BreakerHalfOpen = redisguard.HalfOpen // one probe call is let through
)

// BreakerState is BreakerClosed, BreakerOpen or BreakerHalfOpen; always
// BreakerOpen without a Redis client.
func (s *Shared) BreakerState() string {
	return s.guard.State()
}

// Take implements Limiter.
func (s *Shared) Take(ctx context.Context, key string, b Budget, cost int) (Result, error) {
	if err := check(b, cost); err != nil {
		return Result{}, err
	}
	res, err := redisguard.Call(ctx, s.guard, func(ctx context.Context) (Result, error) {
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
	_, err := redisguard.Call(ctx, s.guard, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.redis.Refund(ctx, key, b, points)
	})
	if err != nil {
		return s.local.Refund(ctx, key, b, points)
	}
	return nil
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
