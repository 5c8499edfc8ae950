package cache

import (
	"context"
	"slices"
	"testing"
	"time"
)

func benchGet(b *testing.B, c *Cache) {
	ctx := context.Background()
	k := key("PUBLIC", "{ enterprise(uscc: $u) { name penalties { id } } }")
	tags := []string{"e:91350100M000100Y43", "enterprises", "list:serious"}
	value := make([]byte, 4096)
	c.Set(ctx, k, value, tags, c.Versions(ctx, tags), time.Hour)
	if _, ok := c.Get(ctx, k); !ok {
		b.Fatal("no hit")
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, ok := c.Get(ctx, k); !ok {
			b.Fatal("miss")
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkGetHitRedis(b *testing.B) {
	clk := newFakeClock()
	benchGet(b, newTestCache(b, newTestClient(b), testPrefix(b), clk))
}

func BenchmarkGetHitLocal(b *testing.B) {
	clk := newFakeClock()
	benchGet(b, New(nil, Options{Now: clk.Now}))
}
