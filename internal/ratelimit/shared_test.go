package ratelimit

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/redis/go-redis/v9"
)

// closedAddr is a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// blackHole accepts connections and never answers: a Redis that hangs.
func blackHole(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	return ln.Addr().String()
}

func TestSharedFallsBackWithoutAServer(t *testing.T) {
	tests := []struct {
		name    string
		client  func(t *testing.T) redis.UniversalClient
		timeout time.Duration
		reason  string
	}{
		{"no client", func(*testing.T) redis.UniversalClient { return nil }, time.Second, ""},
		{"refused, retried until the timeout", func(t *testing.T) redis.UniversalClient {
			return redis.NewClient(&redis.Options{Addr: closedAddr(t)})
		}, 30 * time.Millisecond, ReasonTimeout},
		// A long timeout: the error must come first.
		{"refused, no retries or dial retries", func(t *testing.T) redis.UniversalClient {
			return redis.NewClient(&redis.Options{Addr: closedAddr(t), MaxRetries: -1, DialerRetries: 1})
		}, 5 * time.Second, ReasonError},
		{"hangs", func(t *testing.T) redis.UniversalClient {
			return redis.NewClient(&redis.Options{Addr: blackHole(t)})
		}, 30 * time.Millisecond, ReasonTimeout},
		{"hangs, client honours context deadlines", func(t *testing.T) redis.UniversalClient {
			return redis.NewClient(&redis.Options{Addr: blackHole(t), ContextTimeoutEnabled: true})
		}, 30 * time.Millisecond, ReasonTimeout},
		{"hangs, cluster client", func(t *testing.T) redis.UniversalClient {
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{blackHole(t)}})
		}, 30 * time.Millisecond, ReasonTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			client := tc.client(t)
			if client != nil {
				t.Cleanup(func() { client.Close() })
			}
			clk := newFakeClock()
			reg := prometheus.NewPedanticRegistry()
			m, err := NewPrometheus(reg)
			if err != nil {
				t.Fatal(err)
			}
			timeout := tc.timeout
			s := NewShared(client, Options{Timeout: timeout, Replicas: 2, FailureThreshold: 2, Cooldown: time.Minute, Now: clk.Now, Metrics: m})
			ctx := context.Background()
			budget := Budget{Points: 10, Per: time.Hour}
			for i := range 7 {
				start := time.Now()
				r, err := s.Take(ctx, "k", budget, 1)
				t.Logf("take %d: %s (timeout %s)", i, time.Since(start), timeout)
				if err != nil || r.Source != SourceLocal || r.Limit != 5 || r.Allowed != (i < 5) {
					t.Fatalf("take %d: %+v, %v", i, r, err)
				}
			}
			if err := s.Refund(ctx, "k", budget, 2); err != nil {
				t.Fatal(err)
			}
			if r, _ := s.Take(ctx, "k", budget, 0); r.Remaining != 2 {
				t.Fatalf("after local refund: %+v", r)
			}
			if s.BreakerState() != BreakerOpen {
				t.Fatalf("breaker %s", s.BreakerState())
			}
			got := gather(t, reg)
			if got["creditgraph_ratelimit_decisions_total{outcome=allowed,source=local}"] != 5 ||
				got["creditgraph_ratelimit_decisions_total{outcome=throttled,source=local}"] != 2 ||
				got["creditgraph_ratelimit_decisions_total{outcome=dry_run,source=local}"] != 1 {
				t.Fatalf("decision metrics: %v", got)
			}
			if tc.reason != "" {
				// Two failures open the breaker; after that Redis is not called.
				if n := got["creditgraph_ratelimit_redis_errors_total{reason="+tc.reason+"}"]; n != 2 {
					t.Fatalf("redis errors (%s) = %v, want 2: %v", tc.reason, n, got)
				}
				if got["creditgraph_ratelimit_breaker_state"] != 1 {
					t.Fatalf("breaker gauge: %v", got)
				}
			}
		})
	}
}

func TestSharedCallerGivesUp(t *testing.T) {
	clk := newFakeClock()
	s := NewShared(redis.NewClient(&redis.Options{Addr: blackHole(t)}), Options{Timeout: time.Second, FailureThreshold: 1, Now: clk.Now})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := s.Take(ctx, "k", hourly5, 1)
	if err != nil || r.Source != SourceLocal || !r.Allowed {
		t.Fatalf("take: %+v, %v", r, err)
	}
	if s.BreakerState() != BreakerClosed {
		t.Fatalf("a caller's cancellation opened the breaker: %s", s.BreakerState())
	}
}

// gather flattens a registry to "name{label=value,…}" → value.
func gather(t *testing.T, reg prometheus.Gatherer) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			name := mf.GetName()
			if len(m.GetLabel()) > 0 {
				name += "{"
				for i, l := range m.GetLabel() {
					if i > 0 {
						name += ","
					}
					name += l.GetName() + "=" + l.GetValue()
				}
				name += "}"
			}
			out[name] = value(m)
		}
	}
	return out
}

func value(m *dto.Metric) float64 {
	switch {
	case m.GetCounter() != nil:
		return m.GetCounter().GetValue()
	case m.GetGauge() != nil:
		return m.GetGauge().GetValue()
	}
	return 0
}

func TestSharedLogsBreaker(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	s := NewShared(redis.NewClient(&redis.Options{Addr: closedAddr(t), MaxRetries: -1, DialerRetries: 1}),
		Options{Timeout: 5 * time.Second, FailureThreshold: 1, Now: newFakeClock().Now, Logger: log})
	s.Take(context.Background(), "k", hourly5, 1)
	if got := buf.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "state=open") {
		t.Fatalf("log: %q", got)
	}
}
