package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// defaultBareBody is what the bare server answers without -body-file: a
// GraphQL-shaped response with no work behind it.
const defaultBareBody = `{"data":{"enterprise":null}}`

// serveBare runs the HTTP floor: a bare net/http server that reads and
// discards each request body and answers 200 with a fixed JSON body, so
// a run against it measures the client, the loopback and net/http alone.
// Give it a captured real response (-body-file) to move the same bytes.
func serveBare(ctx context.Context, addr, bodyFile string, log io.Writer) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-baseline-server %q: %w", addr, err)
	}
	if err := checkLoopback(host); err != nil {
		return fmt.Errorf("-baseline-server: %w", err)
	}
	body := []byte(defaultBareBody)
	if bodyFile != "" {
		if body, err = os.ReadFile(bodyFile); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           bareHandler(body),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(log, "loadgen: bare baseline server on http://%s/ answering %d bytes; Ctrl-C to stop\n", ln.Addr(), len(body))
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

func bareHandler(body []byte) http.Handler {
	size := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", size)
		_, _ = w.Write(body)
	})
}
