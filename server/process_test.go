package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/store/postgres"
	"github.com/creditgraph/creditgraph/internal/testenv"
)

// These tests run the real binary as separate processes, the way replicas
// run behind a load balancer.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "creditgraph-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "creditgraph")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// needRedis returns TEST_REDIS_URL, skipping without it (failing under CI).
func needRedis(t *testing.T) string {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		testenv.NeedServer(t, "TEST_REDIS_URL", "set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run the Redis integration tests")
	}
	return u
}

// startServer runs `creditgraph serve` with env and waits until it is ready.
func startServer(t *testing.T, env ...string) string {
	t.Helper()
	return startServerArgs(t, []string{"serve"}, env...)
}

// startServerArgs runs the binary with args and env until it is ready.
func startServerArgs(t *testing.T, args []string, env ...string) string {
	t.Helper()
	return startProcess(t, args, env...).base
}

// proc is a running server process.
type proc struct {
	base    string // http://host:port of the public listener
	metrics string // http://host:port of METRICS_ADDR
	out     *lockedBuffer
	cmd     *exec.Cmd
}

// metricsOf maps a server's base URL to its METRICS_ADDR URL.
var metricsOf sync.Map

// startProcess runs the binary with args and env (LISTEN_ADDR and
// METRICS_ADDR on free ports, no DATABASE_URL unless env sets one) and waits
// until /readyz answers 200.
func startProcess(t *testing.T, args []string, env ...string) *proc {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	maddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(os.Environ(), append([]string{"LISTEN_ADDR=" + addr, "METRICS_ADDR=" + maddr, "DATABASE_URL=", "LOG_LEVEL=warn"}, env...)...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	p := &proc{base: "http://" + addr, metrics: "http://" + maddr, out: out, cmd: cmd}
	metricsOf.Store(p.base, p.metrics)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server on %s not ready:\n%s", addr, out.String())
	return nil
}

// lockedBuffer collects a process's output for reading while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hit sends one cheap query and returns the status and X-RateLimit-Limit.
func hit(t *testing.T, base string) (int, string) {
	t.Helper()
	res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ viewer { tier } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("X-RateLimit-Limit")
}

// TestTwoProcessesShareOneBudget: two replicas on one Redis draw from one
// budget for the same client.
func TestTwoProcessesShareOneBudget(t *testing.T) {
	redisURL := needRedis(t)
	prefix := fmt.Sprintf("creditgraph-test-%d:", time.Now().UnixNano())
	env := []string{"REDIS_URL=" + redisURL, "REDIS_KEY_PREFIX=" + prefix, "RATE_LIMIT_PUBLIC=6/1h", "RATE_LIMIT_REPLICAS=2"}
	a, b := startServer(t, env...), startServer(t, env...)
	var codes []int
	for i := range 8 {
		base := a
		if i%2 == 1 {
			base = b
		}
		code, limit := hit(t, base)
		if limit != "6" {
			t.Fatalf("request %d: X-RateLimit-Limit %q, want the shared 6", i, limit)
		}
		codes = append(codes, code)
	}
	want := []int{200, 200, 200, 200, 200, 200, 429, 429}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("statuses across two replicas = %v, want %v (one budget of 6)", codes, want)
	}
}

// TestRedisOutage: Redis dies mid-run; the replica keeps serving under its
// local share with no 5xx; when Redis returns, shared limiting resumes.
func TestRedisOutage(t *testing.T) {
	needRedis(t)
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.NeedServer(t, "redis-server", "redis-server is not on PATH: this test runs its own (apt-get install redis-server)")
	}
	port := strconv.Itoa(freePort(t))
	startRedis := func() *exec.Cmd {
		cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 200; i++ {
			if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
				c.Close()
				return cmd
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Fatal("redis-server did not start")
		return nil
	}
	rs := startRedis()
	base := startServer(t, "REDIS_URL=redis://127.0.0.1:"+port+"/0", "RATE_LIMIT_PUBLIC=1000/1h", "RATE_LIMIT_REPLICAS=4")
	if _, limit := hit(t, base); limit != "1000" {
		t.Fatalf("with Redis: limit %q, want the shared 1000", limit)
	}
	_ = rs.Process.Kill()
	_ = rs.Wait()
	// What is left of this replica's lease of the shared budget (at most
	// 1000/32 points, RATE_LIMIT_LEASE) was granted by Redis before it died
	// and is spent first; then the local share decides.
	leased := 0
	for i := range 20 + 1000/32 {
		code, limit := hit(t, base)
		if limit == "1000" && leased == i && leased < 1000/32 {
			leased++
			continue
		}
		if code >= 500 || limit != "250" {
			t.Fatalf("during the outage, request %d: %d, limit %q (want < 500 and the local share 250, after at most %d leased points)",
				i, code, limit, 1000/32)
		}
	}
	rs = startRedis()
	defer func() { _ = rs.Process.Kill(); _ = rs.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, limit := hit(t, base)
		if code >= 500 {
			t.Fatalf("after restart: %d", code)
		}
		if limit == "1000" {
			return // shared limiting resumed
		}
		if time.Now().After(deadline) {
			t.Fatalf("shared limiting did not resume within 30s (limit %q)", limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Two replicas on one host with the default METRICS_ADDR both serve (the
// second without a metrics listener, saying so); a replica told an address
// it cannot have does not start.
func TestReplicasShareAHostsDefaultMetricsAddr(t *testing.T) {
	a := startProcess(t, []string{"serve"}, "METRICS_ADDR=")
	b := startProcess(t, []string{"serve"}, "METRICS_ADDR=")
	for _, p := range []*proc{a, b} {
		if code, _ := hit(t, p.base); code != http.StatusOK {
			t.Fatalf("%s: %d", p.base, code)
		}
	}
	if !strings.Contains(a.out.String()+b.out.String(), "metrics and pprof are off on this replica") {
		t.Errorf("neither replica reported the default METRICS_ADDR in use (one of them cannot have it):\n%s\n%s", a.out, b.out)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(), "LISTEN_ADDR=127.0.0.1:"+strconv.Itoa(freePort(t)), "METRICS_ADDR="+busy.Addr().String(), "DATABASE_URL=")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "METRICS_ADDR") {
		t.Fatalf("a replica told a busy METRICS_ADDR started, or did not say why: %v\n%s", err, out)
	}
}

// With PostgreSQL, /metrics carries the pool's statistics.
func TestDatabasePoolMetrics(t *testing.T) {
	base := startServer(t, "DATABASE_URL="+postgres.NewTestDatabase(t), "DB_MAX_CONNS=3")
	hit(t, base)
	if max := metric(t, base, "creditgraph_db_pool_max_connections", `pool="primary"`); max != 3 {
		t.Errorf("max connections %v, want DB_MAX_CONNS 3", max)
	}
	if n := metric(t, base, "creditgraph_db_pool_acquires_total", `pool="primary"`); n < 1 {
		t.Errorf("acquires %v after a ready check", n)
	}
	metric(t, base, "creditgraph_db_pool_connections", `pool="primary"`, `state="idle"`)
}
