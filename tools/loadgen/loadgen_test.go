package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		name, host string
		ok         bool
	}{
		{"ipv4 loopback", "127.0.0.1", true},
		{"other 127/8", "127.0.0.2", true},
		{"ipv6 loopback", "::1", true},
		{"localhost", "localhost", true},
		{"localhost upper case", "LOCALHOST", true},
		{"private address", "10.0.0.1", false},
		{"public address", "8.8.8.8", false},
		{"any address", "0.0.0.0", false},
		{"a name", "example.com", false},
		{"a name under localhost", "localhost.example.com", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkLoopback(tt.host); (err == nil) != tt.ok {
				t.Errorf("checkLoopback(%q) = %v, want ok=%v", tt.host, err, tt.ok)
			}
		})
	}
}

func TestPlanRefuses(t *testing.T) {
	ok := options{url: "http://127.0.0.1:1/graphql", clients: 1, duration: time.Second, timeout: time.Second, varName: "uscc", uscc: "x"}
	tests := []struct {
		name   string
		change func(o *options)
		want   string
	}{
		{"remote url", func(o *options) { o.url = "http://192.0.2.1/graphql" }, "not loopback"},
		{"remote baseline", func(o *options) { o.baseURL = "http://example.com/graphql" }, "not loopback"},
		{"no url", func(o *options) { o.url = "" }, "-url is required"},
		{"too many clients", func(o *options) { o.clients = maxClients + 1 }, "-c must be"},
		{"unbounded duration", func(o *options) { o.duration = 0 }, "-d must be"},
		{"too long", func(o *options) { o.duration = maxDuration + time.Second }, "-d must be"},
		{"too many requests", func(o *options) { o.requests = maxRequests + 1 }, "-n must be"},
		{"no values", func(o *options) { o.uscc = "" }, "needs values"},
		{"same as baseline", func(o *options) { o.baseURL = o.url }, "nothing to compare"},
		{"bad scheme", func(o *options) { o.url = "ftp://127.0.0.1/" }, "scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.change(&o)
			_, err := o.plan()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("plan() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := ok.plan(); err != nil {
		t.Errorf("valid options: %v", err)
	}
}

func TestPercentile(t *testing.T) {
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = time.Duration(i+1) * time.Millisecond // 1..100 ms
	}
	tests := []struct {
		name string
		lat  []time.Duration
		p    float64
		want time.Duration
	}{
		{"p50 of 1..100", lat, 50, 50 * time.Millisecond},
		{"p90 of 1..100", lat, 90, 90 * time.Millisecond},
		{"p99 of 1..100", lat, 99, 99 * time.Millisecond},
		{"p100 is the max", lat, 100, 100 * time.Millisecond},
		{"p99 of one", lat[:1], 99, time.Millisecond},
		{"p50 of two is the lower", lat[:2], 50, time.Millisecond},
		{"empty", nil, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.lat, tt.p); got != tt.want {
				t.Errorf("percentile(p%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// TestInterleavedRun loads two local servers in one run and checks what
// each received: every USCC once per target, the header only where asked,
// and failures counted by kind.
func TestInterleavedRun(t *testing.T) {
	type seen struct {
		mu     sync.Mutex
		usccs  map[string]int
		auth   int
		orders []string
	}
	var order []string
	var orderMu sync.Mutex
	server := func(name string, s *seen, status int, body string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req struct {
				Query     string            `json:"query"`
				Variables map[string]string `json:"variables"`
			}
			raw, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(raw, &req); err != nil || !strings.Contains(req.Query, "enterprise(uscc: $uscc)") {
				t.Errorf("%s: bad request body %s", name, raw)
			}
			s.mu.Lock()
			s.usccs[req.Variables["uscc"]]++
			if r.Header.Get("Authorization") != "" {
				s.auth++
			}
			s.mu.Unlock()
			orderMu.Lock()
			order = append(order, name)
			orderMu.Unlock()
			w.WriteHeader(status)
			io.WriteString(w, body)
		}))
	}
	a, b := &seen{usccs: map[string]int{}}, &seen{usccs: map[string]int{}}
	srvA := server("A", a, http.StatusOK, `{"data":{"enterprise":{"name":"x"}}}`)
	defer srvA.Close()
	srvB := server("B", b, http.StatusOK, `{"errors":[{"message":"no"}],"data":null}`)
	defer srvB.Close()

	usccs := []string{"U1", "U2", "U3", "U4", "U5", "U6"}
	body, err := newBodySource(ProfileQuery, "uscc", usccs)
	if err != nil {
		t.Fatal(err)
	}
	ta, _ := newTarget("A", srvA.URL+"/graphql", "Bearer cg_test")
	tb, _ := newTarget("B", srvB.URL+"/graphql", "")
	p := &plan{targets: []target{ta, tb}, clients: 1, requests: 6, warmup: 0, duration: 10 * time.Second, timeout: 5 * time.Second, bodies: body, usccs: len(usccs)}
	rep, err := p.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*seen{a, b} {
		for _, u := range usccs {
			if s.usccs[u] != 1 {
				t.Errorf("USCC %s sent %d times, want once per target: %v", u, s.usccs[u], s.usccs)
			}
		}
	}
	if a.auth != 6 || b.auth != 0 {
		t.Errorf("Authorization sent %d times to A, %d to B; want 6 and 0", a.auth, b.auth)
	}
	if got := strings.Join(order, ""); got != "ABBAABBAABBA" {
		t.Errorf("order %s, want ABBA pairs", got)
	}
	ra, rb := rep.Targets[0], rep.Targets[1]
	if ra.Count != 6 || rb.Count != 6 || ra.GQLErrors != 0 || rb.GQLErrors != 6 {
		t.Errorf("A: %+v\nB: %+v", ra, rb)
	}
	if rep.Ratio == nil || !rep.failed() {
		t.Errorf("want a ratio and a failed run: %+v", rep)
	}
	var out bytes.Buffer
	rep.writeText(&out)
	if strings.Contains(out.String(), "cg_test") {
		t.Errorf("report shows the Authorization value:\n%s", out.String())
	}
}

// TestWarmupAndCount checks that warm-up requests are sent but not recorded
// and that non-200s are counted as such.
func TestWarmupAndCount(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	ta, _ := newTarget("A", srv.URL, "")
	body, _ := newBodySource("{ __typename }", "", nil)
	p := &plan{targets: []target{ta}, clients: 3, requests: 20, warmup: 5, duration: 10 * time.Second, timeout: 5 * time.Second, bodies: body}
	rep, err := p.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 25 || rep.Targets[0].Count != 20 || rep.Targets[0].Non200 != 20 {
		t.Errorf("server saw %d, report %+v; want 25 sent, 20 recorded, 20 non-200", n, rep.Targets[0])
	}
}

func TestBareHandler(t *testing.T) {
	body := []byte(`{"data":{"enterprise":{"name":"x"}}}`)
	srv := httptest.NewServer(bareHandler(body))
	defer srv.Close()
	res, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{x}"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(got, body) || hasGraphQLErrors(got) {
		t.Errorf("bare server: %d %s", res.StatusCode, got)
	}
}
