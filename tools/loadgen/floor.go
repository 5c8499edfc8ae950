package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// A -floor run measures throughput and latency of -url against the HTTP
// floor: a bare net/http server answering the very bytes -url answered.
// Throughput cannot be compared request by request (two interleaved targets
// share their clients' time), so the two arms run in alternating phases of
// equal length, ABBA over consecutive rounds (A B, B A, A B, …), each phase
// with C clients loading one arm alone. Both arms then see the same drift of
// the machine's load, and every round gives a ratio of its own.
//
// Before measuring, loadgen sends each hot request to -url until it is
// answered with the -expect-cache status (a cache HIT by default) and keeps
// that answer, headers and body; the floor (spawned as a child process
// unless -baseline-url names one) is given exactly those answers, and is
// checked to return them byte for byte. During the phases every answer of
// either arm is checked: status, the cache header, and that its body starts
// with the kept answer's "data" (the rest is the per-request "extensions",
// which hold the caller's remaining budget).

// cacheHeader is the header in which Creditgraph says whether an answer came
// from its response cache.
const cacheHeader = "Creditgraph-Cache"

// Bounds of a -floor run.
const (
	maxHot    = 1000
	maxRounds = 1000
)

// floorPlan is a validated -floor run.
type floorPlan struct {
	arms         [2]target // [0] the measured -url, [1] the floor
	external     bool      // arms[1] was given (-baseline-url); else spawned
	clients      []int
	rounds       int
	phase        time.Duration
	phaseWarmup  time.Duration
	warmup       int
	timeout      time.Duration
	usccs        []string // the hot set, in draw order
	bodies       [][]byte
	expectCache  string
	floorFirst   bool
	seed         uint64
	watch        []watched
	metricsURL   string
	metricsMatch *regexp.Regexp
	metricsDeny  *regexp.Regexp // series that must not move
	log          io.Writer
	// spawn starts the floor serving rs; nil: spawnBare on this executable.
	spawn func(ctx context.Context, rs replies) (*bareProc, error)
}

