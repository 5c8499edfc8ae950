package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// streamGuard bounds a test stream that never delivers what the test
// waits for: a failure, not a timing assertion.
const streamGuard = 60 * time.Second

// sseEvent is one server-sent event of a graphql-sse stream.
type sseEvent struct {
	event string // "next" or "complete"
	data  []byte
}

// openStream posts q as a subscription over server-sent events and returns
// its events as they come; cancel ends the stream.
func (h *harness) openStream(t testing.TB, q string, vars map[string]any, headers ...string) (events <-chan sseEvent, status int, cancel func()) {
	t.Helper()
	ctx, stop := context.WithTimeout(context.Background(), streamGuard)
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		stop()
		t.Fatalf("open stream: %v", err)
	}
	out := make(chan sseEvent)
	go func() {
		defer close(out)
		defer res.Body.Close()
		readEvents(ctx, res.Body, out)
	}()
	return out, res.StatusCode, stop
}

// readEvents parses server-sent events (comments are heartbeats).
func readEvents(ctx context.Context, r interface{ Read([]byte) (int, error) }, out chan<- sseEvent) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.event != "" || ev.data != nil {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event:"):
			ev.event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			ev.data = append(ev.data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")...)
		}
	}
}

// nextEvents reads n `next` events of a stream; fewer when it completes.
func nextEvents(t *testing.T, events <-chan sseEvent, n int) [][]byte {
	t.Helper()
	var out [][]byte
	for len(out) < n {
		ev, ok := <-events
		if !ok {
			t.Errorf("the stream ended after %d of %d events", len(out), n)
			return out
		}
		switch ev.event {
		case "next":
			out = append(out, ev.data)
		case "complete":
			t.Errorf("the stream completed after %d of %d events", len(out), n)
			return out
		}
	}
	return out
}

// feedCount is how many changes the caller's feed holds after `after`,
// paging through the query.
func (h *harness) feedCount(t *testing.T, after string, headers ...string) (n int, end string) {
	t.Helper()
	cur := after
	for {
		var out struct {
			Changes struct {
				Edges    []struct{ Cursor string }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		vars := map[string]any{}
		if cur != "" {
			vars["after"] = cur
		}
		h.query(t, `query($after: String) { changes(first: 100, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }`,
			vars, headers...).data(t, &out)
		n += len(out.Changes.Edges)
		cur = out.Changes.PageInfo.EndCursor
		if !out.Changes.PageInfo.HasNextPage {
			return n, cur
		}
	}
}

// runStream runs a subscription probe over server-sent events: it reads as
// many events as the caller's feed holds (the replay), checks each for
// canaries and errors, and closes the stream.
func (r *leakRun) runStream(t *testing.T, p *leakProbe) {
	t.Helper()
	n, _ := r.h.feedCount(t, "", r.caller.headers...)
	if n == 0 {
		t.Errorf("%s: the feed is empty: the subscription probe would read nothing", r.caller.name)
		return
	}
	events, status, cancel := r.h.openStream(t, p.query, nil, r.caller.headers...)
	defer cancel()
	if status != http.StatusOK {
		t.Errorf("%s %s: status %d", r.caller.name, p.label(), status)
		return
	}
	for _, data := range nextEvents(t, events, n) {
		r.check(t, p.label(), p.query, data, nil)
		var res struct {
			Errors []json.RawMessage
			Data   map[string]any
		}
		if err := json.Unmarshal(data, &res); err != nil || len(res.Errors) > 0 {
			t.Errorf("%s %s: event %s (%v)", r.caller.name, p.label(), leakClip(data), err)
		}
	}
}
