package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/store/postgres"
	"github.com/creditgraph/creditgraph/internal/testenv"
)

// These tests run the response cache across real processes: replicas that
// share one Redis, the import command as a process of its own, and a Redis
// that dies and comes back.

// profileQuery is the enterprise profile the tests cache: its penalties are
// what the writes change.
const profileQuery = `query Profile($uscc: ID!) { enterprise(uscc: $uscc) { uscc name penalties { totalCount nodes { decisionNumber } } } }`

// testCacheTimeout replaces CACHE_TIMEOUT's 30 ms: on a loaded machine (two
// shared cores, the race detector, other packages' tests) a healthy Redis
// call can take longer, and the cache would then fall back to computing,
// which these tests would take for a broken cache. A dead Redis refuses
// connections at once, so the outage is detected just as fast.
const testCacheTimeout = "1s"

// gqlAnswer is one GraphQL answer over HTTP.
type gqlAnswer struct {
	status int
	cache  string          // the Creditgraph-Cache header
	data   json.RawMessage // compacted "data"
	raw    []byte
}

// profile is the decoded data of profileQuery.
type profile struct {
	Enterprise *struct {
		USCC      string
		Name      string
		Penalties struct {
			TotalCount int
			Nodes      []struct{ DecisionNumber string }
		}
	}
}

// queryProfile asks base for uscc's profile as an anonymous (PUBLIC) caller.
func queryProfile(t *testing.T, base, uscc string) gqlAnswer {
	t.Helper()
	a, err := postProfile(base, uscc)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// postProfile is queryProfile without a *testing.T, for goroutines.
func postProfile(base, uscc string) (gqlAnswer, error) {
	body, _ := json.Marshal(map[string]any{"query": profileQuery, "variables": map[string]string{"uscc": uscc}})
	res, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return gqlAnswer{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return gqlAnswer{}, err
	}
	a := gqlAnswer{status: res.StatusCode, cache: res.Header.Get("Creditgraph-Cache"), raw: raw}
	var env struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return a, fmt.Errorf("answer %d is not JSON: %v: %s", res.StatusCode, err, raw)
	}
	if len(env.Errors) > 0 {
		return a, fmt.Errorf("answer %d has errors: %s", res.StatusCode, raw)
	}
	var c bytes.Buffer
	if len(env.Data) > 0 {
		if err := json.Compact(&c, env.Data); err != nil {
			return a, err
		}
	}
	a.data = c.Bytes()
	return a, nil
}

// decisions returns the profile's total count and its decision numbers, sorted.
func (a gqlAnswer) decisions(t *testing.T) (int, []string) {
	t.Helper()
	var p profile
	if err := json.Unmarshal(a.data, &p); err != nil || p.Enterprise == nil {
		t.Fatalf("not a profile (%v): %s", err, a.raw)
	}
	var out []string
	for _, n := range p.Enterprise.Penalties.Nodes {
		out = append(out, n.DecisionNumber)
	}
	slices.Sort(out)
	return p.Enterprise.Penalties.TotalCount, out
}

// wantPenalties fails unless a is a 200 whose profile lists exactly want.
func wantPenalties(t *testing.T, what string, a gqlAnswer, want ...string) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", what, a.status, a.raw)
	}
	n, got := a.decisions(t)
	want = slices.Sorted(slices.Values(want))
	if n != len(want) || !slices.Equal(got, want) {
		t.Fatalf("%s: totalCount %d, penalties %q; want %q (cache %s)", what, n, got, want, a.cache)
	}
}

// writeKey creates a REGULATOR key with write scope in a new KEYS_FILE with
// the keys command, and returns the file and the secret.
func writeKey(t *testing.T) (file, secret string) {
	t.Helper()
	file = filepath.Join(t.TempDir(), "keys.tsv")
	t.Setenv("DATABASE_URL", "") // keys go to KEYS_FILE
	t.Setenv("KEYS_FILE", file)
	out, err := keysCLI(t, "create", "--tier", "REGULATOR", "--name", "fj-amr-writer", "--scope", "write")
	if err != nil {
		t.Fatal(err)
	}
	return file, lastLine(out)
}

