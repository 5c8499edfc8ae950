package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/cost"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/explorer"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/httpapi"
	"github.com/creditgraph/creditgraph/internal/logging"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// fileList is a repeatable string flag.
type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(v string) error { *f = append(*f, v); return nil }

// serveFlags are serve's flags.
func serveFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Var(&fileList{}, "load", "NDJSON `FILE` to import at start-up into the store in use (repeatable; gzip recognised)")
	return fs
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	fs := serveFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q (files to load go after --load)", fs.Arg(0))
	}
	load := *fs.Lookup("load").Value.(*fileList)
	tuneGC()
	if cfg.ClockDate != nil {
		log.Warn("CLOCK_DATE is set: every disclosure rule, import check and export uses this date as today, not the real date",
			"today", cfg.ClockDate.Format(time.DateOnly))
	}
	st, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer st.Close()
	go func() { // a feed that predates risk categories: minutes at 1M enterprises, so not before serving
		if err := refreshRepeatWindows(ctx, st, log); err != nil && ctx.Err() == nil {
			log.Error("repeat offenders", "err", err)
		}
		if err := refreshRiskCategories(ctx, st, cfg, log); err != nil && ctx.Err() == nil {
			log.Error("change feed", "err", err)
		}
	}()
	rdb, err := openRedis(ctx, cfg, log)
	if err != nil {
		return err
	}
	if rdb != nil {
		defer rdb.Close()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pg, ok := st.(interface{ Collector() prometheus.Collector }); ok {
		reg.MustRegister(pg.Collector()) // PostgreSQL pool statistics
	}
	rc, err := newCache(cfg, rdb, reg, log)
	if err != nil {
		return err
	}
	if rc != nil {
		go rc.Run(ctx) // the hot layer's invalidations and lease
	}
	hub := newFeedHub(cfg, rdb, log)
	go hub.Run(ctx)
	if len(load) > 0 {
		sum, err := newImporter(cfg, invalidating(cfg, feedstream.Notifying(st, hub), rc, log), log).ImportFiles(ctx, nil, load...)
		if err != nil {
			return fmt.Errorf("--load stopped after %d records were written: %s: %w", sum.Accepted, sum.Fatal, err)
		}
		log.Info("loaded", "files", load, "accepted", sum.Accepted, "rejected", sum.Rejected)
		for _, e := range sum.Errors {
			log.Warn("rejected", "file", e.File, "line", e.Line, "code", e.Code, "message", e.Message)
		}
	}

	query, exampleUSCC, partnerKey := explorer.DefaultQuery, "", ""
	if cfg.DatabaseURL == "" { // show a demo enterprise that has a record
		query = strings.Replace(query, explorer.PlaceholderUSCC, demo.ShowcaseFoodProducer, 1)
		exampleUSCC, partnerKey = demo.ShowcaseFoodProducer, demo.PartnerKey
	}
	fileKeys, err := loadKeysFile(cfg)
	if err != nil {
		return err
	}
	dk, err := demoKeys(cfg, log)
	if err != nil {
		return err
	}
	fileKeys = append(fileKeys, dk...)
	ks, _ := st.(store.KeyStore)
	al, _ := st.(store.AuditLog)
	meterCfg, err := newMeter(cfg, rdb, reg, log)
	if err != nil {
		return err
	}
	if l, ok := meterCfg.Limiter.(*ratelimit.Leasing); ok {
		defer l.Close() // leased points go back to the shared budgets
	}
	keys := auth.NewKeyring(fileKeys, ks, auth.KeyringOptions{
		TTL: cfg.KeyCacheTTL, Grace: cfg.KeyGrace, UnknownTTL: cfg.KeyUnknownTTL, Now: time.Now,
	})
	h := httpapi.New(httpapi.Deps{
		Registry: reg, Meter: meterCfg, AuthThrottle: newAuthThrottle(cfg, rdb, log),
		Store: st, Audit: al, Keys: keys, Policy: credit.NewPolicy(cfg.Disclosure), Clock: cfg.Clock(), Log: log,
		Options: httpapi.Options{
			MaxBodyBytes: cfg.MaxBodyBytes, ParserTokenLimit: cfg.ParserTokenLimit,
			QueryCacheSize: cfg.QueryCacheSize, RequestTimeout: cfg.RequestTimeout,
			DefaultQuery: query, ExampleUSCC: exampleUSCC, ExamplePartnerKey: partnerKey,
			CORS: httpapi.CORSOptions{AllowedOrigins: cfg.CORSOrigins, MaxAge: cfg.CORSMaxAge},
			CostLimits: cost.Limits{MaxCost: cfg.MaxQueryCost, MaxNodes: cfg.MaxQueryNodes,
				MaxDepth: cfg.MaxQueryDepth, MaxAliases: cfg.MaxQueryAliases},
		},
		Cache: rc,
		APQ: gqlcache.NewPersistedQueries(rdb, gqlcache.PersistedQueryOptions{
			Prefix: cfg.RedisKeyPrefix + "apq:", TTL: cfg.APQTTL, Timeout: cfg.CacheTimeout,
		}),
		CacheOptions: httpapi.CacheOptions{HTTPMaxAge: cfg.CacheHTTPMaxAge, BulkInvalidation: cfg.CacheBulkTags, EntityMaxBatch: cfg.EntityMaxBatch},
		Streams:      hub,
		FeedOptions:  httpapi.FeedOptions{WatchlistMax: cfg.WatchlistMax, Heartbeat: cfg.StreamHeartbeat},
		Ingest: httpapi.IngestOptions{
			MaxBodyBytes: cfg.IngestMaxBytes, BatchSize: cfg.ImportBatchSize, MaxErrors: cfg.ImportMaxErrors,
			MaxLineBytes: cfg.MaxLineBytes, Timeout: cfg.IngestTimeout, PublicationLead: cfg.PublicationLead,
		},
		Export:    httpapi.ExportOptions{Timeout: cfg.ExportTimeout},
		Screening: cfg.Screening,
	})
	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       cfg.RequestTimeout + 5*time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	srv.RegisterOnShutdown(hub.Close) // open subscriptions complete, so their connections can close
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	ops, err := listenOperations(cfg, reg, log)
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("serving", "addr", logging.Public(ln.Addr().String()), "explorer", logging.Public("http://"+displayAddr(ln.Addr())+"/"))
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if ops != nil {
		go func() {
			if err := ops.srv.Serve(ops.ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics listener: %w", err)
			}
		}()
		defer ops.srv.Close()
	}
	if rc != nil {
		go flushInvalidations(ctx, rc, log)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// operations is the private listener of /metrics and /debug/pprof/.
type operations struct {
	srv *http.Server
	ln  net.Listener
}

// listenOperations listens on METRICS_ADDR (nil when it is off).
func listenOperations(cfg config.Config, reg *prometheus.Registry, log *slog.Logger) (*operations, error) {
	if cfg.MetricsAddr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil && !cfg.MetricsAddrSet && errors.Is(err, syscall.EADDRINUSE) {
		// Another replica on this host holds the default: serve on, say so.
		log.Warn("metrics and pprof are off on this replica: the default METRICS_ADDR is in use (another replica on this host?); set METRICS_ADDR to a free address",
			"addr", logging.Public(cfg.MetricsAddr))
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	log.Info("metrics and pprof", "addr", logging.Public(ln.Addr().String()))
	return &operations{ln: ln, srv: &http.Server{
		Handler: httpapi.Operations(reg), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute,
	}}, nil
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "::" || host == "0.0.0.0" || host == "" {
		return "localhost:" + port
	}
	return a.String()
}

// flushInvalidations sends Redis, once a second, the invalidations this
// replica could not send when it wrote: lookups replay them too, but a
// replica with no traffic would leave the others serving stale answers
// until their TTL.
func flushInvalidations(ctx context.Context, c *cache.Cache, log *slog.Logger) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if c.Pending() == 0 {
			continue
		}
		fctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if err := c.Flush(fctx); err != nil {
			log.Debug("cache: invalidations still waiting for Redis", "tags", c.Pending(), "err", err)
		}
		cancel()
	}
}

// tuneGC gives a serving gateway Go's garbage collector settings for a
// small live heap under many short requests, unless the operator set Go's
// own GOGC or GOMEMLIMIT: collect when the heap has grown 4× (Go's default
// is 2×: a profile under load spent a fifth of its CPU allocating and
// collecting), with a soft limit of 256 MiB that makes the collector work
// harder before the heap gets near it (docs/BENCHMARKS.md, section 9).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}
