package cache

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// Breaker states, as reported by Cache.BreakerState and Metrics.
const (
	BreakerClosed   = redisguard.Closed   // Redis is called
	BreakerOpen     = redisguard.Open     // Redis is not called until the cooldown ends
	BreakerHalfOpen = redisguard.HalfOpen // one probe call is let through
)

// Sources of an answer or a stored entry, as reported to Metrics.
const (
	SourceRedis = "redis"
	SourceLocal = "local"
	SourceHot   = "hot" // the hot layer: a Redis answer kept in process, kept coherent (Options.HotMaxBytes)
)

// Reasons a Redis call failed, as reported to Metrics.
const (
	ReasonTimeout = redisguard.ReasonTimeout
	ReasonError   = redisguard.ReasonError
)

// Metrics receives what Cache does. Implementations must be safe for
// concurrent use, fast and non-blocking: they are called on the request path
// (BreakerState under the breaker's lock).
type Metrics interface {
	// Hit counts one lookup answered from source, of n bytes.
	Hit(source string, n int)
	// Miss counts one lookup that found nothing valid in source.
	Miss(source string)
	// Set counts one entry of n bytes stored in source.
	Set(source string, n int)
	// Invalidation counts tags whose versions were bumped.
	Invalidation(tags int)
	// RedisError counts one failed Redis call (ReasonTimeout, ReasonError).
	RedisError(reason string)
	// BreakerState reports a breaker transition (BreakerClosed, …).
	BreakerState(state string)
}

type nopMetrics struct{}

func (nopMetrics) Hit(string, int)     {}
func (nopMetrics) Miss(string)         {}
func (nopMetrics) Set(string, int)     {}
func (nopMetrics) Invalidation(int)    {}
func (nopMetrics) RedisError(string)   {}
func (nopMetrics) BreakerState(string) {}

// Prometheus is Metrics as Prometheus collectors:
//
//	creditgraph_cache_lookups_total{source,result}  counter: result hit or miss
//	creditgraph_cache_hit_bytes_total{source}       counter
//	creditgraph_cache_sets_total{source}            counter
//	creditgraph_cache_set_bytes_total{source}       counter
//	creditgraph_cache_invalidated_tags_total        counter
//	creditgraph_cache_redis_errors_total{reason}    counter
//	creditgraph_cache_breaker_state                 gauge: 0 closed, 1 open, 2 half-open
type Prometheus struct {
	lookups, hitBytes, sets, setBytes, redisErrors *prometheus.CounterVec
	invalidated                                    prometheus.Counter
	breaker                                        prometheus.Gauge
	// The hot layer's hit series, resolved once: they count every hot hit.
	hotHits, hotHitBytes prometheus.Counter
}

var _ Metrics = (*Prometheus)(nil)

// NewPrometheus creates the collectors and registers them on reg.
func NewPrometheus(reg prometheus.Registerer) (*Prometheus, error) {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: "creditgraph_cache_" + name, Help: help}, labels)
	}
	p := &Prometheus{
		lookups:     counter("lookups_total", "Response-cache lookups by source (hot, redis, local) and result (hit, miss); a hot-layer miss is counted where it was answered.", "source", "result"),
		hitBytes:    counter("hit_bytes_total", "Bytes served from the response cache by source.", "source"),
		sets:        counter("sets_total", "Entries stored in the response cache by source.", "source"),
		setBytes:    counter("set_bytes_total", "Bytes stored in the response cache by source.", "source"),
		redisErrors: counter("redis_errors_total", "Failed response-cache calls to Redis by reason (timeout, error).", "reason"),
		invalidated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "creditgraph_cache_invalidated_tags_total",
			Help: "Tags whose versions were bumped by Invalidate.",
		}),
		breaker: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "creditgraph_cache_breaker_state",
			Help: "Response-cache Redis circuit breaker: 0 closed, 1 open, 2 half-open.",
		}),
	}
	for _, c := range []prometheus.Collector{p.lookups, p.hitBytes, p.sets, p.setBytes, p.redisErrors, p.invalidated, p.breaker} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("cache: register metrics: %w", err)
		}
	}
	for _, src := range []string{SourceRedis, SourceLocal} {
		p.lookups.WithLabelValues(src, "hit")
		p.lookups.WithLabelValues(src, "miss")
		p.hitBytes.WithLabelValues(src)
		p.sets.WithLabelValues(src)
		p.setBytes.WithLabelValues(src)
	}
	p.redisErrors.WithLabelValues(ReasonTimeout)
	p.redisErrors.WithLabelValues(ReasonError)
	p.hotHits, p.hotHitBytes = p.lookups.WithLabelValues(SourceHot, "hit"), p.hitBytes.WithLabelValues(SourceHot)
	return p, nil
}

// Hit implements Metrics.
func (p *Prometheus) Hit(source string, n int) {
	if source == SourceHot {
		p.hotHits.Inc()
		p.hotHitBytes.Add(float64(n))
		return
	}
	p.lookups.WithLabelValues(source, "hit").Inc()
	p.hitBytes.WithLabelValues(source).Add(float64(n))
}

// Miss implements Metrics.
func (p *Prometheus) Miss(source string) { p.lookups.WithLabelValues(source, "miss").Inc() }

// Set implements Metrics.
func (p *Prometheus) Set(source string, n int) {
	p.sets.WithLabelValues(source).Inc()
	p.setBytes.WithLabelValues(source).Add(float64(n))
}

// Invalidation implements Metrics.
func (p *Prometheus) Invalidation(tags int) { p.invalidated.Add(float64(tags)) }

// RedisError implements Metrics.
func (p *Prometheus) RedisError(reason string) { p.redisErrors.WithLabelValues(reason).Inc() }

// BreakerState implements Metrics.
func (p *Prometheus) BreakerState(state string) {
	switch state {
	case BreakerOpen:
		p.breaker.Set(1)
	case BreakerHalfOpen:
		p.breaker.Set(2)
	default:
		p.breaker.Set(0)
	}
}