// ingestNDJSON posts body to base's /v1/ingest with secret and requires
// every record accepted.
func ingestNDJSON(t *testing.T, base, secret, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/ingest", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var sum struct{ Accepted, Rejected int }
	if err := json.Unmarshal(raw, &sum); err != nil || res.StatusCode != 200 || sum.Rejected != 0 || sum.Accepted != strings.Count(body, "\n") {
		t.Fatalf("ingest: %d %s", res.StatusCode, raw)
	}
}

// importProcess runs `creditgraph import -` as a process of its own with env
// and body on stdin, and requires exit 0 with every record accepted.
func importProcess(t *testing.T, body string, env ...string) {
	t.Helper()
	bin := binary(t) // built before the clock starts
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "import", "-")
	cmd.Env = append(os.Environ(), append([]string{"LOG_LEVEL=warn"}, env...)...)
	cmd.Stdin = strings.NewReader(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var sum struct{ Accepted, Rejected int }
	if jerr := json.Unmarshal(stdout.Bytes(), &sum); err != nil || jerr != nil || sum.Rejected != 0 || sum.Accepted != strings.Count(body, "\n") {
		t.Fatalf("import: %v\nstdout: %s\nstderr: %s", err, stdout.Bytes(), stderr.Bytes())
	}
	if s := stderr.String(); strings.Contains(s, "deferred") {
		t.Errorf("import could not invalidate through Redis:\n%s", s)
	}
}

// metric returns the value of the series name{labels…} on the /metrics of
// base's server, at its METRICS_ADDR (labels as `k="v"`, in any order),
// failing if it is absent.
func metric(t *testing.T, base, name string, labels ...string) float64 {
	t.Helper()
	m, ok := metricsOf.Load(base)
	if !ok {
		t.Fatalf("no METRICS_ADDR known for %s", base)
	}
	res, err := http.Get(m.(string) + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		series, value := line[:i], line[i+1:]
		sname, have := series, []string(nil)
		if j := strings.IndexByte(series, '{'); j >= 0 {
			sname = series[:j]
			have = strings.Split(strings.TrimSuffix(series[j+1:], "}"), ",")
		}
		if sname != name || len(have) != len(labels) {
			continue
		}
		match := true
		for _, l := range labels {
			match = match && slices.Contains(have, l)
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("metric %s: %v", line, err)
		}
		return v
	}
	t.Fatalf("no series %s%v in /metrics", name, labels)
	return 0
}

func redisHits(t *testing.T, base string) float64 {
	t.Helper()
	return metric(t, base, "creditgraph_cache_lookups_total", `result="hit"`, `source="redis"`)
}

func breakerState(t *testing.T, base string) float64 {
	t.Helper()
	return metric(t, base, "creditgraph_cache_breaker_state")
}

// cacheDay is the disclosure day (UTC) that answers are cached under.
func cacheDay() string { return time.Now().UTC().Format(time.DateOnly) }

// skipIfNewDay skips the test when the UTC day changed since day: answers
// are cached per disclosure day, so a miss across midnight proves nothing.
// Call it only where an expected HIT is missing.
func skipIfNewDay(t *testing.T, day string) {
	t.Helper()
	if now := cacheDay(); now != day {
		t.Skipf("the UTC day changed during the test (%s → %s): cache keys changed with it", day, now)
	}
}

// penaltyLine is one NDJSON penalty on uscc, published days ago (so that it
// is disclosed to the public today) with a fine that gives it the long
// disclosure period.
func penaltyLine(uscc, decision string, days int) string {
	today := time.Now().UTC()
	rec := map[string]any{
		"kind": "penalty", "uscc": uscc, "decision_number": decision,
		"violation_type": "生产经营超过保质期的食品", "penalty_types": []string{"fine", "confiscation"},
		"content": "罚款人民币150000.00元；没收违法所得人民币1200.00元", "fine_amount": "150000.00",
		"confiscation_amount": "1200.00", "authority": "福州市市场监督管理局",
		"decided_on":   today.AddDate(0, 0, -days-10).Format(time.DateOnly),
		"published_on": today.AddDate(0, 0, -days).Format(time.DateOnly),
		"procedure":    "ordinary", "key_area": "food_production",
	}
	b, _ := json.Marshal(rec)
	return string(b) + "\n"
}

