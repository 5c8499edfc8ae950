package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// options are the flags of a load run.
type options struct {
	url, auth, name             string
	baseURL, baseAuth, baseName string
	baseSet                     bool
	clients, requests, warmup   int
	duration, timeout           time.Duration
	query, queryFile, varName   string
	usccFile, uscc              string
	seed                        uint64
	json                        bool

	// -floor
	clientList               []int
	floor, floorFirst        bool
	rounds, hot              int
	phase, phaseWarmup       time.Duration
	expectCache              string
	watch                    []watched
	metricsURL, metricsMatch string
	metricsDeny              string
}

// target is one endpoint with the header it is sent.
type target struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	Auth bool   `json:"auth"` // whether an Authorization header is sent; never its value
	auth string
}

// plan is a validated run: what to send, where, how much and for how long.
type plan struct {
	targets  []target // one, or two interleaved: [0] is measured, [1] its baseline
	clients  int
	requests int // per target; 0 = until deadline
	warmup   int
	duration time.Duration
	timeout  time.Duration
	bodies   bodySource
	seed     uint64
	usccs    int
}

func (o options) plan() (*plan, error) {
	if o.url == "" {
		return nil, errors.New("-url is required (or -baseline-server to serve the floor)")
	}
	switch {
	case o.clients < 1 || o.clients > maxClients:
		return nil, fmt.Errorf("-c must be 1..%d, got %d", maxClients, o.clients)
	case o.requests < 0 || o.requests > maxRequests:
		return nil, fmt.Errorf("-n must be 0..%d, got %d", maxRequests, o.requests)
	case o.duration <= 0 || o.duration > maxDuration:
		return nil, fmt.Errorf("-d must be in (0, %s], got %s", maxDuration, o.duration)
	case o.warmup < 0 || o.warmup > maxRequests:
		return nil, fmt.Errorf("-warmup must be 0..%d, got %d", maxRequests, o.warmup)
	case o.timeout <= 0:
		return nil, fmt.Errorf("-timeout must be positive, got %s", o.timeout)
	}
	p := &plan{clients: o.clients, requests: o.requests, warmup: o.warmup, duration: o.duration, timeout: o.timeout, seed: o.seed}
	a, err := newTarget(o.name, o.url, o.auth)
	if err != nil {
		return nil, err
	}
	p.targets = []target{a}
	if o.baseURL != "" || o.baseAuth != "" || o.baseSet {
		u := o.baseURL
		if u == "" {
			u = o.url
		}
		b, err := newTarget(o.baseName, u, o.baseAuth)
		if err != nil {
			return nil, err
		}
		if b == a {
			return nil, errors.New("the baseline is the same URL with the same header as -url: nothing to compare")
		}
		p.targets = append(p.targets, b)
	}
	query, err := o.queryText()
	if err != nil {
		return nil, err
	}
	var usccs []string
	switch {
	case o.varName == "":
	case o.usccFile != "":
		if usccs, err = readLines(o.usccFile); err != nil {
			return nil, err
		}
		rand.New(rand.NewPCG(o.seed, o.seed^0x9e3779b97f4a7c15)).Shuffle(len(usccs), func(i, j int) {
			usccs[i], usccs[j] = usccs[j], usccs[i]
		})
	case o.uscc != "":
		usccs = splitList(o.uscc)
	default:
		return nil, fmt.Errorf("-var %q needs values: give -uscc-file or -uscc (or -var '' for none)", o.varName)
	}
	p.usccs = len(usccs)
	p.bodies, err = newBodySource(query, o.varName, usccs)
	return p, err
}

func newTarget(name, raw, auth string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, fmt.Errorf("%s: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return target{}, fmt.Errorf("%s: scheme must be http or https", raw)
	}
	if err := checkLoopback(u.Hostname()); err != nil {
		return target{}, fmt.Errorf("%s: %w", raw, err)
	}
	return target{Name: name, URL: u.String(), Auth: auth != "", auth: auth}, nil
}

// checkLoopback accepts only "localhost" and loopback IP literals. Names are
// not resolved: a name that happens to resolve to 127.0.0.1 today may not
// tomorrow.
func checkLoopback(host string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("host %q is not loopback: loadgen only loads servers on this machine (127.0.0.1, ::1, localhost)", host)
}

// readLines reads non-blank, trimmed lines.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no values", path)
	}
	return out, nil
}

// bodySource makes request bodies: the query marshalled once, a variable
// value spliced in per request.
type bodySource struct {
	fixed          []byte // no variable
	prefix, suffix []byte
	values         [][]byte // JSON-quoted values, in draw order
}

func newBodySource(query, varName string, values []string) (bodySource, error) {
	q, err := json.Marshal(query)
	if err != nil {
		return bodySource{}, err
	}
	if varName == "" {
		return bodySource{fixed: []byte(`{"query":` + string(q) + `}`)}, nil
	}
	n, _ := json.Marshal(varName)
	s := bodySource{
		prefix: []byte(`{"query":` + string(q) + `,"variables":{` + string(n) + `:`),
		suffix: []byte(`}}`),
	}
	for _, v := range values {
		b, _ := json.Marshal(v)
		s.values = append(s.values, b)
	}
	return s, nil
}

// body returns the i-th request body (values wrap around).
func (s bodySource) body(i int) []byte {
	if s.fixed != nil {
		return s.fixed
	}
	v := s.values[i%len(s.values)]
	b := make([]byte, 0, len(s.prefix)+len(v)+len(s.suffix))
	return append(append(append(b, s.prefix...), v...), s.suffix...)
}

// queryText is -query, or the contents of -query-file when given.
func (o options) queryText() (string, error) {
	if o.queryFile == "" {
		return o.query, nil
	}
	raw, err := os.ReadFile(o.queryFile)
	return string(raw), err
}
