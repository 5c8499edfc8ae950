package ratelimit

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// Decision outcomes, as reported to Metrics.
const (
	OutcomeAllowed   = "allowed"
	OutcomeThrottled = "throttled"
	OutcomeDryRun    = "dry_run"
)

// Reasons a Redis call failed, as reported to Metrics.
const (
	ReasonTimeout = redisguard.ReasonTimeout
	ReasonError   = redisguard.ReasonError
)

// Metrics receives what Shared does. Implementations must be safe for
// concurrent use, fast and non-blocking: they are called on the request path
// (BreakerState under the breaker's lock).
type Metrics interface {
	// Decision counts one Take by source (SourceRedis, SourceLocal, SourceLease) and
	// outcome (OutcomeAllowed, OutcomeThrottled, OutcomeDryRun).
	Decision(source, outcome string)
	// RedisError counts one failed Redis call (ReasonTimeout, ReasonError).
	RedisError(reason string)
	// BreakerState reports a breaker transition (BreakerClosed, …).
	BreakerState(state string)
}

type nopMetrics struct{}

func (nopMetrics) Decision(string, string) {}
func (nopMetrics) RedisError(string)       {}
func (nopMetrics) BreakerState(string)     {}

// Prometheus is Metrics as Prometheus collectors:
//
//	creditgraph_ratelimit_decisions_total{source,outcome}  counter
//	creditgraph_ratelimit_redis_errors_total{reason}       counter
//	creditgraph_ratelimit_breaker_state                    gauge: 0 closed, 1 open, 2 half-open
type Prometheus struct {
	decisions   *prometheus.CounterVec
	redisErrors *prometheus.CounterVec
	breaker     prometheus.Gauge
}

var _ Metrics = (*Prometheus)(nil)

// NewPrometheus creates the collectors and registers them on reg.
func NewPrometheus(reg prometheus.Registerer) (*Prometheus, error) {
	p := &Prometheus{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "creditgraph_ratelimit_decisions_total",
			Help: "Rate-limit decisions by source (redis, local, lease: from this replica's lease of a shared budget) and outcome (allowed, throttled, dry_run).",
		}, []string{"source", "outcome"}),
		redisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "creditgraph_ratelimit_redis_errors_total",
			Help: "Failed rate-limit calls to Redis by reason (timeout, error); each was decided locally.",
		}, []string{"reason"}),
		breaker: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "creditgraph_ratelimit_breaker_state",
			Help: "Rate-limit Redis circuit breaker: 0 closed, 1 open, 2 half-open.",
		}),
	}
	for _, c := range []prometheus.Collector{p.decisions, p.redisErrors, p.breaker} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("ratelimit: register metrics: %w", err)
		}
	}
	// Make the usual series exist at zero, so that rate() and alerts see them.
	for _, src := range []string{SourceRedis, SourceLocal} {
		for _, o := range []string{OutcomeAllowed, OutcomeThrottled, OutcomeDryRun} {
			p.decisions.WithLabelValues(src, o)
		}
	}
	p.redisErrors.WithLabelValues(ReasonTimeout)
	p.redisErrors.WithLabelValues(ReasonError)
	return p, nil
}

// Decision implements Metrics.
func (p *Prometheus) Decision(source, outcome string) {
	p.decisions.WithLabelValues(source, outcome).Inc()
}

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