// TestCacheWriteVisibleOnSecondProcess: two replicas on one PostgreSQL and
// one Redis. An answer cached by B is invalidated at once by a write on A
// (POST /v1/ingest) and by the import command run as a third process.
func TestCacheWriteVisibleOnSecondProcess(t *testing.T) {
	redisURL := needRedis(t)
	dbURL := postgres.NewTestDatabase(t)
	keysFile, secret := writeKey(t)
	prefix := fmt.Sprintf("creditgraph-test-%d:", time.Now().UnixNano())
	shared := []string{"DATABASE_URL=" + dbURL, "REDIS_URL=" + redisURL, "REDIS_KEY_PREFIX=" + prefix, "CACHE_TIMEOUT=" + testCacheTimeout}

	const uscc = "91350100MA2XYK001G"
	data, err := runCmd(t, "", "generate", "--enterprises", "20", "--seed", "11")
	if err != nil {
		t.Fatal(err)
	}
	data += `{"kind":"enterprise","uscc":"` + uscc + `","name":"福州闽香食品有限公司","status":"operating","region_code":"350102","key_areas":["food_production"]}` + "\n" +
		penaltyLine(uscc, "榕市监处罚〔2026〕9001号", 30)
	importProcess(t, data, shared...)

	env := append(slices.Clone(shared), "KEYS_FILE="+keysFile)
	a := startServer(t, env...)
	b := startServer(t, env...)

	day := cacheDay()
	first := queryProfile(t, b, uscc)
	wantPenalties(t, "B, first query", first, "榕市监处罚〔2026〕9001号")
	if first.cache != "MISS" {
		t.Errorf("B, first query: Creditgraph-Cache %q, want MISS (a fresh key prefix)", first.cache)
	}
	second := queryProfile(t, b, uscc)
	wantPenalties(t, "B, second query", second, "榕市监处罚〔2026〕9001号")
	if second.cache != "HIT" {
		skipIfNewDay(t, day)
		t.Fatalf("B, second query: Creditgraph-Cache %q, want HIT", second.cache)
	}
	if fromA := queryProfile(t, a, uscc); fromA.cache != "HIT" || !bytes.Equal(fromA.data, second.data) {
		skipIfNewDay(t, day)
		t.Errorf("A, the same query: Creditgraph-Cache %q (want HIT: one cache in Redis), data %s", fromA.cache, fromA.data)
	}

	// B answers from its hot layer (in process, no Redis round trip) once
	// its lease holds: the write below must reach it there too.
	waitHotHit(t, b, uscc)

	// A write on A: B's cached answer must go at once.
	ingestNDJSON(t, a, secret, penaltyLine(uscc, "榕市监处罚〔2026〕9002号", 20))
	afterIngest := queryProfile(t, b, uscc)
	if afterIngest.cache == "HIT" {
		t.Errorf("B right after the ingest on A: served from the cache: %s", afterIngest.raw)
	}
	wantPenalties(t, "B right after the ingest on A", afterIngest, "榕市监处罚〔2026〕9001号", "榕市监处罚〔2026〕9002号")
	cachedAgain := queryProfile(t, b, uscc)
	if cachedAgain.cache != "HIT" || !bytes.Equal(cachedAgain.data, afterIngest.data) {
		skipIfNewDay(t, day)
		t.Errorf("B, query after the recomputed one: Creditgraph-Cache %q, data %s; want HIT with %s", cachedAgain.cache, cachedAgain.data, afterIngest.data)
	}

	// A write by the import command, a third process: B sees it at once.
	waitHotHit(t, b, uscc)
	importProcess(t, penaltyLine(uscc, "榕市监处罚〔2026〕9003号", 10), shared...)
	afterImport := queryProfile(t, b, uscc)
	if afterImport.cache == "HIT" {
		t.Errorf("B right after the import command: served from the cache: %s", afterImport.raw)
	}
	wantPenalties(t, "B right after the import command", afterImport,
		"榕市监处罚〔2026〕9001号", "榕市监处罚〔2026〕9002号", "榕市监处罚〔2026〕9003号")
	wantPenalties(t, "A right after the import command", queryProfile(t, a, uscc),
		"榕市监处罚〔2026〕9001号", "榕市监处罚〔2026〕9002号", "榕市监处罚〔2026〕9003号")
}

