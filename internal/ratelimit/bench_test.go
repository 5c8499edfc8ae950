package ratelimit

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// plenty is a budget no benchmark exhausts and that refills too slowly for a
// bucket to be full (and so dropped) between two visits: every Take does the
// full work on remembered state.
var plenty = Budget{Points: 1 << 30, Per: 365 * 24 * time.Hour}

// benchTake times each Take and reports p50 and p99 besides ns/op.
func benchTake(b *testing.B, l Limiter, keys int) {
	ctx := context.Background()
	names := make([]string, keys)
	for i := range names {
		names[i] = fmt.Sprint("client-", i)
	}
	samples := make([]time.Duration, 0, 1<<16)
	i := 0
	for b.Loop() {
		start := time.Now()
		res, err := l.Take(ctx, names[i%keys], plenty, 1)
		samples = append(samples, time.Since(start))
		if err != nil || !res.Allowed {
			b.Fatalf("take: %+v, %v", res, err)
		}
		i++
	}
	var sum time.Duration
	for _, d := range samples {
		sum += d
	}
	b.ReportMetric(float64(sum)/float64(len(samples)), "mean-ns")
	slices.Sort(samples)
	b.ReportMetric(float64(samples[len(samples)/2]), "p50-ns")
	b.ReportMetric(float64(samples[len(samples)*99/100]), "p99-ns")
}

// BenchmarkTakeRedis: one GCRA round trip to TEST_REDIS_URL, directly and
// through Shared (breaker, timeout, metrics): with go-redis defaults the call
// runs on a helper goroutine, with ContextTimeoutEnabled on the caller's.
func BenchmarkTakeRedis(b *testing.B) {
	c := newTestClient(b)
	prefix := testPrefix(b, c)
	b.Run("direct", func(b *testing.B) { benchTake(b, NewRedis(c, prefix), 1024) })
	b.Run("shared", func(b *testing.B) { benchTake(b, NewShared(c, Options{Prefix: prefix}), 1024) })
	opt := *c.Options()
	opt.ContextTimeoutEnabled = true
	cc := redis.NewClient(&opt)
	b.Cleanup(func() { cc.Close() })
	b.Run("shared, ContextTimeoutEnabled", func(b *testing.B) { benchTake(b, NewShared(cc, Options{Prefix: prefix}), 1024) })
}

// BenchmarkTakeLocal: the in-process fallback, on one hot key and spread
// over many.
func BenchmarkTakeLocal(b *testing.B) {
	b.Run("one key", func(b *testing.B) { benchTake(b, NewLocal(1, 0, nil), 1) })
	b.Run("10k keys", func(b *testing.B) { benchTake(b, NewLocal(1, 0, nil), 10_000) })
}

func BenchmarkConcurrencyAcquire(b *testing.B) {
	var c Concurrency
	for b.Loop() {
		release, ok := c.Acquire("k", 10)
		if !ok {
			b.Fatal("refused")
		}
		release()
	}
}
