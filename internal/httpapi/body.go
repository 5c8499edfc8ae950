package httpapi

import (
	"io"
	"net/http"
	"time"

	"github.com/creditgraph/creditgraph/internal/apierr"
)

// A body over the limit is answered 413 while the client may still be
// sending it. Closing the connection then makes the client's TCP stack see
// a reset, and many clients report the reset instead of the 413. So the
// rest of the body is read and dropped, up to drainFactor × the limit and
// within drainTimeout, after the 413 has been flushed; a body declared
// larger than that is answered with Connection: close (it cannot be read to
// its end in reasonable time).
const (
	drainFactor  = 4
	drainTimeout = 5 * time.Second
)

// limitBody refuses bodies over max bytes with 413 PAYLOAD_TOO_LARGE: at
// once when Content-Length says so, or when a reader hits the limit (a
// chunked body). The path own sets its own, larger limit.
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
			tooLarge(w, r, r.Body, max, apierr.New(apierr.PayloadTooLarge,
				"the request body is %d bytes; the limit is %d bytes", r.ContentLength, max))
			return
		}
		body := &limitedBody{ReadCloser: r.Body, left: max, limit: max}
		r.Body = body
		next.ServeHTTP(w, r)
		if body.over {
			drain(w, body.ReadCloser, max) // the handler answered 413
		}
	})
}

// tooLarge answers 413 for a body declared over limit and drains it.
func tooLarge(w http.ResponseWriter, r *http.Request, body io.Reader, limit int64, e *apierr.Error) {
	if r.ContentLength > drainFactor*limit || r.Header.Get("Expect") == "100-continue" {
		// Too much to read; or the client waits for "100 Continue" before
		// sending, which it will not get: either way, nothing to drain.
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestEntityTooLarge, e)
		return
	}
	writeError(w, http.StatusRequestEntityTooLarge, e)
	drain(w, body, limit)
}

// drain flushes the answer already written, then reads and drops what is
// left of the body, within the bounds above.
func drain(w http.ResponseWriter, body io.Reader, limit int64) {
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	_ = rc.SetReadDeadline(time.Now().Add(drainTimeout))
	_, _ = io.CopyN(io.Discard, body, drainFactor*limit)
	_ = rc.SetReadDeadline(time.Time{})
}

// limitedBody reads at most limit bytes, then fails with
// *http.MaxBytesError, as http.MaxBytesReader does, but without marking
// the connection for closing: limitBody drains it instead.
type limitedBody struct {
	io.ReadCloser
	left, limit int64
	over        bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.over {
		return 0, &http.MaxBytesError{Limit: b.limit}
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		b.over = true
		return int(b.left), &http.MaxBytesError{Limit: b.limit}
	}
	b.left -= int64(n)
	return n, err
}