// waitHotHit asks base for uscc's profile until an answer comes from its
// hot layer (creditgraph_cache_lookups_total{source="hot"} grows): the
// replica's lease needs its first heartbeat back through Redis.
func waitHotHit(t *testing.T, base, uscc string) {
	t.Helper()
	hot := func() float64 {
		return metric(t, base, "creditgraph_cache_lookups_total", `result="hit"`, `source="hot"`)
	}
	before := hot()
	for i := 0; i < 500; i++ {
		if a := queryProfile(t, base, uscc); a.cache != "HIT" {
			t.Fatalf("%s: Creditgraph-Cache %q while waiting for a hot hit, want HIT", base, a.cache)
		}
		if hot() > before {
			return
		}
		time.Sleep(10 * time.Millisecond) // waiting for the replica's heartbeat, not for time to pass
	}
	t.Fatalf("%s never answered from its hot layer", base)
}

// ownRedis is a redis-server of the test's own on a fixed port, keeping its
// data in an append-only file across a crash: a real outage leaves Redis's
// entries (now stale) in place when it comes back.
type ownRedis struct {
	t    *testing.T
	bin  string
	port string
	dir  string

	mu  sync.Mutex
	cmd *exec.Cmd
	out bytes.Buffer
}

func newOwnRedis(t *testing.T) *ownRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.NeedServer(t, "redis-server", "redis-server is not on PATH: this test runs its own (apt-get install redis-server)")
	}
	r := &ownRedis{t: t, bin: bin, port: strconv.Itoa(freePort(t)), dir: t.TempDir()}
	t.Cleanup(r.kill)
	return r
}

func (r *ownRedis) url() string { return "redis://127.0.0.1:" + r.port + "/0" }

