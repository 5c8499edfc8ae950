package gqlcache

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// BenchmarkEntities measures what the dataloaders of a profile page ask the
// store for, an enterprise and its penalties (EnterprisesByUSCC then
// PenaltiesByUSCC), for 1 and for 100 USCCs at a time, PUBLIC, on the
// PostgreSQL test store with 1,000 generated enterprises (seed 1):
//
//	store=bare      the PostgreSQL store itself
//	store=entities  the production stack, Tagging(Entities(Invalidating(…))),
//	                with every entry already in Redis (TEST_REDIS_URL)
//
// Each sub-benchmark cycles through the same 100 USCCs. The ratio
// entities/bare of the median ns/op is logged per size (shown with -v).
//
//	TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	TEST_REDIS_URL=redis://127.0.0.1:6379/0 \
//	  go test -run '^$' -bench BenchmarkEntities -count 5 -v ./internal/gqlcache
func BenchmarkEntities(b *testing.B) {
	ctx := context.Background()
	pg := postgres.NewTestStore(b, credit.NewPolicy(credit.DefaultSettings()))
	var data bytes.Buffer
	if err := gen.Write(&data, gen.Options{Enterprises: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	sum, err := (&ingest.Importer{Store: pg}).Import(ctx, bytes.NewReader(data.Bytes()))
	if err != nil || sum.Rejected != 0 {
		b.Fatalf("load: %v %+v", err, sum)
	}
	usccs := generatedUSCCs(b, data.Bytes())[:100]
	// "Today" is the dataset's anchor, so disclosure states are the ones the
	// generator spread. The cache's clock starts on that day and runs: a
	// stopped clock would keep the breaker open for good after one slow
	// call, and the rest of the run would measure the local fallback. For
	// the same reason the Redis timeout is generous (production's 30 ms is
	// exceeded on a loaded machine): this measures the warm Redis path, and
	// redis-hit-ratio shows that it did.
	today := gen.DefaultAnchor().Add(10 * time.Hour)
	start := time.Now()
	m := &benchMetrics{}
	c := cache.New(entityRedis(b), cache.Options{Prefix: entityPrefix(b), Metrics: m, Timeout: time.Second,
		Now: func() time.Time { return today.Add(time.Since(start)) }})
	cached := Tagging(Entities(Invalidating(pg, c, 1000, discard), c, 0))
	v := credit.VisibilityAt(credit.TierPublic, today)

	read := func(b testing.TB, st store.Store, keys []string) ([]*credit.Enterprise, [][]credit.Penalty) {
		es, err := st.EnterprisesByUSCC(ctx, v, keys)
		if err != nil {
			b.Fatal(err)
		}
		ps, err := st.PenaltiesByUSCC(ctx, v, keys)
		if err != nil {
			b.Fatal(err)
		}
		return es, ps
	}
	for _, n := range []int{1, 100} {
		var batches [][]string
		for i := 0; i+n <= len(usccs); i += n {
			batches = append(batches, usccs[i:i+n])
		}
		// Warm the cache, and check it answers what the store does.
		for _, keys := range batches {
			read(b, cached, keys)
			es, ps := read(b, cached, keys)
			bareEs, barePs := read(b, pg, keys)
			if d := exactDiff(reflect.ValueOf(es), reflect.ValueOf(bareEs), "enterprises") +
				exactDiff(reflect.ValueOf(ps), reflect.ValueOf(barePs), "penalties"); d != "" {
				b.Fatalf("cached answer differs from the store's: %s", d)
			}
		}
		nsPerOp := map[string][]float64{} // -count repeats a sub-benchmark within one Run
		for _, sc := range []struct {
			name string
			st   store.Store
		}{{"bare", pg}, {"entities", cached}} {
			b.Run(fmt.Sprintf("usccs=%d/store=%s", n, sc.name), func(b *testing.B) {
				before := m.snapshot()
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					read(b, sc.st, batches[i%len(batches)])
					i++
				}
				nsPerOp[sc.name] = append(nsPerOp[sc.name], float64(b.Elapsed().Nanoseconds())/float64(b.N))
				if sc.name == "entities" {
					// The share of lookups answered by Redis: below 1 if a
					// lookup missed, or went to the local fallback (a Redis
					// call slower than the cache's timeout).
					d := m.snapshot().minus(before)
					if total := d.redisHits + d.other; total > 0 {
						b.ReportMetric(float64(d.redisHits)/float64(total), "redis-hit-ratio")
					}
				}
			})
		}
		if bare, ent := median(nsPerOp["bare"]), median(nsPerOp["entities"]); bare > 0 && ent > 0 {
			b.Logf("usccs=%d: median bare %.0f ns/op, entities %.0f ns/op: entities/bare = %.2f",
				n, bare, ent, ent/bare)
		}
	}
}

// median is the median of xs, 0 if none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// generatedUSCCs returns the USCCs of the enterprise lines of an NDJSON
// dataset, in file order.
func generatedUSCCs(b *testing.B, ndjson []byte) []string {
	b.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(ndjson))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct{ Kind, USCC string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			b.Fatal(err)
		}
		if line.Kind == "enterprise" {
			out = append(out, line.USCC)
		}
	}
	if err := sc.Err(); err != nil || len(out) < 100 {
		b.Fatalf("%d enterprises: %v", len(out), err)
	}
	return out
}

// benchMetrics counts lookups answered by Redis apart from every other
// outcome (a miss, or an answer of the local fallback).
type benchMetrics struct {
	mu sync.Mutex
	benchCounts
}

type benchCounts struct{ redisHits, other int }

func (c benchCounts) minus(d benchCounts) benchCounts {
	return benchCounts{c.redisHits - d.redisHits, c.other - d.other}
}

func (m *benchMetrics) Hit(src string, _ int) {
	m.mu.Lock()
	if src == cache.SourceRedis {
		m.redisHits++
	} else {
		m.other++
	}
	m.mu.Unlock()
}

func (m *benchMetrics) Miss(string)         { m.mu.Lock(); m.other++; m.mu.Unlock() }
func (m *benchMetrics) Set(string, int)     {}
func (m *benchMetrics) Invalidation(int)    {}
func (m *benchMetrics) RedisError(string)   {}
func (m *benchMetrics) BreakerState(string) {}

func (m *benchMetrics) snapshot() benchCounts {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.benchCounts
}
