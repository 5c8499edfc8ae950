package cache

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// fakeClock is the injected clock: tests move time by hand.
type fakeClock = testenv.Clock

func newFakeClock() *fakeClock {
	return testenv.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
}

// needServer: without a redis-server program the test skips, but under
// CI=true it fails.
func needServer(t testing.TB, format string, args ...any) {
	t.Helper()
	testenv.NeedServer(t, "redis-server", format, args...)
}

// newTestClient connects to TEST_REDIS_URL, honouring context deadlines.
func newTestClient(t testing.TB) *redis.Client {
	t.Helper()
	return testenv.Redis(t, testenv.ContextTimeouts)
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