// start runs redis-server and waits until it answers PING (its data loaded).
func (r *ownRedis) start() {
	r.t.Helper()
	r.mu.Lock()
	r.out.Reset()
	cmd := exec.Command(r.bin, "--port", r.port, "--bind", "127.0.0.1", "--dir", r.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always")
	cmd.Stdout, cmd.Stderr = &r.out, &r.out
	if err := cmd.Start(); err != nil {
		r.mu.Unlock()
		r.t.Fatal(err)
	}
	r.cmd = cmd
	r.mu.Unlock()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + r.port, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.t.Fatalf("redis-server on %s did not answer: %v\n%s", r.port, err, r.out.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// kill ends redis-server at once (SIGKILL), as a crash would.
func (r *ownRedis) kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// entries counts the response-cache entries stored under prefix.
func (r *ownRedis) entries(prefix string) int {
	r.t.Helper()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + r.port})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	keys, err := c.Keys(ctx, prefix+"rc:e:*").Result()
	if err != nil {
		r.t.Fatal(err)
	}
	return len(keys)
}

// TestCacheSurvivesRedisOutage: Redis dies under a warm cache. The replica
// answers every query, correctly and without a 5xx, shows its own write at
// once, and when Redis comes back (with the entries it held before the
// crash) it replays the invalidation Redis missed before trusting Redis
// again, so the write is never undone by a stale entry.
func TestCacheSurvivesRedisOutage(t *testing.T) {
	needRedis(t)
	rs := newOwnRedis(t)
	keysFile, secret := writeKey(t)
	rs.start()
	prefix := fmt.Sprintf("creditgraph-test-%d:", time.Now().UnixNano())
	base := startServer(t, "REDIS_URL="+rs.url(), "REDIS_KEY_PREFIX="+prefix, "KEYS_FILE="+keysFile, "CACHE_TIMEOUT="+testCacheTimeout)

	const uscc = "91350582MAE11H479P" // the demo's showcase food producer, with one public penalty
	const demoPenalty = "泉晋市监处罚〔2026〕38号"
	const outagePenalty = "泉晋市监处罚〔2026〕901号"

	// Warm the cache in Redis.
	day := cacheDay()
	before := queryProfile(t, base, uscc)
	wantPenalties(t, "before the outage", before, demoPenalty)
	if warm := queryProfile(t, base, uscc); warm.cache != "HIT" || !bytes.Equal(warm.data, before.data) {
		skipIfNewDay(t, day)
		t.Fatalf("second query before the outage: Creditgraph-Cache %q, data %s; want HIT with %s", warm.cache, warm.data, before.data)
	}
	if hits := redisHits(t, base); hits < 1 {
		t.Fatalf("before the outage: %v Redis hits, want the warm query served from Redis", hits)
	}
	if n := rs.entries(prefix); n < 1 {
		t.Fatalf("before the outage: %d cache entries in Redis", n)
	}

	rs.kill()

	// During the outage: many queries, sequential and concurrent; no 5xx,
	// every answer the one from before.
	check := func(what string, a gqlAnswer, want []byte) error {
		switch {
		case a.status >= 500:
			return fmt.Errorf("%s: status %d: %s", what, a.status, a.raw)
		case a.status != http.StatusOK:
			return fmt.Errorf("%s: status %d, want 200: %s", what, a.status, a.raw)
		case !bytes.Equal(a.data, want):
			return fmt.Errorf("%s: data %s, want %s", what, a.data, want)
		}
		return nil
	}
	var (
		mu       sync.Mutex
		statuses = map[string]int{}
	)
	for i := range 20 {
		a := queryProfile(t, base, uscc)
		if err := check(fmt.Sprintf("during the outage, query %d", i), a, before.data); err != nil {
			t.Fatal(err)
		}
		statuses[a.cache]++
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for w := range 4 { // fewer than MAX_CONCURRENT_PER_KEY (10)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				a, err := postProfile(base, uscc)
				if err == nil {
					err = check(fmt.Sprintf("during the outage, worker %d query %d", w, i), a, before.data)
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				statuses[a.cache]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	if s := breakerState(t, base); s == 0 {
		t.Errorf("after 60 queries without Redis the cache breaker is closed (state %v): the outage went unnoticed", s)
	}
	if statuses["HIT"] == 0 {
		skipIfNewDay(t, day)
		t.Errorf("during the outage no answer came from the in-process cache: %v", statuses)
	}
	hitsBefore := redisHits(t, base)

	// A write during the outage shows at once on this replica.
	ingestNDJSON(t, base, secret, penaltyLine(uscc, outagePenalty, 3))
	post := queryProfile(t, base, uscc)
	if post.cache == "HIT" {
		t.Errorf("right after the ingest during the outage: served from the cache: %s", post.raw)
	}
	wantPenalties(t, "right after the ingest during the outage", post, demoPenalty, outagePenalty)
	for i := range 5 {
		if err := check(fmt.Sprintf("after the ingest during the outage, query %d", i), queryProfile(t, base, uscc), post.data); err != nil {
			t.Fatal(err)
		}
	}

	// Redis comes back with its pre-outage entries: they are stale now.
	rs.start()
	if n := rs.entries(prefix); n < 1 {
		t.Fatalf("Redis came back without the pre-outage entries (%d): the test would prove nothing", n)
	}
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; ; i++ {
		if err := check(fmt.Sprintf("after Redis came back, query %d", i), queryProfile(t, base, uscc), post.data); err != nil {
			t.Fatal(err) // a stale Redis entry undid the write, or a 5xx
		}
		if redisHits(t, base) > hitsBefore {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer served from Redis within 30s of its return (breaker state %v)", breakerState(t, base))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if s := breakerState(t, base); s != 0 {
		t.Errorf("serving from Redis again but the breaker state is %v, want 0 (closed)", s)
	}
	final := queryProfile(t, base, uscc)
	if err := check("final query", final, post.data); err != nil {
		t.Fatal(err)
	}
	if final.cache != "HIT" {
		skipIfNewDay(t, day)
		t.Errorf("final query: Creditgraph-Cache %q, want HIT", final.cache)
	}
}
