// Package meter charges each GraphQL request against its caller's budget:
// it picks the budget (per API key, or per client address for anonymous
// callers), takes the query's cost (computed by package cost before any
// resolver runs) from the shared limiter, refunds what the query did not
// use, and reports it all — extensions.cost, the RateLimit-* and
// X-RateLimit-* headers, 429 with Retry-After, and the rateLimit field. It
// owns no limiter algorithm (package ratelimit) and no pricing (package
// cost).
package meter

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

// Config is how requests are metered.
type Config struct {
	Limiter ratelimit.Limiter
	// Budgets per tier; KeyBudgets override them per API key name.
	Budgets    map[credit.Tier]ratelimit.Budget
	KeyBudgets map[string]ratelimit.Budget
	// MaxConcurrent is the secondary limit: requests in flight per key (or
	// client address) on one replica. 0 means no limit.
	MaxConcurrent int
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	Now            func() time.Time
}

// State is one request's metering, shared by the HTTP middleware, the
// gqlgen extension and the rateLimit resolver.
type State struct {
	cfg    *Config
	Key    string
	Budget ratelimit.Budget

	mu        sync.Mutex
	result    *ratelimit.Result
	requested int
	actual    int
	nodes     int
	dryRun    bool
	throttled bool
	// prepaid is the price a Charge took before the operation was parsed
	// (0: none), prepaidErr the limiter's error then.
	prepaid    int
	prepaidErr error
	// floor is the least the operation's actual cost may settle at: what
	// its resolvers said the work cost (Floor), whatever the answer's size.
	floor int
}

type ctxKey struct{}

// From returns the request's State, or nil when the request is not metered.
func From(ctx context.Context) *State {
	s, _ := ctx.Value(ctxKey{}).(*State)
	return s
}

// budgetFor picks the budget of a caller.
func (c *Config) budgetFor(caller auth.Caller) ratelimit.Budget {
	if b, ok := c.KeyBudgets[caller.KeyName]; ok && caller.KeyName != "" {
		return b
	}
	return c.Budgets[caller.Tier]
}

// ClientAddr is the client's address: the peer, or, when the peer is a
// trusted proxy, the right-most untrusted address of X-Forwarded-For.
func (c *Config) ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !c.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !c.trusted(a) {
			return a.String()
		}
	}
	return host
}

func (c *Config) trusted(a netip.Addr) bool {
	for _, p := range c.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// Middleware meters /graphql requests: it applies the concurrency limit,
// puts a State in the context, and writes the rate-limit headers (and 429
// when throttled) when the response starts.
func Middleware(cfg *Config, next http.Handler) http.Handler {
	if cfg == nil || cfg.Limiter == nil {
		return next
	}
	conc := &ratelimit.Concurrency{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller := auth.FromContext(r.Context())
		key := "ip:" + cfg.ClientAddr(r)
		if caller.KeyName != "" {
			key = "key:" + caller.KeyName
		}
		if cfg.MaxConcurrent > 0 {
			release, ok := conc.Acquire(key, cfg.MaxConcurrent)
			if !ok {
				w.Header().Set("Retry-After", "1")
				apierr.Write(w, http.StatusTooManyRequests, &apierr.Error{Code: apierr.Throttled,
					Message: fmt.Sprintf("secondary rate limit: at most %d concurrent requests per caller; this would be request %d in flight",
						cfg.MaxConcurrent, conc.InFlight(key)+1),
					Extra: map[string]any{"limit": cfg.MaxConcurrent, "measured": conc.InFlight(key) + 1}})
				return
			}
			defer release()
		}
		st := &State{cfg: cfg, Key: key, Budget: cfg.budgetFor(caller)}
		ctx := context.WithValue(r.Context(), ctxKey{}, st)
		next.ServeHTTP(&headerWriter{ResponseWriter: w, st: st, ctx: ctx}, r.WithContext(ctx))
	})
}

// take charges cost (0 = dry run) and records the result.
func (s *State) take(ctx context.Context, requested, nodes int, dryRun bool) (ratelimit.Result, error) {
	cost := requested
	if dryRun {
		cost = 0
	}
	if lim := s.Budget.Limit(); cost > lim {
		res, err := s.cfg.Limiter.Take(ctx, s.Key, s.Budget, 0)
		res.Allowed = false
		res.RetryAfter = 0
		s.record(res, requested, nodes, dryRun)
		return res, err
	}
	res, err := s.cfg.Limiter.Take(ctx, s.Key, s.Budget, cost)
	s.record(res, requested, nodes, dryRun)
	return res, err
}

func (s *State) record(res ratelimit.Result, requested, nodes int, dryRun bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.result, s.requested, s.nodes, s.dryRun, s.throttled = &res, requested, nodes, dryRun, !res.Allowed
}

