package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// sample is one target's raw results from one client.
type sample struct {
	lat                     []time.Duration
	errs, non200, gqlErrors int
	bytes                   int64
	firstErr                string
	first, last             time.Time // first recorded start, last recorded end
}

func (s *sample) add(o *sample) {
	s.lat = append(s.lat, o.lat...)
	s.errs += o.errs
	s.non200 += o.non200
	s.gqlErrors += o.gqlErrors
	s.bytes += o.bytes
	if s.firstErr == "" {
		s.firstErr = o.firstErr
	}
	if !o.first.IsZero() && (s.first.IsZero() || o.first.Before(s.first)) {
		s.first = o.first
	}
	if o.last.After(s.last) {
		s.last = o.last
	}
}

// result is one request's outcome.
type result struct {
	lat      time.Duration
	start    time.Time
	status   int
	bytes    int
	err      error
	gqlError bool
}

func (s *sample) record(r result) {
	s.lat = append(s.lat, r.lat)
	s.bytes += int64(r.bytes)
	if s.first.IsZero() || r.start.Before(s.first) {
		s.first = r.start
	}
	if end := r.start.Add(r.lat); end.After(s.last) {
		s.last = end
	}
	switch {
	case r.err != nil:
		s.errs++
		if s.firstErr == "" {
			s.firstErr = r.err.Error()
		}
	case r.status != http.StatusOK:
		s.non200++
		if s.firstErr == "" {
			s.firstErr = fmt.Sprintf("HTTP %d", r.status)
		}
	case r.gqlError:
		s.gqlErrors++
		if s.firstErr == "" {
			s.firstErr = "GraphQL errors in a 200 response"
		}
	}
}

// run sends the plan's requests and returns the report. With two targets
// every client sends each request body to both, in the order A,B for even
// sequence numbers and B,A for odd ones, so neither target is always the
// one that runs on a cache the other has just warmed.
func (p *plan) run(ctx context.Context) (*report, error) {
	ctx, cancel := context.WithTimeout(ctx, p.duration)
	defer cancel()
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:               nil, // never route loopback traffic through a proxy from the environment
			MaxIdleConns:        2 * p.clients * len(p.targets),
			MaxIdleConnsPerHost: 2 * p.clients,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
		// A redirect could point anywhere; loadgen only talks to its targets.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()

	var seq atomic.Int64
	limit := int64(-1)
	if p.requests > 0 {
		limit = int64(p.warmup + p.requests)
	}
	perClient := make([][]sample, p.clients)
	var wg sync.WaitGroup
	started := time.Now()
	for c := range p.clients {
		perClient[c] = make([]sample, len(p.targets))
		wg.Go(func() {
			p.client(ctx, client, &seq, limit, perClient[c])
		})
	}
	wg.Wait()
	elapsed := time.Since(started)

	rep := &report{Clients: p.clients, Warmup: p.warmup, USCCs: p.usccs, Seed: p.seed, Elapsed: elapsed.Seconds()}
	for t, tg := range p.targets {
		var s sample
		for c := range perClient {
			s.add(&perClient[c][t])
		}
		rep.Targets = append(rep.Targets, summarize(tg, &s))
	}
	if len(rep.Targets) == 2 {
		rep.Ratio = ratio(rep.Targets[0], rep.Targets[1])
	}
	if rep.Targets[0].Count == 0 {
		return rep, errors.New("no request completed within -d")
	}
	return rep, nil
}

// client is one concurrent client: it draws sequence numbers until the
// count or the deadline is reached.
func (p *plan) client(ctx context.Context, hc *http.Client, seq *atomic.Int64, limit int64, out []sample) {
	res := make([]result, len(p.targets))
	for ctx.Err() == nil {
		i := seq.Add(1) - 1
		if limit >= 0 && i >= limit {
			return
		}
		body := p.bodies.body(int(i))
		for k := range p.targets {
			t := k
			if i%2 == 1 && len(p.targets) == 2 {
				t = 1 - k
			}
			res[t] = p.send(ctx, hc, p.targets[t], body)
		}
		// A request cut short by the end of the run measures nothing.
		if ctx.Err() != nil || i < int64(p.warmup) {
			continue
		}
		for t := range res {
			out[t].record(res[t])
		}
	}
}

// send POSTs one body and times it to the last byte of the response.
func (p *plan) send(ctx context.Context, hc *http.Client, t target, body []byte) result {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: err, start: time.Now()}
	}
	req.Header.Set("Content-Type", "application/json")
	if t.auth != "" {
		req.Header.Set("Authorization", t.auth)
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return result{err: err, start: start, lat: time.Since(start)}
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := result{start: start, lat: time.Since(start), status: resp.StatusCode, bytes: len(raw), err: err}
	if err == nil && resp.StatusCode == http.StatusOK {
		r.gqlError = hasGraphQLErrors(raw)
	}
	return r
}

// hasGraphQLErrors reports whether a response body carries GraphQL errors
// (or is not a JSON object at all).
func hasGraphQLErrors(raw []byte) bool {
	var v struct {
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return true
	}
	return len(v.Errors) > 0
}
