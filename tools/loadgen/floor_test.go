package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain lets a test start this test binary as loadgen itself (the floor
// -floor spawns), with LOADGEN_TEST_AS_MAIN=1.
func TestMain(m *testing.M) {
	if os.Getenv("LOADGEN_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeGateway answers the profile of the USCC in the request: MISS the first
// time a body is seen, HIT after (unless missEvery says otherwise), with
// extensions that change on every request as Creditgraph's budget does.
type fakeGateway struct {
	mu        sync.Mutex
	seen      map[string]int
	n         int
	missEvery int  // > 0: every missEvery-th repeat is a MISS
	noCache   bool // never a cache header
	drift     bool // answers after the tenth carry other data
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	uscc := regexp.MustCompile(`"uscc":"([^"]*)"`).FindSubmatch(raw)
	g.mu.Lock()
	g.n++
	n, seen := g.n, g.seen[string(raw)]
	g.seen[string(raw)]++
	g.mu.Unlock()
	status := "HIT"
	if seen == 0 || g.missEvery > 0 && seen%g.missEvery == 0 {
		status = "MISS"
	}
	if !g.noCache {
		w.Header().Set(cacheHeader, status)
	}
	w.Header().Set("X-Ratelimit-Remaining", fmt.Sprint(1000-n))
	w.Header().Set("Content-Type", "application/json")
	name := "x"
	if g.drift && n > 10 {
		name = "y"
	}
	fmt.Fprintf(w, `{"data":{"enterprise":{"uscc":%q,"name":%q}},"extensions":{"cost":{"currentlyAvailable":%d}}}`, uscc[1], name, 1000-n)
}

func testFloorPlan(t *testing.T, g *fakeGateway, change func(o *options)) *floorPlan {
	t.Helper()
	g.seen = map[string]int{}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	o := options{url: srv.URL + "/graphql", name: "gateway", baseName: "bare", clientList: []int{1, 3},
		rounds: 2, phase: 150 * time.Millisecond, phaseWarmup: 30 * time.Millisecond, warmup: 10,
		timeout: 5 * time.Second, query: ProfileQuery, varName: "uscc", uscc: "U1, U2,U3,U2", seed: 3,
		expectCache: "HIT"}
	if change != nil {
		change(&o)
	}
	p, err := o.floorPlan(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	p.spawn = func(_ context.Context, rs replies) (*bareProc, error) {
		bare := httptest.NewServer(newBareHandler(rs))
		return &bareProc{URL: bare.URL + "/graphql", stop: func() error { bare.Close(); return nil }}, nil
	}
	return p
}

func TestFloorRun(t *testing.T) {
	g := &fakeGateway{}
	p := testFloorPlan(t, g, nil)
	rep, err := p.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.failed() {
		t.Fatalf("a clean run failed: %+v", rep.Blocks)
	}
	if got := slices.Sorted(slices.Values(rep.USCCs)); !slices.Equal(got, []string{"U1", "U2", "U3"}) {
		t.Errorf("hot set %v, want U1..U3 once each", rep.USCCs)
	}
	if len(rep.Blocks) != 2 || rep.Blocks[0].Clients != 1 || rep.Blocks[1].Clients != 3 {
		t.Fatalf("blocks: %+v", rep.Blocks)
	}
	for _, b := range rep.Blocks {
		var order []string
		for _, ph := range b.Phases {
			order = append(order, ph.Arm)
		}
		if want := []string{"gateway", "bare", "bare", "gateway"}; !slices.Equal(order, want) {
			t.Errorf("c=%d: phase order %v, want %v (ABBA)", b.Clients, order, want)
		}
		gw, bare := b.Arms[0], b.Arms[1]
		if gw.Count == 0 || bare.Count == 0 || gw.Cache["HIT"] != gw.Count || gw.BadBody+bare.BadBody != 0 {
			t.Errorf("c=%d: gateway %+v\nbare %+v", b.Clients, gw, bare)
		}
		if len(b.RoundRatios) != 2 || b.ThroughputRatio <= 0 || b.P50Ratio <= 0 {
			t.Errorf("c=%d: ratios %v %v %v", b.Clients, b.RoundRatios, b.ThroughputRatio, b.P50Ratio)
		}
		if want := float64(gw.Count) / (2 * 0.15); gw.Throughput != want {
			t.Errorf("c=%d: throughput %v, want count/windows = %v", b.Clients, gw.Throughput, want)
		}
		if gw.CPUPerRequest == nil {
			if _, err := os.Stat("/proc/self/stat"); err == nil {
				t.Errorf("c=%d: no CPU figures although /proc is there", b.Clients)
			}
		}
	}
	var out bytes.Buffer
	rep.writeText(&out)
	for _, want := range []string{"gateway/bare", "non-HIT", "req/s ratio by round", "gateway Creditgraph-Cache: HIT="} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if err := rep.writeJSON(io.Discard); err != nil {
		t.Error(err)
	}
}

// TestFloorCountsWhatIsNotAHit: answers that are not the expected cache
// status, or whose data changed, are counted and fail the run.
func TestFloorCountsWhatIsNotAHit(t *testing.T) {
	t.Run("misses", func(t *testing.T) {
		p := testFloorPlan(t, &fakeGateway{missEvery: 4}, func(o *options) { o.clientList = []int{2} })
		rep, err := p.run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		gw := rep.Blocks[0].Arms[0]
		if gw.Cache["MISS"] == 0 || gw.Cache["HIT"]+gw.Cache["MISS"] != gw.Count || !rep.failed() {
			t.Errorf("want MISSes counted and a failed run: %+v", gw)
		}
	})
	t.Run("other data", func(t *testing.T) {
		p := testFloorPlan(t, &fakeGateway{drift: true}, func(o *options) { o.clientList = []int{1}; o.warmup = 0 })
		rep, err := p.run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if gw := rep.Blocks[0].Arms[0]; gw.BadBody == 0 || !rep.failed() || gw.FirstError == "" {
			t.Errorf("want answers with other data counted: %+v", gw)
		}
	})
	t.Run("never a hit", func(t *testing.T) {
		p := testFloorPlan(t, &fakeGateway{noCache: true}, nil)
		if _, err := p.run(context.Background()); err == nil || !strings.Contains(err.Error(), "CACHE_TTL") {
			t.Errorf("run = %v, want an error about the cache being off", err)
		}
	})
	t.Run("cache off, not checked", func(t *testing.T) {
		p := testFloorPlan(t, &fakeGateway{noCache: true}, func(o *options) { o.expectCache = ""; o.clientList = []int{1} })
		rep, err := p.run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if gw := rep.Blocks[0].Arms[0]; rep.failed() || gw.Cache[""] != gw.Count {
			t.Errorf("want a clean run with no cache header counted: %+v", gw)
		}
	})
}

func TestFloorMetricsDeny(t *testing.T) {
	var lookups atomic.Int64
	g := &fakeGateway{}
	mux := http.NewServeMux()
	mux.Handle("/graphql", g)
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		n := lookups.Add(7)
		fmt.Fprintf(w, "# HELP x\ncreditgraph_cache_lookups_total{result=\"hit\",source=\"redis\"} %d\n", n)
		fmt.Fprintf(w, "creditgraph_cache_lookups_total{result=\"hit\",source=\"local\"} %d\nother_total 5\n", n/7-1)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := testFloorPlan(t, g, func(o *options) {
		o.clientList = []int{1}
		o.rounds = 1
		o.metricsURL = srv.URL + "/metrics"
		o.metricsMatch = `^creditgraph_`
		o.metricsDeny = `^creditgraph_cache_lookups_total\{.*source="local"`
	})
	g.seen = map[string]int{}
	p.arms[0].URL = srv.URL + "/graphql"
	rep, err := p.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := rep.Blocks[0]
	want := []metricDelta{
		{`creditgraph_cache_lookups_total{result="hit",source="local"}`, 1},
		{`creditgraph_cache_lookups_total{result="hit",source="redis"}`, 7},
	}
	if !slices.Equal(b.Metrics, want) || len(b.Denied) != 1 || !rep.failed() {
		t.Errorf("metrics %v denied %v failed %v", b.Metrics, b.Denied, rep.failed())
	}
}

// TestSpawnBare starts this binary as the floor, as -floor does, and checks
// that it answers each request with its own bytes and headers, refuses
// requests it has no answer for, and stops.
func TestSpawnBare(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rs := replies{ByRequest: []requestReply{
		{Request: []byte(`{"q":1}`), Reply: reply{Header: http.Header{"X-Test": {"one"}, "Date": {"never"}}, Body: []byte(`{"data":1}`)}},
		{Request: []byte(`{"q":2}`), Reply: reply{Body: []byte(`{"data":"two"}`)}},
	}}
	var log bytes.Buffer
	bp, err := spawnBare(exe, []string{"LOADGEN_TEST_AS_MAIN=1"}, rs, &lockedBuffer{b: &log})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = bp.stop()
		}
	}()
	for _, rr := range rs.ByRequest {
		res, err := http.Post(bp.URL, "application/json", bytes.NewReader(rr.Request))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(got, rr.Reply.Body) || res.Header.Get("X-Test") != rr.Reply.Header.Get("X-Test") ||
			len(res.Header.Values("Date")) != 1 || res.Header.Get("Date") == "never" {
			t.Errorf("%s: %d %s %v", rr.Request, res.StatusCode, got, res.Header)
		}
	}
	res, err := http.Post(bp.URL, "application/json", strings.NewReader(`{"q":3}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown request: %d, want 404", res.StatusCode)
	}
	stopped = true
	if err := bp.stop(); err != nil {
		t.Errorf("stop: %v (log: %s)", err, log.String())
	}
	if _, err := http.Post(bp.URL, "application/json", strings.NewReader(`{"q":1}`)); err == nil {
		t.Error("the floor still answers after stop")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func TestFloorPlanRefuses(t *testing.T) {
	ok := options{url: "http://127.0.0.1:1/graphql", clientList: []int{1, 16}, rounds: 2, phase: time.Second,
		timeout: time.Second, varName: "uscc", uscc: "A,B", expectCache: "HIT"}
	many := make([]string, maxHot+1)
	for i := range many {
		many[i] = fmt.Sprint("U", i)
	}
	tests := []struct {
		name   string
		change func(o *options)
		want   string
	}{
		{"remote url", func(o *options) { o.url = "http://192.0.2.1/graphql" }, "not loopback"},
		{"remote floor", func(o *options) { o.baseURL = "http://example.com/" }, "not loopback"},
		{"remote metrics", func(o *options) { o.metricsURL = "http://10.0.0.1/metrics" }, "not loopback"},
		{"too many clients", func(o *options) { o.clientList = []int{1, maxClients + 1} }, "-c must be"},
		{"no rounds", func(o *options) { o.rounds = 0 }, "-rounds"},
		{"too long", func(o *options) { o.phase = maxDuration }, "more than"},
		{"a baseline header", func(o *options) { o.baseAuth = "Bearer x" }, "do not apply"},
		{"not a hot set", func(o *options) { o.uscc = strings.Join(many, ",") }, "-hot"},
		{"no values", func(o *options) { o.uscc = "" }, "needs values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.change(&o)
			_, err := o.floorPlan(io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("floorPlan() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	o := ok
	o.uscc = strings.Join(many, ",")
	o.hot = 10
	p, err := o.floorPlan(io.Discard)
	if err != nil || len(p.usccs) != 10 || len(p.bodies) != 10 {
		t.Errorf("-hot 10: %v", err)
	}
}

func TestArmOrder(t *testing.T) {
	var got []int
	for r := range 4 {
		a := armOrder(r, false)
		got = append(got, a[0], a[1])
	}
	if want := []int{0, 1, 1, 0, 0, 1, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if a := armOrder(0, true); a != [2]int{1, 0} {
		t.Errorf("floor first: %v", a)
	}
}

func TestParseProcStat(t *testing.T) {
	line := []byte("4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 8 0 123 0 0\n")
	if d, err := parseProcStat(line); err != nil || d != 2*time.Second {
		t.Errorf("parseProcStat = %v, %v; want 2s (200 ticks)", d, err)
	}
	if _, err := parseProcStat([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("short line accepted")
	}
	// user nice system idle iowait irq softirq steal guest guest_nice
	stat := []byte("cpu  100 0 50 1000 20 5 5 10 0 0\ncpu0 50 0 25 500 10 2 2 5 0 0\n")
	if d, err := parseMachineStat(stat); err != nil || d != 1700*time.Millisecond {
		t.Errorf("parseMachineStat = %v, %v; want 1.7s (170 busy ticks)", d, err)
	}
	if d, err := procCPU(os.Getpid()); err == nil && d <= 0 {
		t.Errorf("procCPU(self) = %v", d)
	}
	if w, err := parseWatch("redis=12"); err != nil || w != (watched{"redis", 12}) {
		t.Errorf("parseWatch = %v, %v", w, err)
	}
	for _, bad := range []string{"redis", "=12", "redis=x", "redis=-1"} {
		if _, err := parseWatch(bad); err == nil {
			t.Errorf("parseWatch(%q) accepted", bad)
		}
	}
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP creditgraph_cache_lookups_total x
# TYPE creditgraph_cache_lookups_total counter
creditgraph_cache_lookups_total{result="hit",source="redis"} 12
creditgraph_cache_lookups_total{result="hit",source="local"} 3 1700000000000
creditgraph_ratelimit_decisions_total{outcome="allowed",source="redis"} 1e+06
go_goroutines 9
`
	m, err := parseMetrics(strings.NewReader(text), regexp.MustCompile(`^creditgraph_`))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 3 || m[`creditgraph_cache_lookups_total{result="hit",source="local"}`] != 3 ||
		m[`creditgraph_ratelimit_decisions_total{outcome="allowed",source="redis"}`] != 1e6 {
		t.Errorf("parsed %v", m)
	}
	before := map[string]float64{"a": 1, "b": 2}
	after := map[string]float64{"a": 1, "b": 5, "c": 1}
	if got := metricDeltas(before, after); !slices.Equal(got, []metricDelta{{"b", 3}, {"c", 1}}) {
		t.Errorf("deltas %v", got)
	}
}

func TestLists(t *testing.T) {
	var l intList
	if err := l.Set("1, 16"); err != nil || !slices.Equal(l, intList{1, 16}) || l.String() != "1,16" {
		t.Errorf("intList: %v %v", l, err)
	}
	for _, bad := range []string{"", "1,x", ","} {
		if err := l.Set(bad); err == nil {
			t.Errorf("intList.Set(%q) accepted", bad)
		}
	}
	if got := splitList(" a,,b ,"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("splitList = %v", got)
	}
	if got := dataPrefix([]byte(`{"data":{"x":1},"extensions":{"cost":1}}`)); string(got) != `{"data":{"x":1}` {
		t.Errorf("dataPrefix = %s", got)
	}
	if got := dataPrefix([]byte(`{"data":1}`)); string(got) != `{"data":1}` {
		t.Errorf("dataPrefix without extensions = %s", got)
	}
}

// TestRunFlags: -c takes a list only with -floor.
func TestRunFlags(t *testing.T) {
	err := run(context.Background(), []string{"-url", "http://127.0.0.1:1/", "-uscc", "x", "-c", "1,2"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "one value without -floor") {
		t.Errorf("run = %v", err)
	}
}