// DryRun reports whether the request is a rateLimit(dryRun: true) query.
func (s *State) DryRun() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dryRun
}

// RateLimit is what the rateLimit field reports.
type RateLimit struct {
	Limit, Cost, Remaining, Used, NodeCount int
	ResetAt                                 time.Time
}

// RateLimit reports the budget after this query's charge.
func (s *State) RateLimit() RateLimit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := RateLimit{Cost: s.requested, NodeCount: s.nodes, ResetAt: s.cfg.Now()}
	if r := s.result; r != nil {
		out.Limit, out.Remaining, out.Used = r.Limit, r.Remaining, r.Used
		out.ResetAt = s.cfg.Now().Add(r.ResetAfter).Truncate(time.Second)
	}
	return out
}

// costExtension is extensions.cost, in Shopify's names.
func (s *State) costExtension() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := map[string]any{"maximumAvailable": 0, "currentlyAvailable": 0, "restoreRate": 0.0}
	if r := s.result; r != nil {
		ts["maximumAvailable"] = r.Limit
		ts["currentlyAvailable"] = r.Remaining
		ts["restoreRate"] = restoreRate(s.Budget)
	}
	return map[string]any{"requestedQueryCost": s.requested, "actualQueryCost": s.actual, "throttleStatus": ts}
}

// restoreRate is points restored per second, rounded to 3 decimals.
func restoreRate(b ratelimit.Budget) float64 {
	if b.Per <= 0 {
		return 0
	}
	return math.Round(float64(b.Points)/b.Per.Seconds()*1000) / 1000
}

// rateLimitHeaders are the canonical names (textproto.CanonicalMIMEHeaderKey)
// of the budget headers, in headerWriter's order.
var rateLimitHeaders = [...]string{
	"Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset",
	"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Used", "X-Ratelimit-Reset",
}

var resourceGraphQL = []string{"graphql"}[:1:1]

// headerWriter sets the rate-limit headers, and 429 when throttled, as the
// response starts.
type headerWriter struct {
	http.ResponseWriter
	st      *State
	ctx     context.Context
	started bool
}

func (w *headerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *headerWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *headerWriter) WriteHeader(code int) {
	if w.started {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.started = true
	st := w.st
	st.mu.Lock()
	res, throttled := st.result, st.throttled
	st.mu.Unlock()
	if res == nil { // refused before pricing (parse or validation error): report the state
		st.observe(w.ctx)
		st.mu.Lock()
		res = st.result
		st.mu.Unlock()
	}
	if res != nil {
		// Canonical names assigned directly, values in one backing array:
		// the same headers as Header.Set, without its per-call work.
		h := w.Header()
		limit, remaining := strconv.Itoa(res.Limit), strconv.Itoa(res.Remaining)
		v := [...]string{limit, remaining, strconv.Itoa(int(math.Ceil(res.ResetAfter.Seconds()))),
			limit, remaining, strconv.Itoa(res.Used), strconv.FormatInt(st.cfg.Now().Add(res.ResetAfter).Unix(), 10)}
		vs := v[:]
		for i, name := range rateLimitHeaders {
			h[name] = vs[i : i+1 : i+1] // full: a later Add copies
		}
		h["X-Ratelimit-Resource"] = resourceGraphQL
		if throttled {
			h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(res.RetryAfter.Seconds())))))
			code = http.StatusTooManyRequests
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Charge takes points for a non-GraphQL request (bulk ingest) from the
// request's budget. ok is false when the budget cannot pay; the response
// headers and 429 are written by the middleware as for GraphQL.
func Charge(ctx context.Context, points int) (res ratelimit.Result, ok bool) {
	st := From(ctx)
	if st == nil {
		return ratelimit.Result{Allowed: true}, true
	}
	res, err := st.take(ctx, points, 0, false)
	if err != nil {
		return res, true // the limiter errs only on bad input: never refuse on its account
	}
	return res, res.Allowed
}

// Refund gives back points a Charge took and did not use (an export that
// held fewer records than it was charged for). The result the headers
// report is updated when they are still to be written.
func Refund(ctx context.Context, points int) {
	st := From(ctx)
	if st == nil || points <= 0 {
		return
	}
	if err := st.cfg.Limiter.Refund(context.WithoutCancel(ctx), st.Key, st.Budget, points); err != nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.result != nil {
		st.result.Remaining = min(st.result.Limit, st.result.Remaining+points)
	}
}

// Floor raises the least the request's actual cost settles at to points:
// a resolver whose work is priced per input (screening) says so, so that
// the refund after execution, which counts the answer's objects, does not
// give the per-input price back. It never raises the cost above what was
// requested.
func Floor(ctx context.Context, points int) {
	st := From(ctx)
	if st == nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.floor += points
}
