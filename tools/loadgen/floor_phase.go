package main

// The phases of a -floor run: each loads one arm for a while and records
// what every answer was.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// floorResult is one request's outcome in a phase.
type floorResult struct {
	end    time.Time
	lat    time.Duration
	status int
	err    error
	cache  string
	same   bool // the body starts with the kept answer's data
}

func (p *floorPlan) send(ctx context.Context, hc *http.Client, t target, body, want []byte, buf *bytes.Buffer) floorResult {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return floorResult{end: time.Now(), err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if t.auth != "" {
		req.Header.Set("Authorization", t.auth)
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		end := time.Now()
		return floorResult{end: end, lat: end.Sub(start), err: err}
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	end := time.Now()
	return floorResult{end: end, lat: end.Sub(start), status: resp.StatusCode, err: err,
		cache: resp.Header.Get(cacheHeader), same: bytes.HasPrefix(buf.Bytes(), want)}
}

// phaseOut is one phase: one arm loaded alone by C clients.
type phaseOut struct {
	Arm        string         `json:"arm"`
	Clients    int            `json:"clients"`
	Round      int            `json:"round"`
	Count      int            `json:"count"`
	Errors     int            `json:"errors"`
	Non200     int            `json:"non200"`
	BadBody    int            `json:"badBody"`
	Cache      map[string]int `json:"cacheHeader"`
	Window     float64        `json:"windowSeconds"`
	Throughput float64        `json:"throughputPerSecond"`
	CPU        cpuDelta       `json:"cpu"`
	firstErr   string
	lat        []time.Duration
}

func (o *phaseOut) record(r floorResult) {
	o.Count++
	o.lat = append(o.lat, r.lat)
	if o.Cache == nil {
		o.Cache = map[string]int{}
	}
	o.Cache[r.cache]++
	switch {
	case r.err != nil:
		o.Errors++
		o.fail(r.err.Error())
	case r.status != http.StatusOK:
		o.Non200++
		o.fail(fmt.Sprintf("HTTP %d", r.status))
	case !r.same:
		o.BadBody++
		o.fail("an answer whose data differs from the captured one (or has errors)")
	}
}

func (o *phaseOut) fail(s string) {
	if o.firstErr == "" {
		o.firstErr = s
	}
}

func (o *phaseOut) add(x *phaseOut) {
	o.Count += x.Count
	o.Errors += x.Errors
	o.Non200 += x.Non200
	o.BadBody += x.BadBody
	o.lat = append(o.lat, x.lat...)
	for k, v := range x.Cache {
		if o.Cache == nil {
			o.Cache = map[string]int{}
		}
		o.Cache[k] += v
	}
	o.fail(x.firstErr)
}

// runPhase loads one arm with c clients for phaseWarmup (not recorded) and
// then phase. A request is recorded if it ends inside the recorded window;
// throughput is the requests recorded over the window's length. Clients
// start no request after the window and finish the one in flight (cutting
// it would close its connection).
func (p *floorPlan) runPhase(ctx context.Context, arm, c, round int, hc *http.Client, wants [][]byte, seq *atomic.Int64, ws []watched) (*phaseOut, error) {
	t := p.arms[arm]
	from := time.Now().Add(p.phaseWarmup)
	end := from.Add(p.phase)
	snaps := make(chan cpuSnapshot, 2)
	go func() {
		for _, at := range []time.Time{from, end} {
			select {
			case <-time.After(time.Until(at)):
				snaps <- snapshot(ws)
			case <-ctx.Done():
				return
			}
		}
	}()
	per := make([]phaseOut, c)
	var wg sync.WaitGroup
	for k := range c {
		wg.Go(func() {
			o := &per[k]
			var buf bytes.Buffer
			for ctx.Err() == nil && time.Now().Before(end) {
				i := int((seq.Add(1) - 1) % int64(len(p.bodies)))
				r := p.send(ctx, hc, t, p.bodies[i], wants[i], &buf)
				if !r.end.Before(from) && r.end.Before(end) {
					o.record(r)
				}
			}
		})
	}
	wg.Wait()
	out := &phaseOut{Arm: t.Name, Clients: c, Round: round, Window: p.phase.Seconds(), Cache: map[string]int{}}
	for k := range per {
		out.add(&per[k])
	}
	var s [2]cpuSnapshot
	for i := range s {
		select {
		case s[i] = <-snaps:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out.CPU = s[0].to(s[1])
	out.Throughput = float64(out.Count) / out.Window
	return out, nil
}

// warm sends n requests to an arm with c clients, recording nothing.
func (p *floorPlan) warm(ctx context.Context, arm, c, n int, hc *http.Client) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			var buf bytes.Buffer
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				p.send(ctx, hc, p.arms[arm], p.bodies[int(i)%len(p.bodies)], nil, &buf)
			}
		})
	}
	wg.Wait()
}
