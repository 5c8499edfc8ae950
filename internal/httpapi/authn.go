package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

// Authenticator turns a presented secret into a caller (auth.Keyring).
type Authenticator interface {
	// Remembered answers without I/O (file keys, recent answers); ok is
	// false when only a store lookup can tell.
	Remembered(secret string) (c auth.Caller, err error, ok bool)
	// Authenticate answers, looking the key up in the store if need be.
	Authenticate(ctx context.Context, secret string) (auth.Caller, error)
}

// AuthThrottle limits failed authentications per client address: past
// Budget, a key that needs a store lookup, and every failure, is answered
// 429 THROTTLED before any lookup.
type AuthThrottle struct {
	Limiter ratelimit.Limiter // shared in Redis, local fallback (ratelimit.Shared)
	Budget  ratelimit.Budget  // failures per period, e.g. 60 per minute
}

// Reasons of creditgraph_auth_failures_total.
const (
	authMalformed = "malformed"         // no Bearer scheme, or not a Creditgraph key
	authUnknown   = "unknown"           // unknown or revoked key
	authDuplicate = "duplicate"         // more than one Authorization header
	authThrottled = "throttled"         // refused by the failure limit (429)
	authStoreDown = "store_unavailable" // the store could not say (503)
)

// authGate resolves the caller of each request.
type authGate struct {
	keys     Authenticator // nil: every presented key is refused
	throttle *AuthThrottle // nil: failures are not limited
	addr     func(*http.Request) string
	log      *slog.Logger
	failures *prometheus.CounterVec
}

func newAuthGate(d Deps, m *metrics) *authGate {
	g := &authGate{keys: d.Keys, throttle: d.AuthThrottle, log: d.Log, failures: m.authFailures, addr: peer}
	if d.Meter != nil {
		g.addr = d.Meter.ClientAddr // TRUSTED_PROXIES
	}
	return g
}

// peer is the client's address without a trusted proxy in front.
func peer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate resolves the caller. No Authorization header → anonymous
// PUBLIC. A presented key must be valid: an unknown, revoked or malformed key
// is refused with 401 UNAUTHENTICATED, never silently downgraded to PUBLIC;
// two Authorization headers are refused with 400. Failures count against the
// client address's failure budget, checked before any store lookup.
func authenticate(g *authGate, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header["Authorization"]
		switch len(values) {
		case 0:
			next.ServeHTTP(w, r)
			return
		case 1:
		default:
			g.failures.WithLabelValues(authDuplicate).Inc()
			writeError(w, http.StatusBadRequest, apierr.New(apierr.BadRequest,
				"the request has %d Authorization headers: send exactly one, \"Bearer <key>\"", len(values)))
			return
		}
		secret, ok := bearerToken(values[0])
		if !ok || g.keys == nil {
			g.refuse(w, r, authMalformed, auth.ErrMalformedKey)
			return
		}
		c, err, known := g.keys.Remembered(secret)
		if !known {
			if wait, blocked := g.blocked(r); blocked {
				g.throttled(w, wait)
				return
			}
			c, err = g.keys.Authenticate(r.Context(), secret)
		}
		switch {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), c)))
		case errors.Is(err, auth.ErrMalformedKey):
			g.refuse(w, r, authMalformed, err)
		case errors.Is(err, auth.ErrUnknownKey):
			g.refuse(w, r, authUnknown, err)
		default:
			// The key store is unreachable and the key was not seen valid
			// within KEY_GRACE: say so rather than guess a tier.
			g.failures.WithLabelValues(authStoreDown).Inc()
			g.log.ErrorContext(r.Context(), "authenticate: key store unreachable", "err", err)
			writeError(w, http.StatusServiceUnavailable, apierr.New(apierr.Unavailable, "cannot check the API key right now; retry later"))
		}
	})
}

// bearerToken reads "Bearer <token>"; the scheme is case-insensitive (RFC
// 9110 §11.1).
func bearerToken(v string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(v), " ")
	token = strings.TrimSpace(token)
	return token, ok && token != "" && strings.EqualFold(scheme, "Bearer")
}

// failureKey is the limiter key of a client address's failures.
func failureKey(addr string) string { return "authfail:" + addr }

// blocked reports whether the client address has no failure left, and how
// long until it has one; it spends nothing.
func (g *authGate) blocked(r *http.Request) (time.Duration, bool) {
	if g.throttle == nil {
		return 0, false
	}
	res, err := g.throttle.Limiter.Take(r.Context(), failureKey(g.addr(r)), g.throttle.Budget, 0)
	if err != nil || res.Remaining >= 1 {
		return 0, false
	}
	perPoint := g.throttle.Budget.Per / time.Duration(g.throttle.Budget.Points)
	return max(time.Second, res.ResetAfter-time.Duration(res.Limit-1)*perPoint), true
}

// refuse answers a failed authentication: 401, or 429 once the client
// address has used up its failures.
func (g *authGate) refuse(w http.ResponseWriter, r *http.Request, reason string, err error) {
	if g.throttle != nil {
		res, terr := g.throttle.Limiter.Take(r.Context(), failureKey(g.addr(r)), g.throttle.Budget, 1)
		if terr == nil && !res.Allowed {
			g.throttled(w, res.RetryAfter)
			return
		}
	}
	g.failures.WithLabelValues(reason).Inc()
	w.Header().Set("WWW-Authenticate", `Bearer realm="creditgraph"`)
	writeError(w, http.StatusUnauthorized, apierr.New(apierr.Unauthenticated, "%s", err.Error()))
}

func (g *authGate) throttled(w http.ResponseWriter, wait time.Duration) {
	g.failures.WithLabelValues(authThrottled).Inc()
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, &apierr.Error{Code: apierr.Throttled,
		Message: "too many failed authentications from this address (at most " + strconv.Itoa(g.throttle.Budget.Points) +
			" per " + g.throttle.Budget.Per.String() + "); retry in " + strconv.Itoa(secs) + " s",
		Extra: map[string]any{"retryAfterSeconds": secs}})
}
