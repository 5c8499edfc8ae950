package gqlcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/maypok86/otter/v2"

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
	routes *otter.Cache[string, route] // reads take no lock: every hit reads it
	today  atomic.Pointer[formattedDay]
}

// route is how a request fingerprint was answered.
type route struct {
	id          string // cache entry (cache.Key.ID)
	requested   int    // points charged before execution
	nodes       int
	contentType []string // the answer's Content-Type header, shared: never modified
}

// NewFastPath returns a FastPath on c remembering up to size requests.
func NewFastPath(c *cache.Cache, clock func() time.Time, size int) *FastPath {
	return &FastPath{cache: c, clock: clock,
		routes: otter.Must(&otter.Options[string, route]{MaximumSize: max(size, 1)})}
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
		if rt, found := f.routes.GetIfPresent(fp); found && f.serve(ctx, w, rt) {
			return
		}
		rec := &recorder{}
		cw := &contentTypeWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r.WithContext(context.WithValue(ctx, recorderKey{}, rec)))
		rec.mu.Lock()
		rt := rec.r
		rec.mu.Unlock()
		if rt.id != "" && cw.status == http.StatusOK && cw.contentType != "" {
			rt.contentType = []string{cw.contentType}[:1:1] // a later Add copies it
			f.routes.Set(fp, rt)
		}
	})
}

// maxRawFingerprint is the longest fingerprint kept as the request's own
// bytes; longer ones are kept as their SHA-256, so that remembering
// QueryCacheSize requests costs a bounded amount of memory.
const maxRawFingerprint = 4 << 10

// fingerprint identifies a request by everything its answer depends on,
// leaving r's body readable again. Only plain GraphQL GETs and JSON POSTs
// have one. It is the length-prefixed fields themselves (exact: two
// different requests never share one), hashed only when long.
func (f *FastPath) fingerprint(r *http.Request) (string, bool) {
	var payload []byte
	switch r.Method {
	case http.MethodGet:
		if r.URL.RawQuery == "" {
			return "", false
		}
	case http.MethodPost:
		if !isJSON(r.Header.Get("Content-Type")) || r.Header.Get("Upgrade") != "" || r.Body == nil {
			return "", false
		}
		var err error
		if payload, err = readBody(r); err != nil {
			return "", false // the ordinary path reports the error
		}
	default:
		return "", false
	}
	tier := auth.FromContext(r.Context()).Tier.String()
	accept := r.Header.Get("Accept")
	day := f.day()
	b := make([]byte, 0, len(payload)+len(r.URL.RawQuery)+len(accept)+len(tier)+len(day)+len(r.Method)+40)
	field := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	if r.Method == http.MethodGet {
		field(r.URL.RawQuery)
	} else {
		b = strconv.AppendInt(b, int64(len(payload)), 10)
		b = append(b, ':')
		b = append(b, payload...)
	}
	field(r.Method)
	field(accept)
	field(tier)
	field(day)
	if len(b) > maxRawFingerprint {
		sum := sha256.Sum256(b)
		return "sha256:" + hex.EncodeToString(sum[:]), true
	}
	// b is never written again: the string shares it, without a copy.
	return unsafe.String(unsafe.SliceData(b), len(b)), true
}

// isJSON reports whether a Content-Type is application/json.
func isJSON(ct string) bool {
	if ct == "application/json" { // the common case, without ParseMediaType's map
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

// day is the disclosure day, formatted once per day.
func (f *FastPath) day() string {
	d := credit.DateOf(f.clock())
	if c := f.today.Load(); c != nil && c.date.Equal(d) {
		return c.text
	}
	c := &formattedDay{date: d, text: d.Format(time.DateOnly)}
	f.today.Store(c)
	return c.text
}

type formattedDay struct {
	date time.Time
	text string
}

// readBody reads r's body whole and puts back a reader of the same bytes
// (and of the read's error, if any).
func readBody(r *http.Request) ([]byte, error) {
	var body []byte
	var err error
	if n := r.ContentLength; n > 0 && n <= maxRawFingerprint {
		body = make([]byte, 0, n+1) // +1: room to see EOF without growing
		for err == nil && len(body) < cap(body) {
			var k int
			k, err = r.Body.Read(body[len(body):cap(body)])
			body = body[:len(body)+k]
		}
		if err == io.EOF {
			err = nil
		} else if err == nil {
			var rest []byte
			rest, err = io.ReadAll(r.Body)
			body = append(body, rest...)
		}
	} else {
		body, err = io.ReadAll(r.Body)
	}
	if err != nil {
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
	} else {
		r.Body = &replayBody{Reader: bytes.NewReader(body)}
	}
	return body, err
}

// replayBody is a body already read, read again.
type replayBody struct{ *bytes.Reader }

func (*replayBody) Close() error { return nil }

// serve answers from the cache entry rt names, or reports false having
// written nothing.
//
// The charge and the lookup do not depend on each other and run at once,
// each a Redis round trip. A charge made for a request that then misses
// stands: the ordinary path uses it rather than charging again.
func (f *FastPath) serve(ctx context.Context, w http.ResponseWriter, rt route) bool {
	st := meter.From(ctx)
	data, ok := f.cache.HotID(rt.id)
	if ok { // no Redis round trip to overlap the charge with
		if st != nil && !st.Charge(ctx, rt.requested, rt.nodes) {
			return false // the ordinary path answers THROTTLED
		}
	} else {
		var charged chan bool
		if st != nil {
			charged = make(chan bool, 1)
			go func() { charged <- st.Charge(ctx, rt.requested, rt.nodes) }()
		}
		data, ok = f.cache.GetID(ctx, rt.id)
		if st != nil && !<-charged {
			return false // the ordinary path answers THROTTLED
		}
		if !ok {
			return false
		}
	}
	s := stateFrom(ctx)
	s.set(StatusHit, etag(data, s))
	// The bytes gqlgen writes for graphql.Response{Data, Extensions}: data
	// is stored as json.Marshal would emit it (see Extension), and so is
	// the cost (meter.State.AppendSettled).
	buf := make([]byte, 0, len(data)+256)
	buf = append(buf, `{"data":`...)
	buf = append(buf, data...)
	if st != nil {
		buf = append(buf, `,"extensions":{"cost":`...)
		buf = st.AppendSettled(ctx, buf, data)
		buf = append(buf, '}')
	}
	buf = append(buf, '}')
	w.Header()["Content-Type"] = rt.contentType
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
