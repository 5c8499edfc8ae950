// Package httpapi is the HTTP edge: it routes /graphql, the explorer,
// health and readiness on the public handler, and metrics and pprof on the
// operators' one (Operations); builds the gqlgen handler with the
// GraphQL-over-HTTP transport (package gqlhttp) and limits; and wraps every
// request with security headers, CORS, body limits (413 with the body
// drained), the caller's identity (failures limited per client address),
// a timeout, per-request dataloaders, logging and metrics. It owns no
// domain rules: disclosure is package credit's and the store's, resolution
// is package graph's.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/cost"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/explorer"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/gqlhttp"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/screening"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"
)

// Options are the settings of the HTTP edge.
type Options struct {
	MaxBodyBytes     int64
	ParserTokenLimit int
	QueryCacheSize   int
	RequestTimeout   time.Duration
	// DefaultQuery is the explorer's first query.
	DefaultQuery string
	// ExampleUSCC and ExamplePartnerKey feed the explorer's example menu
	// (explorer.Options): a demo enterprise and the demo's published key.
	ExampleUSCC, ExamplePartnerKey string
	// CostLimits bound a single query before it runs; zero fields mean
	// the cost package's defaults.
	CostLimits cost.Limits
	// CORS says which web pages may call the API.
	CORS CORSOptions
}

// Deps are what the edge is built from; built once in main.
type Deps struct {
	Store store.Store
	Audit store.AuditLog // nil: no audit trail kept (and auditLog is UNAVAILABLE)
	Keys  Authenticator  // nil: no keys; every presented key is refused
	// AuthThrottle limits failed authentications per client address; nil:
	// no limit.
	AuthThrottle *AuthThrottle
	Meter        *meter.Config // nil: no rate limiting
	Risk         risk.Model    // zero: New uses risk.DefaultSettings
	// Screening: the thresholds of screenCounterparties; zero: screening.Defaults.
	Screening screening.Settings
	Policy    credit.Policy
	Clock     credit.Clock
	Log       *slog.Logger
	Registry  *prometheus.Registry // nil → a fresh one
	Options   Options
	Ingest    IngestOptions
	Export    ExportOptions
	// Cache is the response cache; nil: answers are always computed.
	// Writes through the edge invalidate it (gqlcache.Invalidating).
	Cache *cache.Cache
	// APQ stores automatic persisted queries; nil: in this process only.
	APQ graphql.Cache[string]
	// CacheOptions are the response cache's HTTP settings.
	CacheOptions CacheOptions
	// Feed is the change feed and watchlists; nil: Store's, when it has one.
	Feed store.Feed
	// Streams wakes and bounds change subscriptions; nil: subscriptions
	// are UNAVAILABLE.
	Streams *feedstream.Hub
	// FeedOptions are the feed's limits.
	FeedOptions FeedOptions
}

// FeedOptions are the change feed's settings at the edge.
type FeedOptions struct {
	WatchlistMax int           // WATCHLIST_MAX; 0 → 10,000
	Heartbeat    time.Duration // STREAM_HEARTBEAT; 0 → 15 s
}

// CacheOptions are the settings of the response cache at the edge.
type CacheOptions struct {
	// HTTPMaxAge is the max-age of a PUBLIC GET answer (see gqlcache.HTTPOptions).
	HTTPMaxAge time.Duration
	// BulkInvalidation: a write touching more enterprises invalidates
	// every entry (see gqlcache.WriteTags); 0 → 1000.
	BulkInvalidation int
	// EntityMaxBatch: per-USCC reads of at most this many enterprises go
	// through the entity cache (gqlcache.Entities); 0 → no entity cache.
	EntityMaxBatch int
}

// New returns the complete HTTP handler.
func New(d Deps) http.Handler {
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Risk.Version == "" {
		d.Risk = mustRiskModel()
	}
	if d.Screening == (screening.Settings{}) {
		d.Screening = screening.Defaults()
	}
	m := newMetrics(d.Registry)
	if d.Feed == nil {
		d.Feed, _ = d.Store.(store.Feed) // before the cache's wrappers hide it
	}
	if d.FeedOptions.WatchlistMax <= 0 {
		d.FeedOptions.WatchlistMax = 10_000
	}
	if d.FeedOptions.Heartbeat <= 0 {
		d.FeedOptions.Heartbeat = 15 * time.Second
	}
	base := d.Store // exports read a snapshot of the store itself, past the caches
	if d.Cache != nil {
		bulk := d.CacheOptions.BulkInvalidation
		if bulk <= 0 {
			bulk = 1000
		}
		st := gqlcache.Invalidating(d.Store, d.Cache, bulk, d.Log)
		if d.CacheOptions.EntityMaxBatch > 0 {
			st = gqlcache.Entities(st, d.Cache, d.CacheOptions.EntityMaxBatch)
		}
		d.Store = gqlcache.Tagging(st)
	}
	gql := dataloader.Middleware(d.Store, d.Clock, auditReads(d.Audit, d.Clock, d.Log, GraphQL(d)))
	if d.Cache != nil {
		gql = gqlcache.NewFastPath(d.Cache, d.Clock, queryCacheSize(d.Options)).Wrap(gql)
	}
	gql = gqlcache.HTTP(gqlcache.HTTPOptions{MaxAge: d.CacheOptions.HTTPMaxAge, Now: d.Clock}, gql)

	mux := http.NewServeMux()
	mux.Handle("/graphql", graphQLVary(meter.Middleware(d.Meter, gql)))
	ex := only("GET, HEAD", getHead, explorer.Handler(explorer.Options{Title: "Creditgraph", Endpoint: "/graphql",
		DefaultQuery: d.Options.DefaultQuery, NotFound: http.HandlerFunc(notFound),
		ExampleUSCC: d.Options.ExampleUSCC, PartnerKey: d.Options.ExamplePartnerKey}))
	mux.Handle("/{$}", ex)
	mux.Handle("/explorer/", ex)
	mux.Handle("/schema.graphql", only("GET, HEAD", getHead, schemaHandler()))
	mux.Handle("/v1/ingest", only("POST", []string{http.MethodPost}, meter.Middleware(d.Meter, ingestHandler(notifying(d)))))
	mux.Handle("/v1/export/{file}", only("GET", []string{http.MethodGet}, meter.Middleware(d.Meter, exportHandler(d, base))))
	mux.Handle("/healthz", only("GET, HEAD", getHead, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})))
	mux.Handle("/readyz", only("GET, HEAD", getHead, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Store.Ping(ctx); err != nil {
			d.Log.WarnContext(ctx, "not ready", "err", err)
			writeError(w, http.StatusServiceUnavailable, apierr.New(apierr.Unavailable, "not ready: the store is unreachable"))
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})))
	mux.HandleFunc("/", notFound)

	var h http.Handler = mux
	h = timeout(d.Options.RequestTimeout, d.Ingest.Timeout, h) // an export sets its own (ExportOptions)
	h = authenticate(newAuthGate(d, m), h)
	h = limitBody(d.Options.MaxBodyBytes, "/v1/ingest", h)
	h = withCORS(d.Options.CORS, h)
	h = secure(h)
	h = observe(d.Log, m, h)
	return h
}

