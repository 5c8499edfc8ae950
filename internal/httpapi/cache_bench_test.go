//go:build unix

package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

// BenchmarkCacheHit measures a profile query answered from the response
// cache, through the whole edge (New) as `creditgraph serve` builds it: the
// bundled demo dataset on the embedded store, the cache, persisted queries
// and (where named) the rate limiter on TEST_REDIS_URL, Prometheus metrics,
// anonymous PUBLIC callers, the README's three showcase USCCs in turn. The
// cache is warm before timing starts and every timed answer must be a HIT.
//
//	limiter=redis  the deployed configuration: GCRA on Redis (one round trip)
//	               before the cache's lookup (GET of the entry, then one
//	               pipeline of its tags' versions)
//	limiter=local  the limiter decides in process (as when Redis is down):
//	               the cache's own cost, limiter bookkeeping included
//	limiter=none   no metering at all (Deps.Meter nil)
//	cache=off      no response cache, limiter on Redis: the computed answer
//
// Redis timeouts are 1 s, so no circuit breaker opens during a run: every
// hit is a Redis hit. Besides ns/op it reports cpu-ns/op (this process's CPU
// per request; Redis's own is not in it) and redis-calls/op (commands and
// pipelines sent, each one round trip). To see where a hit's time goes:
//
//	TEST_REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench 'CacheHit/limiter=redis' \
//	  -benchtime 20000x -cpuprofile /tmp/cachehit.cpu ./internal/httpapi
//	go tool pprof -top -cum httpapi.test /tmp/cachehit.cpu
func BenchmarkCacheHit(b *testing.B) {
	if os.Getenv("TEST_REDIS_URL") == "" {
		b.Skip("TEST_REDIS_URL is not set: the response cache benchmark needs Redis")
	}
	st := memoryStore()
	rc := demo.Open()
	sum, err := (&ingest.Importer{Store: st}).Import(context.Background(), rc)
	rc.Close()
	if err != nil || sum.Rejected != 0 {
		b.Fatalf("load demo: %v %+v", err, sum)
	}
	usccs := []string{demo.ShowcaseFoodProducer, demo.ShowcaseSeriousList, demo.ShowcaseRepaired}
	bodies := make([][]byte, len(usccs))
	for i, u := range usccs {
		bodies[i], _ = json.Marshal(map[string]any{"query": benchProfileQuery, "variables": map[string]string{"uscc": u}})
	}

	variants := []struct {
		name    string
		limiter string // redis, local or none
		cache   bool
	}{
		{"hot,limiter=lease", "lease", true}, // the deployed configuration
		{"hot,limiter=none", "none", true},
		{"limiter=redis", "redis", true},
		{"limiter=local", "local", true},
		{"limiter=none", "none", true},
		{"cache=off", "redis", false},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			calls := &redisCounter{}
			client := benchRedis(b, calls)
			prefix := fmt.Sprintf("creditgraph:bench:httpapi:%d:%d:", os.Getpid(), redisPrefixSeq.Add(1))
			reg := prometheus.NewRegistry()
			d := Deps{Store: st, Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: time.Now, Log: discardLog(),
				Registry: reg,
				Options:  Options{MaxBodyBytes: 1 << 20, ParserTokenLimit: 5000, RequestTimeout: 10 * time.Second},
				APQ: gqlcache.NewPersistedQueries(client, gqlcache.PersistedQueryOptions{
					Prefix: prefix + "apq:", Timeout: time.Second})}
			if v.cache {
				cm, err := cache.NewPrometheus(reg)
				if err != nil {
					b.Fatal(err)
				}
				co := cache.Options{Prefix: prefix + "rc:", TTL: time.Hour, Timeout: time.Second, Metrics: cm}
				if strings.HasPrefix(v.name, "hot,") {
					co.HotMaxBytes = 1 << 20
				}
				d.Cache = cache.New(client, co)
				if co.HotMaxBytes > 0 {
					ctx, cancel := context.WithCancel(context.Background())
					b.Cleanup(cancel)
					go d.Cache.Run(ctx)
					for i := 0; !d.Cache.HotReady(); i++ { // waiting for Redis, not for time to pass
						if i == 1000 {
							b.Fatal("the hot layer never got its lease")
						}
						time.Sleep(5 * time.Millisecond)
					}
				}
			}
			if v.limiter != "none" {
				lm, err := ratelimit.NewPrometheus(reg)
				if err != nil {
					b.Fatal(err)
				}
				var lc redis.UniversalClient
				if v.limiter == "redis" {
					lc = client
				}
				budget := ratelimit.Budget{Points: 1_000_000_000, Per: time.Hour}
				var lim ratelimit.Limiter = ratelimit.NewShared(lc, ratelimit.Options{
					Prefix: prefix + "rl:", Timeout: time.Second, Metrics: lm})
				if v.limiter == "lease" {
					lc = client
					lim = ratelimit.NewLeasing(ratelimit.NewShared(lc, ratelimit.Options{
						Prefix: prefix + "rl:", Timeout: time.Second, Metrics: lm}), ratelimit.LeaseOptions{Max: 64, Metrics: lm})
				}
				d.Meter = &meter.Config{Now: time.Now, Limiter: lim,
					Budgets: map[credit.Tier]ratelimit.Budget{credit.TierPublic: budget, credit.TierPartner: budget, credit.TierRegulator: budget}}
			}
			h := New(d)
			serve := func(body []byte) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			want := ""
			if v.cache {
				want = gqlcache.StatusHit
			}
			for _, body := range bodies { // computed and stored, then a hit
				serve(body)
				rec := serve(body)
				checkProfile(b, rec)
				if got := rec.Header().Get(gqlcache.StatusHeader); got != want {
					b.Fatalf("warm-up: %s %q, want %q", gqlcache.StatusHeader, got, want)
				}
			}
			b.ReportAllocs()
			i, cpu, n0 := 0, processCPU(b), calls.n.Load()
			for b.Loop() {
				rec := serve(bodies[i%len(bodies)])
				if rec.Code != http.StatusOK || rec.Header().Get(gqlcache.StatusHeader) != want {
					b.Fatalf("status %d, %s %q: %s", rec.Code, gqlcache.StatusHeader, rec.Header().Get(gqlcache.StatusHeader), rec.Body)
				}
				i++
			}
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(calls.n.Load()-n0)/float64(b.N), "redis-calls/op")
			if v.cache && d.Cache.BreakerState() != cache.BreakerClosed {
				b.Fatalf("the cache's Redis breaker is %s: some answers came from the local fallback", d.Cache.BreakerState())
			}
		})
	}
}

// benchRedis connects to TEST_REDIS_URL as the server does (context
// deadlines reach the socket) and counts the round trips through it.
func benchRedis(b *testing.B, calls *redisCounter) redis.UniversalClient {
	b.Helper()
	opt, err := redis.ParseURL(os.Getenv("TEST_REDIS_URL"))
	if err != nil {
		b.Fatalf("TEST_REDIS_URL: %v", err)
	}
	opt.ContextTimeoutEnabled = true
	c := redis.NewClient(opt)
	b.Cleanup(func() { _ = c.Close() })
	c.AddHook(calls)
	return c
}

// redisCounter is a go-redis hook counting commands and pipelines sent: one
// round trip each.
type redisCounter struct{ n atomic.Int64 }

func (r *redisCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *redisCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *redisCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}
