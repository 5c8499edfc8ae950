package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/httpapi"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// openRedis returns a UniversalClient for REDIS_URL: one URL for a single
// server; with master_name=NAME, the addresses of Redis Sentinels watching
// that master (redis://sentinel1:26379?master_name=NAME&addr=sentinel2:26379);
// comma-separated addresses for Redis Cluster; nil when unset. A Redis that
// is down at start-up is not fatal: the limiter decides locally until it
// answers.
func openRedis(ctx context.Context, cfg config.Config, log *slog.Logger) (redis.UniversalClient, error) {
	if cfg.RedisURL == "" {
		log.Info("no REDIS_URL: rate limits are kept in this process")
		return nil, nil
	}
	var opts redis.UniversalOptions
	if strings.Contains(cfg.RedisURL, ",") {
		for _, a := range strings.Split(cfg.RedisURL, ",") {
			opts.Addrs = append(opts.Addrs, strings.TrimPrefix(strings.TrimSpace(a), "redis://"))
		}
		opts.IsClusterMode = true
	} else if strings.Contains(cfg.RedisURL, "master_name=") {
		fo, err := redis.ParseFailoverURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL (Sentinel): %w", err)
		}
		opts = redis.UniversalOptions{Addrs: fo.SentinelAddrs, MasterName: fo.MasterName, Username: fo.Username,
			Password: fo.Password, SentinelUsername: fo.SentinelUsername, SentinelPassword: fo.SentinelPassword,
			DB: fo.DB, TLSConfig: fo.TLSConfig}
	} else {
		o, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		opts = redis.UniversalOptions{Addrs: []string{o.Addr}, Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: o.TLSConfig}
	}
	// Fail fast: the limiter has its own timeout and circuit breaker.
	opts.MaxRetries = -1
	opts.DialerRetries = 1
	opts.ContextTimeoutEnabled = true // deadlines reach the socket: the limiter's call runs inline
	opts.DialTimeout = time.Second
	opts.ReadTimeout = 500 * time.Millisecond
	opts.WriteTimeout = 500 * time.Millisecond
	c := redis.NewUniversalClient(&opts)
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		log.Warn("Redis unreachable at start-up; deciding rate limits locally until it answers", "err", err)
	}
	return c, nil
}

// newMeter builds the rate limiter and metering configuration.
func newMeter(cfg config.Config, client redis.UniversalClient, reg prometheus.Registerer, log *slog.Logger) (*meter.Config, error) {
	metrics, err := ratelimit.NewPrometheus(reg)
	if err != nil {
		return nil, err
	}
	lim := ratelimit.NewShared(client, ratelimit.Options{
		Timeout: cfg.RedisTimeout, Replicas: cfg.RateReplicas, Logger: log, Metrics: metrics,
		Prefix: cfg.RedisKeyPrefix + "rl:",
	})
	var limiter ratelimit.Limiter = lim
	if client != nil && cfg.RateLease > 0 {
		window := cfg.RateLeaseWin
		if window == 0 {
			window = -1 // fixed blocks
		}
		limiter = ratelimit.NewLeasing(lim, ratelimit.LeaseOptions{Max: cfg.RateLease, Window: window, Metrics: metrics})
	}
	return &meter.Config{
		Limiter: limiter, Budgets: cfg.RateBudgets, KeyBudgets: cfg.KeyBudgets,
		MaxConcurrent: cfg.MaxConcurrent, TrustedProxies: cfg.TrustedProxies, Now: time.Now,
	}, nil
}

// newAuthThrottle limits failed authentications per client address, in
// Redis beside the budgets (local fallback); nil when
// AUTH_FAILURES_PER_MINUTE is 0.
func newAuthThrottle(cfg config.Config, client redis.UniversalClient, log *slog.Logger) *httpapi.AuthThrottle {
	if cfg.AuthFailures <= 0 {
		return nil
	}
	lim := ratelimit.NewShared(client, ratelimit.Options{
		Timeout: cfg.RedisTimeout, Replicas: cfg.RateReplicas, Logger: log, Prefix: cfg.RedisKeyPrefix + "af:",
	})
	return &httpapi.AuthThrottle{Limiter: lim, Budget: ratelimit.Budget{Points: cfg.AuthFailures, Per: time.Minute}}
}

// newCache builds the response cache on client (nil: in-process only), or
// returns nil when CACHE_TTL is 0. reg may be nil (no metrics: the import
// command).
func newCache(cfg config.Config, client redis.UniversalClient, reg prometheus.Registerer, log *slog.Logger) (*cache.Cache, error) {
	if cfg.CacheTTL <= 0 {
		return nil, nil
	}
	var metrics cache.Metrics
	if reg != nil {
		m, err := cache.NewPrometheus(reg)
		if err != nil {
			return nil, err
		}
		metrics = m
	}
	return cache.New(client, cache.Options{
		Prefix: cfg.RedisKeyPrefix + "rc:", TTL: cfg.CacheTTL, Timeout: cfg.CacheTimeout,
		MaxLocalBytes: cfg.CacheLocalMaxBytes, Metrics: metrics, Logger: log, Today: cfg.Clock(),
		HotMaxBytes: cfg.CacheHotMaxBytes, HotLease: cfg.CacheHotLease,
	}), nil
}

// invalidating wraps st so that its writes invalidate c; st itself when
// there is no cache.
func invalidating(cfg config.Config, st store.Store, c *cache.Cache, log *slog.Logger) store.Store {
	if c == nil {
		return st
	}
	return gqlcache.Invalidating(st, c, cfg.CacheBulkTags, log)
}

// newFeedHub wakes change subscriptions: through Redis (REDIS_KEY_PREFIX +
// "feed") when there is one, else by polling alone.
func newFeedHub(cfg config.Config, rdb redis.UniversalClient, log *slog.Logger) *feedstream.Hub {
	return feedstream.New(feedstream.Options{
		Redis: rdb, Channel: cfg.RedisKeyPrefix + "feed", Poll: cfg.FeedPollInterval, PerKey: cfg.StreamsPerKey, Log: log,
	})
}