var getHead = []string{http.MethodGet, http.MethodHead}

// Operations is the operators' handler, for a private listener
// (METRICS_ADDR): Prometheus metrics at /metrics and Go's profiler at
// /debug/pprof/. Neither is on the public handler.
func Operations(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// GraphQL returns the GraphQL handler: one gqlgen server per tier, each
// validating and introspecting against its tier's schema (graph.TierSchema),
// chosen by the caller's tier.
func GraphQL(d Deps) http.Handler {
	byTier := map[credit.Tier]*handler.Server{}
	for tier, schema := range graph.TierSchemas() {
		byTier[tier] = gqlServer(d, schema)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		byTier[auth.FromContext(r.Context()).Tier].ServeHTTP(w, r)
	})
}

// gqlServer builds one gqlgen handler with explicit transports (never
// NewDefaultServer), a parsed-query cache and a parser token limit.
func gqlServer(d Deps, schema *ast.Schema) *handler.Server {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{
		Schema: schema,
		Resolvers: &graph.Resolver{
			Store: d.Store, Audit: d.Audit, Policy: d.Policy, Log: d.Log, Risk: d.Risk, Screening: d.Screening,
			Feed: d.Feed, WatchlistMax: d.FeedOptions.WatchlistMax, Clock: d.Clock, Streams: streams(d.Streams),
		},
		Directives: graph.Directives(),
	}))
	srv.AddTransport(sseTransport{transport.SSE{KeepAlivePingInterval: d.FeedOptions.Heartbeat}}) // before gqlhttp, which takes every request
	srv.AddTransport(gqlhttp.Transport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize(d.Options)))
	if d.Options.ParserTokenLimit > 0 {
		srv.SetParserTokenLimit(d.Options.ParserTokenLimit)
	}
	srv.Use(extension.Introspection{})
	srv.Use(graph.ArgumentText{}) // before pricing: a refused operation costs nothing
	apq := d.APQ
	if apq == nil {
		apq = gqlcache.NewPersistedQueries(nil, gqlcache.PersistedQueryOptions{})
	}
	srv.Use(gqlcache.NewAPQ(apq))
	limits := d.Options.CostLimits
	srv.Use(&cost.Extension{Limits: func(context.Context, *graphql.OperationContext) cost.Limits { return limits }})
	srv.Use(meter.Extension{}) // after cost.Extension: it charges the price cost computed
	if d.Cache != nil {
		// After meter.Extension: a cached answer is charged like a computed one.
		srv.Use(gqlcache.NewExtension(d.Cache, queryCacheSize(d.Options)))
	}
	srv.SetErrorPresenter(graph.ErrorPresenter(d.Log))
	srv.SetRecoverFunc(graph.Recover(d.Log))
	return srv
}

// notifying is d whose store's writes wake change subscriptions, on this
// replica and (through Redis) the others. Reads keep the store as it is:
// a wrapper would hide the interfaces the read path looks for.
func notifying(d Deps) Deps {
	if d.Streams != nil {
		d.Store = feedstream.Notifying(d.Store, d.Streams)
	}
	return d
}

// streams is hub as the resolvers' interface: nil stays nil.
func streams(h *feedstream.Hub) graph.Streams {
	if h == nil {
		return nil
	}
	return h
}

// writeError ends a request at the edge with a GraphQL-shaped error body.
func writeError(w http.ResponseWriter, status int, e *apierr.Error) { apierr.Write(w, status, e) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func mustRiskModel() risk.Model {
	m, err := risk.NewModel(risk.DefaultSettings())
	if err != nil {
		panic(err) // the defaults are validated by package risk's tests
	}
	return m
}

// queryCacheSize is how many documents (and requests, for the cache's fast
// path) a replica remembers.
func queryCacheSize(o Options) int {
	if o.QueryCacheSize <= 0 {
		return 1000
	}
	return o.QueryCacheSize
}
