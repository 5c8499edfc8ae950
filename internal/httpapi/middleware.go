package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/audit"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// limitBody refuses bodies over max bytes with 413 before anything reads
// them; the paths in own set their own, larger limits.
func limitBody(max int64, own string, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == own {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > max {
			writeError(w, http.StatusRequestEntityTooLarge, apierr.New(apierr.BadUserInput,
				"request body is %d bytes; the limit is %d bytes", r.ContentLength, max))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// timeout bounds every request's work through its context; bulk ingest
// gets its own, longer bound.
func timeout(d, ingest time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := d
		if r.URL.Path == "/v1/ingest" && ingest > d {
			limit = ingest
		}
		ctx, cancel := context.WithTimeout(r.Context(), limit)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Authenticator turns a presented secret into a caller (auth.Keyring).
type Authenticator interface {
	Authenticate(ctx context.Context, secret string) (auth.Caller, error)
}

// authenticate resolves the caller. No Authorization header → anonymous
// PUBLIC. A presented key must be valid: an unknown, revoked or malformed key
// is refused with 401 UNAUTHENTICATED, never silently downgraded to PUBLIC.
func authenticate(keys Authenticator, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := strings.CutPrefix(h, "Bearer ")
		var err error = auth.ErrMalformedKey
		var c auth.Caller
		if ok && keys != nil {
			c, err = keys.Authenticate(r.Context(), strings.TrimSpace(secret))
		} else if ok {
			err = auth.ErrUnknownKey
		}
		switch {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), c)))
		case errors.Is(err, auth.ErrMalformedKey), errors.Is(err, auth.ErrUnknownKey):
			w.Header().Set("WWW-Authenticate", `Bearer realm="creditgraph"`)
			writeError(w, http.StatusUnauthorized, apierr.New(apierr.Unauthenticated, "%s", err.Error()))
		default:
			// The key store is unreachable: say so rather than guess a tier.
			log.ErrorContext(r.Context(), "authenticate", "err", err)
			writeError(w, http.StatusServiceUnavailable, apierr.New(apierr.Unavailable, "cannot check the API key right now; retry later"))
		}
	})
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
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
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
	}
	reg.MustRegister(m.requests, m.duration)
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
	case strings.HasPrefix(p, "/v1/"):
		return p
	}
	return "other"
}

// observe logs and measures every request. It logs no bodies, headers or
// query variables: they may carry keys or personal data.
func observe(log *slog.Logger, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		rt, d := route(r.URL.Path), time.Since(start)
		m.requests.WithLabelValues(rt, strconv.Itoa(sw.status)).Inc()
		m.duration.WithLabelValues(rt).Observe(d.Seconds())
		log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method), slog.String("route", rt),
			slog.Int("status", sw.status), slog.Duration("duration", d))
	})
}

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }
