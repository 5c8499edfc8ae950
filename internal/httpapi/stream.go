package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Change subscriptions are served over server-sent events, by gqlgen's
// transport.SSE (the graphql-sse protocol's distinct connections mode: a
// POST with Accept: text/event-stream; `next` events, then `complete`).
// A stream lives past REQUEST_TIMEOUT and the server's write timeout; it
// ends when the client goes, when the server shuts down (feedstream.Hub's
// Close), or on a read error, after which the client resumes with the last
// cursor it received.

// isStream reports whether r asks for a subscription stream.
func isStream(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/graphql" &&
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// sseTransport is transport.SSE behind the edge's middlewares: it lifts the
// connection's deadlines and gives SSE a writer it can flush through the
// middlewares' wrappers (they unwrap, they do not flush).
type sseTransport struct{ transport.SSE }

func (t sseTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // not every writer supports it: then the server's timeouts stand
	_ = rc.SetReadDeadline(time.Time{})
	t.SSE.Do(flushWriter{w, rc}, r, exec)
}

type flushWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (f flushWriter) Flush()                      { _ = f.rc.Flush() }
func (f flushWriter) Unwrap() http.ResponseWriter { return f.ResponseWriter }
