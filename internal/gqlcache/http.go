package gqlcache

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
)

// What the StatusHeader says of an answer.
const (
	StatusHeader = "Creditgraph-Cache"
	StatusHit    = "HIT"    // served from the cache
	StatusMiss   = "MISS"   // computed (and stored if it could be)
	StatusBypass = "BYPASS" // not cacheable: computed for this caller only
)

// state is one request's caching outcome, set by Extension, written to the
// response's headers by HTTP.
type state struct {
	wantETag bool

	mu     sync.Mutex
	status string
	etag   string
}

type stateKey struct{}

func stateFrom(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}

func (s *state) set(status, etag string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.status, s.etag = status, etag
	s.mu.Unlock()
}

// HTTPOptions are the HTTP caching settings.
type HTTPOptions struct {
	// MaxAge is the max-age of a PUBLIC GET answer's Cache-Control; 0 asks
	// HTTP caches to revalidate every time (If-None-Match → 304), which keeps
	// them exactly as fresh as this cache. Never past the disclosure day.
	MaxAge time.Duration
	// Now is the clock of the disclosure day; nil means time.Now.
	Now func() time.Time
}

// HTTP reports each GraphQL answer's caching outcome in StatusHeader and
// makes PUBLIC GET answers cacheable by HTTP caches: a weak ETag over the
// answer's data, Cache-Control public with opts.MaxAge (bounded by the end
// of the disclosure day), and 304 Not Modified when If-None-Match matches.
// Every other answer is Cache-Control: no-store: an answer for a key must
// never sit in a shared cache.
func HTTP(opts HTTPOptions, next http.Handler) http.Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		public := auth.FromContext(r.Context()).Tier == credit.TierPublic
		st := &state{wantETag: r.Method == http.MethodGet && public}
		ctx := context.WithValue(r.Context(), stateKey{}, st)
		next.ServeHTTP(&cacheWriter{ResponseWriter: w, r: r, st: st, opts: opts}, r.WithContext(ctx))
	})
}

// Header values assigned without copying (full slices: a later Add copies).
var (
	noStore      = []string{"no-store"}[:1:1]
	statusValues = map[string][]string{
		StatusHit: {StatusHit}, StatusMiss: {StatusMiss}, StatusBypass: {StatusBypass},
	}
)

func statusValue(s string) []string {
	if v, ok := statusValues[s]; ok {
		return v[:1:1]
	}
	return []string{s}
}

type cacheWriter struct {
	http.ResponseWriter
	r           *http.Request
	st          *state
	opts        HTTPOptions
	started     bool
	notModified bool
}

func (w *cacheWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *cacheWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	if w.notModified {
		return len(b), nil // a 304 has no body
	}
	return w.ResponseWriter.Write(b)
}

func (w *cacheWriter) WriteHeader(code int) {
	if w.started {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.started = true
	w.st.mu.Lock()
	status, tag := w.st.status, w.st.etag
	w.st.mu.Unlock()
	h := w.Header()
	if status != "" {
		h[StatusHeader] = statusValue(status)
	}
	if code != http.StatusOK || tag == "" {
		h["Cache-Control"] = noStore
		w.ResponseWriter.WriteHeader(code)
		return
	}
	h.Set("ETag", tag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(w.maxAge())+", must-revalidate")
	if matches(w.r.Header.Get("If-None-Match"), tag) {
		w.notModified = true
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.ResponseWriter.WriteHeader(http.StatusNotModified)
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

// maxAge is opts.MaxAge in seconds, bounded by the end of the disclosure day.
func (w *cacheWriter) maxAge() int {
	now := w.opts.Now().UTC()
	left := credit.DateOf(now).Add(24 * time.Hour).Sub(now)
	return int(min(w.opts.MaxAge, left).Seconds())
}

// matches reports whether an If-None-Match header names tag (weak
// comparison, RFC 9110 §13.1.2).
func matches(header, tag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}