func (o options) floorPlan(log io.Writer) (*floorPlan, error) {
	if o.url == "" {
		return nil, errors.New("-url is required")
	}
	for _, c := range o.clientList {
		if c < 1 || c > maxClients {
			return nil, fmt.Errorf("-c must be 1..%d, got %d", maxClients, c)
		}
	}
	switch {
	case len(o.clientList) == 0:
		return nil, errors.New("-c: no concurrency given")
	case o.rounds < 1 || o.rounds > maxRounds:
		return nil, fmt.Errorf("-rounds must be 1..%d, got %d", maxRounds, o.rounds)
	case o.phase <= 0 || o.phaseWarmup < 0:
		return nil, fmt.Errorf("-phase must be positive and -phase-warmup not negative")
	case o.warmup < 0 || o.warmup > maxRequests:
		return nil, fmt.Errorf("-warmup must be 0..%d, got %d", maxRequests, o.warmup)
	case o.timeout <= 0:
		return nil, fmt.Errorf("-timeout must be positive, got %s", o.timeout)
	case o.hot < 0:
		return nil, fmt.Errorf("-hot must not be negative")
	case o.baseAuth != "" || o.baseSet:
		return nil, errors.New("-floor compares -url with a bare server: -baseline and -baseline-auth do not apply")
	}
	total := time.Duration(len(o.clientList)*o.rounds*2) * (o.phase + o.phaseWarmup)
	if total > maxDuration {
		return nil, fmt.Errorf("-floor: %d concurrencies × %d rounds × 2 arms × (%s + %s) = %s, more than %s",
			len(o.clientList), o.rounds, o.phase, o.phaseWarmup, total, maxDuration)
	}
	p := &floorPlan{clients: o.clientList, rounds: o.rounds, phase: o.phase, phaseWarmup: o.phaseWarmup,
		warmup: o.warmup, timeout: o.timeout, expectCache: o.expectCache, floorFirst: o.floorFirst,
		seed: o.seed, watch: o.watch, metricsURL: o.metricsURL, log: log}
	var err error
	if p.arms[0], err = newTarget(o.name, o.url, o.auth); err != nil {
		return nil, err
	}
	p.arms[1] = target{Name: o.baseName}
	if o.baseURL != "" {
		if p.arms[1], err = newTarget(o.baseName, o.baseURL, ""); err != nil {
			return nil, err
		}
		p.external = true
	}
	if o.metricsURL != "" {
		if _, err := newTarget("metrics", o.metricsURL, ""); err != nil {
			return nil, fmt.Errorf("-metrics-url: %w", err)
		}
		if p.metricsMatch, err = regexp.Compile(o.metricsMatch); err != nil {
			return nil, fmt.Errorf("-metrics-match: %w", err)
		}
		if o.metricsDeny != "" {
			if p.metricsDeny, err = regexp.Compile(o.metricsDeny); err != nil {
				return nil, fmt.Errorf("-metrics-deny: %w", err)
			}
		}
	}
	query, err := o.queryText()
	if err != nil {
		return nil, err
	}
	var values []string
	switch {
	case o.varName == "":
	case o.usccFile != "":
		if values, err = readLines(o.usccFile); err != nil {
			return nil, err
		}
	case o.uscc != "":
		values = splitList(o.uscc)
	default:
		return nil, fmt.Errorf("-var %q needs values: give -uscc (a comma-separated hot set) or -uscc-file", o.varName)
	}
	values = slices.Compact(slices.Sorted(slices.Values(values))) // a hot set: each value once
	rand.New(rand.NewPCG(o.seed, o.seed^0x9e3779b97f4a7c15)).Shuffle(len(values), func(i, j int) {
		values[i], values[j] = values[j], values[i]
	})
	if o.hot > 0 && len(values) > o.hot {
		values = values[:o.hot]
	}
	if len(values) > maxHot {
		return nil, fmt.Errorf("-floor: %d values; a hot set is at most %d (use -hot N to take N of them)", len(values), maxHot)
	}
	src, err := newBodySource(query, o.varName, values)
	if err != nil {
		return nil, err
	}
	p.usccs = values
	if o.varName == "" {
		p.bodies = [][]byte{src.body(0)}
	}
	for i := range values {
		p.bodies = append(p.bodies, src.body(i))
	}
	return p, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// armOrder is the order of the arms in round r: ABBA over consecutive rounds.
func armOrder(r int, floorFirst bool) [2]int {
	a, b := 0, 1
	if floorFirst {
		a, b = 1, 0
	}
	if r%2 == 1 {
		a, b = b, a
	}
	return [2]int{a, b}
}

// bareProc is a floor loadgen started.
type bareProc struct {
	URL  string
	PID  int
	stop func() error
}

// spawnBare starts this executable as the floor, serving rs on a loopback
// port it is handed already listening, so it is ready as soon as it runs.
// It exits when stop closes its standard input, or when this process dies.
func spawnBare(exe string, env []string, rs replies, log io.Writer) (*bareProc, error) {
	dir, err := os.MkdirTemp("", "loadgen-floor-")
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*bareProc, error) { os.RemoveAll(dir); return nil, err }
	path := filepath.Join(dir, "replies.json")
	raw, err := json.Marshal(rs)
	if err != nil {
		return fail(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	defer ln.Close() // the child holds its own descriptor
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	cmd := exec.Command(exe, "-baseline-server", "fd:3", "-replies-file", path)
	cmd.ExtraFiles = []*os.File{f}
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fail(err)
	}
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	stop := func() error {
		defer os.RemoveAll(dir)
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			return errors.New("the floor did not stop within 10s: killed")
		}
	}
	return &bareProc{URL: "http://" + ln.Addr().String() + "/graphql", PID: cmd.Process.Pid, stop: stop}, nil
}

