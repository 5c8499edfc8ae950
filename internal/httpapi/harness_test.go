package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/logging"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// backends runs f once per store backend, each loaded with the fixture.
func backends(t *testing.T, f func(t *testing.T, h *harness)) {
	t.Run("memory", func(t *testing.T) {
		st := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		st.SetRetention(testRetention)
		f(t, newHarness(t, st))
	})
	t.Run("postgres", func(t *testing.T) {
		f(t, newHarness(t, postgres.NewTestStoreConfig(t, postgres.Config{
			Policy: credit.NewPolicy(credit.DefaultSettings()), Retention: testRetention})))
	})
}

// testRetention keeps the change feed of the fixture, written on its day,
// when a test writes at the real date (canary.ndjson has dates only the
// real date accepts) or moves the clock years on.
var testRetention = credit.Period{Years: 100}

// clock is the injectable clock tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(day string) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.now = t.Add(10 * time.Hour)
	c.mu.Unlock()
}

type harness struct {
	st     store.Store // writes through it invalidate the cache
	srv    *httptest.Server
	clock  *clock
	logs   *lockedWriter
	cache  *cache.Cache
	prefix string // of the harness's Redis keys
	reg    *prometheus.Registry
}

// fixtureToday is the default "today" of the fixture's stories.
const fixtureToday = "2026-06-15"

func newHarness(t *testing.T, st store.Store) *harness {
	t.Helper()
	return newHarnessMeter(t, st, testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 100_000))
}

// testMeter meters with lim and a budget of points per hour for every tier.
func testMeter(lim ratelimit.Limiter, points int) *meter.Config {
	b := ratelimit.Budget{Points: points, Per: time.Hour}
	return &meter.Config{Limiter: lim, Now: time.Now,
		Budgets: map[credit.Tier]ratelimit.Budget{credit.TierPublic: b, credit.TierPartner: b, credit.TierRegulator: b}}
}

func newHarnessMeter(t *testing.T, st store.Store, m *meter.Config) *harness {
	t.Helper()
	return newHarnessWith(t, st, func(d *Deps) { d.Meter = m })
}

// newHarnessWith is newHarness with Deps changed by set before the edge is
// built.
func newHarnessWith(t *testing.T, st store.Store, set func(*Deps)) *harness {
	t.Helper()
	f, err := os.Open("testdata/fixture.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := &clock{}
	c.Set(fixtureToday)
	// Imported on the fixture's day: the change feed records it then.
	sum, err := (&ingest.Importer{Store: st, Now: c.Now}).Import(context.Background(), f)
	if err != nil || sum.Rejected != 0 {
		t.Fatalf("load fixture: %v %+v", err, sum)
	}
	return buildHarness(t, st, c, set)
}

// newBareHarness is newHarnessWith over st as it is, without the fixture.
func newBareHarness(t *testing.T, st store.Store, set func(*Deps)) *harness {
	t.Helper()
	c := &clock{}
	c.Set(fixtureToday)
	return buildHarness(t, st, c, set)
}

// buildHarness builds the edge over st with the clock c.
func buildHarness(t *testing.T, st store.Store, c *clock, set func(*Deps)) *harness {
	t.Helper()
	logs := &lockedWriter{w: &bytes.Buffer{}}
	log := logging.New(logs, logging.Options{Level: slog.LevelDebug, Repeat: time.Minute, Now: c.Now}).Logger
	t.Cleanup(func() { checkLogs(t, logs.String()) })
	al, _ := st.(store.AuditLog)
	fd, _ := st.(store.Feed)
	prefix := testRedisPrefix(t)
	rc := testCache(t, c, prefix)
	st = gqlcache.Invalidating(st, rc, 1000, log) // writes by the tests invalidate, as the edge's do
	d := Deps{Store: st, Audit: al, Keys: auth.NewKeyring(testKeys(), nil, auth.KeyringOptions{}),
		Meter:  testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 100_000),
		Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: c.Now, Log: log,
		Options:  Options{MaxBodyBytes: 1 << 20, ParserTokenLimit: 5000, RequestTimeout: 10 * time.Second},
		Registry: prometheus.NewRegistry(),
		Cache:    rc, APQ: testAPQ(t, prefix), CacheOptions: CacheOptions{EntityMaxBatch: 10}, Feed: fd,
		Streams: feedstream.New(feedstream.Options{Poll: 100 * time.Millisecond, Log: log})}
	set(&d)
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	if d.Streams != nil {
		t.Cleanup(d.Streams.Close) // first: open streams end, so srv.Close does not wait for them
	}
	return &harness{st: st, srv: srv, clock: c, logs: logs, cache: rc, prefix: prefix, reg: d.Registry}
}

