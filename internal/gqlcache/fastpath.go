package gqlcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/lru"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/meter"
)

// FastPath answers a request that this replica has seen before, byte for
// byte, from the response cache without handing it to gqlgen: no JSON
// decoding, parsing, validation, pricing or re-encoding. It only knows
// requests whose answer the ordinary path (Extension) found shareable: the
// ordinary path records, per request fingerprint — tier, day, method,
// Accept, and the exact body or query string — which cache entry answered
// it and what it costs. A repeat is then charged that cost (meter), served
// if its entry is still valid, and otherwise passed on, unchanged, to the
// ordinary path. A refused charge is passed on too, so THROTTLED and every
// other error comes from one place.
//
// It sits inside meter.Middleware and HTTP (it sets the budget headers and
// the cache status the same way) and outside the dataloaders, which a hit
// never needs.
type FastPath struct {
	cache  *cache.Cache
	clock  func() time.Time
	routes *lru.LRU[route]
}

// route is how a request fingerprint was answered.
type route struct {
	id          string // cache entry (cache.Key.ID)
	requested   int    // points charged before execution
	nodes       int
	contentType string
}

// NewFastPath returns a FastPath on c remembering up to size requests.
func NewFastPath(c *cache.Cache, clock func() time.Time, size int) *FastPath {
	return &FastPath{cache: c, clock: clock, routes: lru.New[route](max(size, 1))}
}

// recorder is where Extension leaves the route of the request it answered.
type recorder struct {
	mu sync.Mutex
	r  route
}

type recorderKey struct{}

func (r *recorder) set(rt route) {
	r.mu.Lock()
	r.r = rt
	r.mu.Unlock()
}

// record tells the request's FastPath, if any, how it was answered.
func record(ctx context.Context, rt route) {
	if r, _ := ctx.Value(recorderKey{}).(*recorder); r != nil {
		r.set(rt)
	}
}

// Wrap returns next behind the fast path.
func (f *FastPath) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fp, ok := f.fingerprint(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if rt, found := f.routes.Get(ctx, fp); found && f.serve(ctx, w, rt) {
			return
		}
		rec := &recorder{}
		cw := &contentTypeWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r.WithContext(context.WithValue(ctx, recorderKey{}, rec)))
		rec.mu.Lock()
		rt := rec.r
		rec.mu.Unlock()
		if rt.id != "" && cw.status == http.StatusOK && cw.contentType != "" {
			rt.contentType = cw.contentType
			f.routes.Add(ctx, fp, rt)
		}
	})
}

// fingerprint identifies a request by everything its answer depends on,
// leaving r's body readable again. Only plain GraphQL GETs and JSON POSTs
// have one.
func (f *FastPath) fingerprint(r *http.Request) (string, bool) {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	switch r.Method {
	case http.MethodGet:
		if r.URL.RawQuery == "" {
			return "", false
		}
		field(r.URL.RawQuery)
	case http.MethodPost:
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" || r.Header.Get("Upgrade") != "" || r.Body == nil {
			return "", false
		}
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		if err != nil {
			return "", false // the ordinary path reports the error
		}
		field(string(body))
	default:
		return "", false
	}
	field(r.Method)
	field(r.Header.Get("Accept"))
	field(auth.FromContext(r.Context()).Tier.String())
	field(credit.DateOf(f.clock()).Format(time.DateOnly))
	return hex.EncodeToString(h.Sum(nil)), true
}

// serve answers from the cache entry rt names, or reports false having
// written nothing.
//
// The charge and the lookup do not depend on each other and run at once,
// each a Redis round trip. A charge made for a request that then misses
// stands: the ordinary path uses it rather than charging again.
func (f *FastPath) serve(ctx context.Context, w http.ResponseWriter, rt route) bool {
	st := meter.From(ctx)
	var charged chan bool
	if st != nil {
		charged = make(chan bool, 1)
		go func() { charged <- st.Charge(ctx, rt.requested, rt.nodes) }()
	}
	data, ok := f.cache.GetID(ctx, rt.id)
	if st != nil && !<-charged {
		return false // the ordinary path answers THROTTLED
	}
	if !ok {
		return false
	}
	var ext []byte
	if st != nil {
		var err error
		if ext, err = json.Marshal(map[string]any{"cost": st.Settle(ctx, data)}); err != nil {
			return false
		}
	}
	s := stateFrom(ctx)
	s.set(StatusHit, etag(data, s))
	// The bytes gqlgen writes for graphql.Response{Data, Extensions}: data
	// is stored as json.Marshal would emit it (see Extension).
	buf := make([]byte, 0, len(data)+len(ext)+24)
	buf = append(buf, `{"data":`...)
	buf = append(buf, data...)
	if ext != nil {
		buf = append(buf, `,"extensions":`...)
		buf = append(buf, ext...)
	}
	buf = append(buf, '}')
	w.Header().Set("Content-Type", rt.contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf)
	return true
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

// contentTypeWriter notes the status and Content-Type of the ordinary
// path's answer, which a fast-path repeat must reproduce.
type contentTypeWriter struct {
	http.ResponseWriter
	status      int
	contentType string
}

func (w *contentTypeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *contentTypeWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.contentType = w.Header().Get("Content-Type")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *contentTypeWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