func newFloorClient(clients int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConns:        2 * clients,
			MaxIdleConnsPerHost: 2 * clients,
			IdleConnTimeout:     5 * time.Minute,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// post sends one request and returns the whole answer.
func post(ctx context.Context, hc *http.Client, t target, body []byte, timeout time.Duration) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if t.auth != "" {
		req.Header.Set("Authorization", t.auth)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, raw, err
}

// dataPrefix is the part of an answer every later answer to the same request
// must start with: up to its "extensions", which change with every request.
func dataPrefix(body []byte) []byte {
	if i := bytes.LastIndex(body, []byte(`,"extensions":`)); i > 0 {
		return body[:i]
	}
	return body
}

// capture asks -url each hot request until it answers with the expected
// cache status, and returns those answers.
func (p *floorPlan) capture(ctx context.Context, hc *http.Client) ([]reply, error) {
	const tries = 5
	out := make([]reply, len(p.bodies))
	for i, body := range p.bodies {
		var status string
		for try := 1; ; try++ {
			code, h, raw, err := post(ctx, hc, p.arms[0], body, p.timeout)
			if err != nil {
				return nil, fmt.Errorf("capturing the answer to %s: %w", p.label(i), err)
			}
			if code != http.StatusOK || hasGraphQLErrors(raw) {
				return nil, fmt.Errorf("capturing the answer to %s: HTTP %d: %.300s", p.label(i), code, raw)
			}
			status = h.Get(cacheHeader)
			if p.expectCache == "" || status == p.expectCache {
				hh := h.Clone()
				for _, k := range hopHeaders {
					hh.Del(k)
				}
				out[i] = reply{Header: hh, Body: raw}
				break
			}
			if try == tries {
				return nil, fmt.Errorf("%s answered %s: %q, not %q, %d times in a row: is its cache on (CACHE_TTL > 0) and warm? (-expect-cache '' measures without)",
					p.label(i), cacheHeader, status, p.expectCache, tries)
			}
		}
	}
	return out, nil
}

func (p *floorPlan) label(i int) string {
	if i < len(p.usccs) {
		return p.usccs[i]
	}
	return "the request"
}

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

// floorReport is the outcome of a -floor run.
type floorReport struct {
	Measured      target       `json:"measured"`
	Floor         target       `json:"floor"`
	FloorSpawned  bool         `json:"floorSpawned"`
	USCCs         []string     `json:"usccs"`
	ResponseBytes []int        `json:"responseBytes"`
	ExpectCache   string       `json:"expectCache"`
	Seed          uint64       `json:"seed"`
	Rounds        int          `json:"rounds"`
	Phase         float64      `json:"phaseSeconds"`
	PhaseWarmup   float64      `json:"phaseWarmupSeconds"`
	Warmup        int          `json:"warmupRequests"`
	FloorFirst    bool         `json:"floorFirst"`
	Watched       []watched    `json:"watched"`
	Blocks        []floorBlock `json:"blocks"`
}

// floorBlock is every round at one concurrency.
type floorBlock struct {
	Clients int           `json:"clients"`
	Arms    [2]armSummary `json:"arms"`
	// Ratios are measured / floor.
	ThroughputRatio float64       `json:"throughputRatio"`
	RoundRatios     []float64     `json:"roundThroughputRatios"`
	P50Ratio        float64       `json:"p50Ratio"`
	P99Ratio        float64       `json:"p99Ratio"`
	Phases          []*phaseOut   `json:"phases"`
	Metrics         []metricDelta `json:"metrics,omitempty"`
	// Denied are the Metrics matching -metrics-deny: the run failed.
	Denied []metricDelta `json:"denied,omitempty"`
}

type armSummary struct {
	Name       string         `json:"name"`
	Phases     int            `json:"phases"`
	Count      int            `json:"count"`
	Errors     int            `json:"errors"`
	Non200     int            `json:"non200"`
	BadBody    int            `json:"badBody"`
	Cache      map[string]int `json:"cacheHeader"`
	FirstError string         `json:"firstError,omitempty"`
	Throughput float64        `json:"throughputPerSecond"`
	Mean       float64        `json:"meanMs"`
	P50        float64        `json:"p50Ms"`
	P90        float64        `json:"p90Ms"`
	P99        float64        `json:"p99Ms"`
	Max        float64        `json:"maxMs"`
	// CPUPerRequest is each watched process's CPU time per recorded
	// request, in microseconds; BusyCores the machine's busy cores on
	// average, OtherCores the part no watched process accounts for.
	CPUPerRequest map[string]float64 `json:"cpuMicrosPerRequest,omitempty"`
	BusyCores     float64            `json:"machineBusyCores,omitempty"`
	OtherCores    float64            `json:"otherBusyCores,omitempty"`
}

func summarizeArm(name string, phases []*phaseOut) armSummary {
	var all phaseOut
	var cpu cpuDelta
	var window float64
	n := 0
	for _, ph := range phases {
		if ph.Arm != name {
			continue
		}
		n++
		all.add(ph)
		cpu.add(ph.CPU)
		window += ph.Window
	}
	s := armSummary{Name: name, Phases: n, Count: all.Count, Errors: all.Errors, Non200: all.Non200,
		BadBody: all.BadBody, Cache: all.Cache, FirstError: all.firstErr}
	if all.Count == 0 {
		return s
	}
	lat := all.lat
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	s.Mean = ms(sum / time.Duration(len(lat)))
	s.P50, s.P90, s.P99, s.Max = ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 99)), ms(lat[len(lat)-1])
	s.Throughput = float64(all.Count) / window
	if len(cpu.Proc) > 0 {
		s.CPUPerRequest = map[string]float64{}
		var watchedSum float64
		for k, v := range cpu.Proc {
			s.CPUPerRequest[k] = v / float64(all.Count) * 1e6
			watchedSum += v
		}
		if cpu.Wall > 0 && cpu.Machine > 0 {
			s.BusyCores = cpu.Machine / cpu.Wall
			s.OtherCores = max(0, cpu.Machine-watchedSum) / cpu.Wall
		}
	}
	return s
}

func (r *floorReport) failed() bool {
	for _, b := range r.Blocks {
		if len(b.Denied) > 0 {
			return true
		}
		for i, a := range b.Arms {
			if a.Errors+a.Non200+a.BadBody > 0 || a.Count == 0 {
				return true
			}
			if i == 0 && r.ExpectCache != "" && a.Cache[r.ExpectCache] != a.Count {
				return true
			}
		}
	}
	return false
}

// run measures the plan. The floor is stopped before it returns.
func (p *floorPlan) run(ctx context.Context) (_ *floorReport, err error) {
	maxC := slices.Max(p.clients)
	hcs := [2]*http.Client{newFloorClient(maxC), newFloorClient(maxC)}
	defer hcs[0].CloseIdleConnections()
	defer hcs[1].CloseIdleConnections()

	answers, err := p.capture(ctx, hcs[0])
	if err != nil {
		return nil, err
	}
	rep := &floorReport{Measured: p.arms[0], USCCs: p.usccs, ExpectCache: p.expectCache, Seed: p.seed,
		Rounds: p.rounds, Phase: p.phase.Seconds(), PhaseWarmup: p.phaseWarmup.Seconds(), Warmup: p.warmup,
		FloorFirst: p.floorFirst}
	wants := make([][]byte, len(answers))
	var rs replies
	for i, a := range answers {
		wants[i] = dataPrefix(a.Body)
		rep.ResponseBytes = append(rep.ResponseBytes, len(a.Body))
		rs.ByRequest = append(rs.ByRequest, requestReply{Request: p.bodies[i], Reply: a})
	}
	ws := append([]watched{{Name: "loadgen", PID: os.Getpid()}}, p.watch...)
	if !p.external {
		spawn := p.spawn
		if spawn == nil {
			spawn = func(_ context.Context, rs replies) (*bareProc, error) {
				exe, err := os.Executable()
				if err != nil {
					return nil, err
				}
				return spawnBare(exe, nil, rs, p.log)
			}
		}
		bp, err := spawn(ctx, rs)
		if err != nil {
			return nil, fmt.Errorf("starting the floor: %w", err)
		}
		defer func() {
			if serr := bp.stop(); serr != nil && err == nil {
				err = fmt.Errorf("stopping the floor: %w", serr)
			}
		}()
		p.arms[1].URL = bp.URL
		rep.FloorSpawned = true
		if bp.PID > 0 {
			ws = append(ws, watched{Name: p.arms[1].Name, PID: bp.PID})
		}
	}
	rep.Floor, rep.Watched = p.arms[1], ws
	// The floor must answer what -url answered, byte for byte.
	for i, a := range answers {
		code, _, raw, err := post(ctx, hcs[1], p.arms[1], p.bodies[i], p.timeout)
		if err != nil {
			return nil, fmt.Errorf("the floor: %w", err)
		}
		if code != http.StatusOK || !bytes.Equal(raw, a.Body) {
			return nil, fmt.Errorf("the floor answered %s with HTTP %d and %d bytes, not the %d bytes %s answered",
				p.label(i), code, len(raw), len(a.Body), p.arms[0].Name)
		}
	}
	if p.warmup > 0 {
		for arm := range p.arms {
			p.warm(ctx, arm, maxC, p.warmup, hcs[arm])
		}
	}
	var seq atomic.Int64
	for _, c := range p.clients {
		before, _ := p.scrape(ctx, hcs[0])
		b := floorBlock{Clients: c}
		for r := range p.rounds {
			for _, arm := range armOrder(r, p.floorFirst) {
				ph, err := p.runPhase(ctx, arm, c, r, hcs[arm], wants, &seq, ws)
				if err != nil {
					return nil, err
				}
				b.Phases = append(b.Phases, ph)
			}
			a, f := b.Phases[len(b.Phases)-2], b.Phases[len(b.Phases)-1]
			if a.Arm != p.arms[0].Name {
				a, f = f, a
			}
			b.RoundRatios = append(b.RoundRatios, div(a.Throughput, f.Throughput))
		}
		if after, err := p.scrape(ctx, hcs[0]); err == nil && before != nil {
			b.Metrics = metricDeltas(before, after)
			for _, m := range b.Metrics {
				if p.metricsDeny != nil && p.metricsDeny.MatchString(m.Series) {
					b.Denied = append(b.Denied, m)
				}
			}
		}
		for i := range p.arms {
			b.Arms[i] = summarizeArm(p.arms[i].Name, b.Phases)
		}
		b.ThroughputRatio = div(b.Arms[0].Throughput, b.Arms[1].Throughput)
		b.P50Ratio = div(b.Arms[0].P50, b.Arms[1].P50)
		b.P99Ratio = div(b.Arms[0].P99, b.Arms[1].P99)
		rep.Blocks = append(rep.Blocks, b)
	}
	return rep, nil
}

func div(x, y float64) float64 {
	if y == 0 {
		return 0
	}
	return x / y
}

// metricDelta is how much one series of -url's /metrics moved during a block.
type metricDelta struct {
	Series string  `json:"series"`
	Delta  float64 `json:"delta"`
}

// scrape reads -metrics-url's series matching -metrics-match; nil, nil
// without -metrics-url.
func (p *floorPlan) scrape(ctx context.Context, hc *http.Client) (map[string]float64, error) {
	if p.metricsURL == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.metricsURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Fprintln(p.log, "loadgen: -metrics-url:", err)
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("-metrics-url: HTTP %d", resp.StatusCode)
	}
	return parseMetrics(resp.Body, p.metricsMatch)
}

// parseMetrics reads the Prometheus text format's samples whose series
// (name and labels) matches re.
func parseMetrics(r io.Reader, re *regexp.Regexp) (map[string]float64, error) {
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		series, val := line[:i], line[i+1:]
		if j := strings.LastIndexByte(series, ' '); j > 0 && !strings.Contains(series[j:], "}") {
			series, val = series[:j], series[j+1:] // "series value timestamp"
		}
		if re != nil && !re.MatchString(series) {
			continue
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			continue
		}
		out[series] = v
	}
	return out, sc.Err()
}

// metricDeltas are the series that moved, sorted.
func metricDeltas(before, after map[string]float64) []metricDelta {
	var out []metricDelta
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out = append(out, metricDelta{Series: k, Delta: d})
		}
	}
	slices.SortFunc(out, func(a, b metricDelta) int { return strings.Compare(a.Series, b.Series) })
	return out
}

func (r *floorReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *floorReport) writeText(w io.Writer) {
	first := r.Measured.Name
	if r.FloorFirst {
		first = r.Floor.Name
	}
	how := "given"
	if r.FloorSpawned {
		how = "spawned"
	}
	fmt.Fprintf(w, "floor run: %s = %s (Authorization header: %v); %s = %s (%s, same bytes and headers)\n",
		r.Measured.Name, r.Measured.URL, r.Measured.Auth, r.Floor.Name, r.Floor.URL, how)
	fmt.Fprintf(w, "hot set: %d values %v, response bytes %v; seed=%d rounds=%d phase=%gs (+%gs unrecorded) warmup=%d first=%s expect %s=%q\n",
		len(r.USCCs), r.USCCs, r.ResponseBytes, r.Seed, r.Rounds, r.Phase, r.PhaseWarmup, r.Warmup, first, cacheHeader, r.ExpectCache)
	for _, b := range r.Blocks {
		fmt.Fprintf(w, "\nc=%d\n", b.Clients)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "arm\tcount\terrors\tnon200\tbadbody\tnon-"+orAny(r.ExpectCache)+"\treq/s\tmean ms\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
		for i, a := range b.Arms {
			notExpected := "-"
			if r.ExpectCache != "" && i == 0 {
				notExpected = strconv.Itoa(a.Count - a.Cache[r.ExpectCache])
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", a.Name, a.Count, a.Errors,
				a.Non200, a.BadBody, notExpected, a.Throughput, a.Mean, a.P50, a.P90, a.P99, a.Max)
		}
		fmt.Fprintf(tw, "%s/%s\t\t\t\t\t\t%.3fx\t\t%.2fx\t\t%.2fx\t\t\n", b.Arms[0].Name, b.Arms[1].Name, b.ThroughputRatio, b.P50Ratio, b.P99Ratio)
		tw.Flush()
		rr := make([]string, len(b.RoundRatios))
		for i, x := range b.RoundRatios {
			rr[i] = fmt.Sprintf("%.3f", x)
		}
		sorted := slices.Sorted(slices.Values(b.RoundRatios))
		fmt.Fprintf(w, "req/s ratio by round: %s (min %.3f, median %.3f, max %.3f)\n", strings.Join(rr, " "),
			sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1])
		for _, a := range b.Arms {
			fmt.Fprintf(w, "%s %s: %s\n", a.Name, cacheHeader, cacheCounts(a.Cache))
			if a.FirstError != "" {
				fmt.Fprintf(w, "%s first failure: %s\n", a.Name, a.FirstError)
			}
		}
		if b.Arms[0].CPUPerRequest != nil {
			names := []string{}
			for _, wd := range r.Watched {
				names = append(names, wd.Name)
			}
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintf(tw, "CPU µs/request, during\t%s\tbusy cores\tof which other\t\n", strings.Join(names, "\t"))
			for _, a := range b.Arms {
				fmt.Fprintf(tw, "%s phases", a.Name)
				for _, n := range names {
					fmt.Fprintf(tw, "\t%.1f", a.CPUPerRequest[n])
				}
				fmt.Fprintf(tw, "\t%.2f\t%.2f\t\n", a.BusyCores, a.OtherCores)
			}
			tw.Flush()
		}
		for _, m := range b.Metrics {
			fmt.Fprintf(w, "metrics: %s +%g\n", m.Series, m.Delta)
		}
		for _, m := range b.Denied {
			fmt.Fprintf(w, "FAILED: %s moved (+%g) and matches -metrics-deny\n", m.Series, m.Delta)
		}
	}
	fmt.Fprintln(w, "\nreq/s: requests ending in the recorded windows / the windows' length (phases alternate, one arm at a time)")
}

func orAny(s string) string {
	if s == "" {
		return "(unchecked)"
	}
	return s
}

func cacheCounts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "(absent)"
		}
		parts[i] = fmt.Sprintf("%s=%d", name, m[k])
	}
	return strings.Join(parts, " ")
}