// testRedis connects to TEST_REDIS_URL, or returns nil without it (the
// cache is then in-process); under CI=true it must be set.
func testRedis(t testing.TB) redis.UniversalClient {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_REDIS_URL is not set: CI runs the HTTP tests with the cache on Redis")
		}
		return nil
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	opt.ContextTimeoutEnabled = true
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

var redisPrefixSeq atomic.Int64

// testRedisPrefix is a Redis key prefix of this harness alone.
func testRedisPrefix(t testing.TB) string {
	return fmt.Sprintf("creditgraph:test:httpapi:%d:%d:", os.Getpid(), redisPrefixSeq.Add(1))
}

// testCache is the response cache of a harness: on TEST_REDIS_URL under
// prefix, on the harness's clock.
func testCache(t testing.TB, c *clock, prefix string) *cache.Cache {
	return cache.New(testRedis(t), cache.Options{Prefix: prefix + "rc:", Now: c.Now, Timeout: time.Second})
}

func testAPQ(t testing.TB, prefix string) *gqlcache.PersistedQueries {
	return gqlcache.NewPersistedQueries(testRedis(t), gqlcache.PersistedQueryOptions{Prefix: prefix + "apq:", Timeout: time.Second})
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// String is everything written so far.
func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.(*bytes.Buffer).String()
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	status int
	header http.Header
	raw    []byte
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// query POSTs a GraphQL request with optional headers (name, value pairs).
func (h *harness) query(t *testing.T, q string, vars map[string]any, headers ...string) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return h.do(t, req)
}

func (h *harness) do(t *testing.T, req *http.Request) response {
	t.Helper()
	r, err := h.roundTrip(t, req)
	if err != nil {
		t.Fatalf("response is not JSON (%d): %s", r.status, r.raw)
	}
	return r
}

// roundTrip sends req and decodes the answer, reporting a body that is not
// JSON as an error.
func (h *harness) roundTrip(t *testing.T, req *http.Request) (response, error) {
	t.Helper()
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	return r, json.Unmarshal(raw, &r)
}

// data decodes the response's data into v, failing on any GraphQL error.
func (r response) data(t *testing.T, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %s", r.raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v: %s", err, r.raw)
	}
}

func memoryStore() store.Store { return memory.New(credit.NewPolicy(credit.DefaultSettings())) }

// Test API keys, one per tier (and a write-scoped REGULATOR key). The
// secrets are fixed so tests can present them.
const (
	publicKey    = "cg_publicpublicpublicpublicpublic23"
	partnerKey   = "cg_partnerpartnerpartnerpartner2345"
	regulatorKey = "cg_regulatorregulatorregulatorreg23"
	writerKey    = "cg_writerwriterwriterwriterwriter23"
)

func testKeys() []store.Key {
	k := func(secret, name string, tier credit.Tier, scope string) store.Key {
		return store.Key{Name: name, Tier: tier, Scope: scope, Hash: auth.HashSecret(secret)}
	}
	return []store.Key{
		k(publicKey, "media-app", credit.TierPublic, "read"),
		k(partnerKey, "acme-bank", credit.TierPartner, "read"),
		k(regulatorKey, "fj-amr", credit.TierRegulator, "read"),
		k(writerKey, "fj-amr-ingest", credit.TierRegulator, "write"),
	}
}

// bearer returns the header pair for a key.
func bearer(secret string) []string { return []string{"Authorization", "Bearer " + secret} }

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// serveDirect runs one query through h with loaders but without the edge's
// authentication: the caller is anonymous PUBLIC.
func serveDirect(t *testing.T, h http.Handler, q string, d Deps) response {
	t.Helper()
	srv := httptest.NewServer(dataloader.Middleware(d.Store, d.Clock, h))
	defer srv.Close()
	body, _ := json.Marshal(map[string]any{"query": q})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return (&harness{srv: srv}).do(t, req)
}

func jsonBody(b []byte) io.Reader { return bytes.NewReader(b) }

func readAll(res *http.Response) []byte { b, _ := io.ReadAll(res.Body); return b }
