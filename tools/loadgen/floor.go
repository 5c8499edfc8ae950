package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
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
