package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/creditgraph/creditgraph/internal/audit"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// timeout bounds every request's work through its context; bulk ingest
// gets its own, longer bound; a subscription stream has none (it ends with
// its client or the server).
func timeout(d, ingest time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStream(r) {
			next.ServeHTTP(w, r)
			return
		}
		limit := d
		switch {
		case r.URL.Path == "/v1/ingest" && ingest > d:
			limit = ingest
		case strings.HasPrefix(r.URL.Path, "/v1/export/"):
			next.ServeHTTP(w, r) // bounded by ExportOptions.Timeout
			return
		}
		ctx := &deadlineCtx{Context: r.Context(), deadline: time.Now().Add(limit)}
		defer ctx.stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// deadlineCtx is context.WithDeadline(Context, deadline) made on first use
// of Done or Err: a request that never waits on its context (a cache hit
// answered in process) starts no timer and registers no child with the
// connection's context, which cost a hit ~6 % of its CPU. Once made, every
// method is the made context's, so children attach to it as to any
// context.WithDeadline.
type deadlineCtx struct {
	context.Context // the request's
	deadline        time.Time
	mu              sync.Mutex
	made            atomic.Pointer[madeCtx]
}

type madeCtx struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (c *deadlineCtx) make() context.Context {
	if m := c.made.Load(); m != nil {
		return m.ctx
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m := c.made.Load(); m != nil {
		return m.ctx
	}
	ctx, cancel := context.WithDeadline(c.Context, c.deadline)
	c.made.Store(&madeCtx{ctx, cancel})
	return ctx
}

func (c *deadlineCtx) Deadline() (time.Time, bool) {
	if d, ok := c.Context.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *deadlineCtx) Done() <-chan struct{} { return c.make().Done() }
func (c *deadlineCtx) Err() error            { return c.make().Err() }

func (c *deadlineCtx) Value(key any) any {
	if m := c.made.Load(); m != nil {
		return m.ctx.Value(key) // context.Cause and children find the deadline's cancelCtx
	}
	return c.Context.Value(key)
}

// stop releases the timer, if one was made (context.WithTimeout's cancel).
func (c *deadlineCtx) stop() {
	if m := c.made.Load(); m != nil {
		m.cancel()
	}
}

// auditReads gives REGULATOR requests an audit trail and, once the request
// is done, appends one audit entry for the REGULATOR-tier fields it read.
func auditReads(al store.AuditLog, clock func() time.Time, log *slog.Logger, next http.Handler) http.Handler {
	if al == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := auth.FromContext(r.Context())
		if c.Tier < credit.TierRegulator {
			next.ServeHTTP(w, r)
			return
		}
		ctx, trail := audit.With(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
		if trail.Empty() {
			return
		}
		op, fields, usccs := trail.Summary()
		e := store.AuditEntry{At: clock(), KeyName: c.KeyName, Operation: op, Fields: fields, Enterprises: usccs}
		if err := al.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
			log.ErrorContext(ctx, "audit", "err", err, "key", c.KeyName, "operation", op)
		}
	})
}

type metrics struct {
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	authFailures *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "creditgraph_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "creditgraph_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "creditgraph_auth_failures_total",
			Help: "Refused authentications by reason: malformed, unknown, duplicate, throttled (429), store_unavailable (503).",
		}, []string{"reason"}),
	}
	reg.MustRegister(m.requests, m.duration, m.authFailures)
	// Every reason exists at zero, so that rate() and alerts see it.
	for _, r := range []string{authMalformed, authUnknown, authDuplicate, authThrottled, authStoreDown} {
		m.authFailures.WithLabelValues(r)
	}
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// route names a path for metrics without unbounded label values.
func route(p string) string {
	switch {
	case p == "/graphql", p == "/healthz", p == "/readyz", p == "/metrics", p == "/":
		return p
	case strings.HasPrefix(p, "/explorer/"):
		return "/explorer/"
	case strings.HasPrefix(p, "/v1/export/"):
		return "/v1/export/"
	case strings.HasPrefix(p, "/v1/"):
		return p
	}
	return "other"
}

// observe logs and measures every request. It logs no bodies, headers or
// query variables: they may carry keys or personal data.
func observe(log *slog.Logger, m *metrics, next http.Handler) http.Handler {
	// The commonest series, resolved once: a label lookup hashes its values.
	gqlOK, gqlDuration := m.requests.WithLabelValues("/graphql", "200"), m.duration.WithLabelValues("/graphql")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		rt, d := route(r.URL.Path), time.Since(start)
		if rt == "/graphql" && sw.status == http.StatusOK {
			gqlOK.Inc()
			gqlDuration.Observe(d.Seconds())
		} else {
			m.requests.WithLabelValues(rt, strconv.Itoa(sw.status)).Inc()
			m.duration.WithLabelValues(rt).Observe(d.Seconds())
		}
		log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method), slog.String("route", rt),
			slog.Int("status", sw.status), slog.Duration("duration", d))
	})
}

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }
