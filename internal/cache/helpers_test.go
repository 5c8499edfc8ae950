package cache

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fakeClock is the injected clock: tests move time by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// needServer follows the pgx rule: without the server the test skips with a
// message naming what is missing, but under CI=true it fails.
func needServer(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: integration tests must run)")
	}
	t.Skip(msg)
}

// newTestClient connects to TEST_REDIS_URL; a URL that is set but does not
// answer is a failure, not a skip.
func newTestClient(t testing.TB) *redis.Client {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		needServer(t, "TEST_REDIS_URL is not set; set it (e.g. redis://127.0.0.1:6379/0) to run Redis integration tests")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	opt.ContextTimeoutEnabled = true
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("TEST_REDIS_URL=%s does not answer: %v", opt.Addr, err)
	}
	return c
}

var prefixSeq atomic.Int64

// testPrefix is a key prefix of this test alone; keys expire on their own
// (entries by TTL, tags within a day), nothing is flushed.
func testPrefix(t testing.TB) string {
	return fmt.Sprintf("creditgraph:test:rc:%d:%d:%s:", os.Getpid(), prefixSeq.Add(1), t.Name())
}

// newTestCache builds a Cache on TEST_REDIS_URL with its own prefix and clock.
func newTestCache(t testing.TB, client redis.UniversalClient, prefix string, clk *fakeClock) *Cache {
	t.Helper()
	return New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second})
}

func key(tier, doc string) Key {
	return Key{Tier: tier, Document: doc, Operation: "Q", Variables: []byte(`{}`), AsOf: "2026-03-01"}
}

// redisServer is a redis-server of the test's own, on a free port, so that
// the test may kill it.
type redisServer struct {
	t    testing.TB
	port int
	cmd  *exec.Cmd
}

func startRedisServer(t testing.TB, port int) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		needServer(t, "redis-server is not on PATH; install it to run the Redis outage test")
	}
	if port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &redisServer{t: t, port: port, cmd: cmd}
	t.Cleanup(s.kill)
	c := redis.NewClient(&redis.Options{Addr: s.addr()})
	defer c.Close()
	for i := 0; ; i++ { // wait for the process, not for time to pass
		if c.Ping(context.Background()).Err() == nil {
			return s
		}
		if i == 200 {
			t.Fatalf("redis-server on %d did not start", port)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *redisServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

func (s *redisServer) kill() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}
