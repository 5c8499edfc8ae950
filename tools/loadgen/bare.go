package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultBareBody is what the bare server answers without -body-file: a
// GraphQL-shaped response with no work behind it.
const defaultBareBody = `{"data":{"enterprise":null}}`

// reply is one canned answer of the bare server: the headers and body a
// real server sent (Date and Content-Length are net/http's own).
type reply struct {
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body"`
}

// replies are the bare server's canned answers: one per request body, and
// Default for any other request (nil Default: 404, so a request the floor
// was not given an answer for shows up as a failure, never as a fast one).
type replies struct {
	Default   *reply         `json:"default,omitempty"`
	ByRequest []requestReply `json:"byRequest,omitempty"`
}

type requestReply struct {
	Request []byte `json:"request"`
	Reply   reply  `json:"reply"`
}

// serveBare runs the HTTP floor: a bare net/http server that reads each
// request body and answers 200 with a canned JSON body, so a run against it
// measures the client, the loopback and net/http alone. Give it a captured
// real response (-body-file), or the captured answer to every request body
// (-replies-file, what -floor writes), to move the same bytes.
//
// addr "fd:N" serves on the listening socket inherited as file descriptor N
// and stops when standard input reaches EOF: that is how -floor runs it, so
// the floor dies with the loadgen that started it.
func serveBare(ctx context.Context, addr, bodyFile, repliesFile string, log io.Writer) error {
	rs := replies{Default: &reply{Body: []byte(defaultBareBody)}}
	switch {
	case bodyFile != "" && repliesFile != "":
		return errors.New("-body-file and -replies-file exclude each other")
	case bodyFile != "":
		body, err := os.ReadFile(bodyFile)
		if err != nil {
			return err
		}
		rs.Default.Body = body
	case repliesFile != "":
		raw, err := os.ReadFile(repliesFile)
		if err != nil {
			return err
		}
		rs = replies{}
		if err := json.Unmarshal(raw, &rs); err != nil {
			return fmt.Errorf("%s: %w", repliesFile, err)
		}
	}
	ln, err := bareListener(addr)
	if err != nil {
		return err
	}
	if strings.HasPrefix(addr, "fd:") {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() { // the parent closes our stdin when it is done, or dies
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel()
		}()
	}
	srv := &http.Server{
		Handler:           newBareHandler(rs),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	what := fmt.Sprintf("%d canned answers", len(rs.ByRequest))
	if rs.Default != nil && len(rs.ByRequest) == 0 {
		what = fmt.Sprintf("%d bytes", len(rs.Default.Body))
	}
	fmt.Fprintf(log, "loadgen: bare baseline server on http://%s/ answering %s (pid %d); Ctrl-C to stop\n", ln.Addr(), what, os.Getpid())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// bareListener listens on a loopback address, or takes over an inherited
// listening socket ("fd:N").
func bareListener(addr string) (net.Listener, error) {
	if n, ok := strings.CutPrefix(addr, "fd:"); ok {
		fd, err := strconv.Atoi(n)
		if err != nil || fd < 3 {
			return nil, fmt.Errorf("-baseline-server %q: want fd:N with N ≥ 3", addr)
		}
		f := os.NewFile(uintptr(fd), "listener")
		defer f.Close()
		ln, err := net.FileListener(f)
		if err != nil {
			return nil, fmt.Errorf("-baseline-server %q: %w", addr, err)
		}
		host, _, _ := net.SplitHostPort(ln.Addr().String())
		if err := checkLoopback(host); err != nil {
			ln.Close()
			return nil, fmt.Errorf("-baseline-server: %w", err)
		}
		return ln, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-baseline-server %q: %w", addr, err)
	}
	if err := checkLoopback(host); err != nil {
		return nil, fmt.Errorf("-baseline-server: %w", err)
	}
	return net.Listen("tcp", addr)
}

func bareHandler(body []byte) http.Handler {
	return newBareHandler(replies{Default: &reply{Body: body}})
}

// newBareHandler answers each request with its canned reply, doing as
// little as net/http allows: read the body into a pooled buffer, one map
// lookup, copy the headers, write the bytes.
func newBareHandler(rs replies) http.Handler {
	type prepared struct {
		header http.Header
		body   []byte
	}
	prep := func(r reply) prepared {
		h := http.Header{}
		for k, v := range r.Header {
			h[http.CanonicalHeaderKey(k)] = v
		}
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/json")
		}
		for _, k := range hopHeaders {
			h.Del(k)
		}
		h.Set("Content-Length", strconv.Itoa(len(r.Body)))
		return prepared{header: h, body: r.Body}
	}
	var def *prepared
	if rs.Default != nil {
		p := prep(*rs.Default)
		def = &p
	}
	byReq := make(map[string]prepared, len(rs.ByRequest))
	for _, rr := range rs.ByRequest {
		byReq[string(rr.Request)] = prep(rr.Reply)
	}
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := pool.Get().(*bytes.Buffer)
		buf.Reset()
		_, _ = buf.ReadFrom(io.LimitReader(r.Body, 1<<20))
		p, ok := byReq[string(buf.Bytes())] // no allocation: the compiler looks up without copying
		pool.Put(buf)
		if !ok {
			if def == nil {
				http.Error(w, "loadgen bare server: no canned answer for this request body", http.StatusNotFound)
				return
			}
			p = *def
		}
		h := w.Header()
		for k, v := range p.header {
			h[k] = v // shared, never modified
		}
		_, _ = w.Write(p.body)
	})
}

// hopHeaders are the response headers a replay must not copy: net/http
// writes its own.
var hopHeaders = []string{"Date", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding"}
