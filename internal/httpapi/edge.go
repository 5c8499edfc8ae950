package httpapi

import (
	"net/http"
	"slices"
	"time"

	"github.com/rs/cors"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
)

// CORSOptions say which web pages may call the API from a browser.
type CORSOptions struct {
	// AllowedOrigins are origins ("https://app.example.com", or
	// "https://*.example.com"); "*" or none means every origin. Credentials
	// (cookies) are never allowed: the API authenticates by its own header.
	AllowedOrigins []string
	// MaxAge is how long a browser may reuse a preflight answer; 0 → 2 h
	// (Chromium's ceiling).
	MaxAge time.Duration
}

// exposedHeaders are the answer headers a page on another origin may read:
// the budget, the cache's verdict, entity tags, when to retry, and what an
// export holds.
var exposedHeaders = []string{
	"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
	"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset", "X-RateLimit-Resource",
	"Retry-After", "ETag", gqlcache.StatusHeader, "WWW-Authenticate",
	"Content-Disposition", "X-Export-As-Of", "X-Export-Tier", "X-Export-Points-Charged", "X-Export-Records",
	"X-Export-Points", "X-Feed-Cursor",
}

// withCORS answers preflight requests and adds the CORS headers to every
// answer (rs/cors; its header values are computed once, so an actual
// request costs no allocation).
func withCORS(o CORSOptions, next http.Handler) http.Handler {
	origins := o.AllowedOrigins
	if len(origins) == 0 || slices.Contains(origins, "*") {
		origins = []string{"*"}
	}
	maxAge := o.MaxAge
	if maxAge <= 0 {
		maxAge = 2 * time.Hour
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "If-None-Match"},
		ExposedHeaders:   exposedHeaders,
		MaxAge:           int(maxAge.Seconds()),
		AllowCredentials: false,
	}).Handler(next)
}

// header is one precomputed header value: assigning it to a Header map
// allocates nothing, and a later Add copies it (its capacity is its length).
func header(v string) []string { return []string{v}[:1:1] }

// Security headers of every answer. The explorer's page replaces the CSP
// with its own (nonce, self-hosted scripts), which also forbids framing.
var securityHeaders = []struct {
	name  string
	value []string
}{
	{"X-Content-Type-Options", header("nosniff")},
	{"Referrer-Policy", header("no-referrer")},
	{"X-Frame-Options", header("DENY")},
	{"Content-Security-Policy", header("default-src 'none'; frame-ancestors 'none'")},
	{"Cross-Origin-Resource-Policy", header("cross-origin")},
}

// varyGraphQL names the request headers a GraphQL answer depends on: the
// media type negotiated from Accept, the tier from Authorization, and the
// CORS headers from Origin (rs/cors set Vary: Origin before; this replaces
// it whole rather than appending, which would allocate).
var varyGraphQL = header("Origin, Accept, Authorization")

// secure sets the security headers on every answer.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, s := range securityHeaders {
			h[s.name] = s.value
		}
		next.ServeHTTP(w, r)
	})
}

// graphQLVary sets /graphql's Vary.
func graphQLVary(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Vary"] = varyGraphQL
		next.ServeHTTP(w, r)
	})
}

// notFound answers a path the API does not have.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, apierr.New(apierr.NotFound, "no such path: the API is GET or POST /graphql"))
}

// only allows the methods of a route; others get 405 with Allow.
func only(allow string, methods []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(methods, r.Method) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, apierr.New(apierr.MethodNotAllowed,
				"method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allow))
			return
		}
		next.ServeHTTP(w, r)
	})
}
