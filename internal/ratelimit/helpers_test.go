package ratelimit

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fakeClock is the injected clock: limiter logic tests move time by hand.
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

// testRedisURL returns TEST_REDIS_URL, or skips/fails without it.
func testRedisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		needServer(t, "TEST_REDIS_URL is not set; set it (e.g. redis://127.0.0.1:6379/0) to run Redis integration tests")
	}
	return u
}

// newTestClient connects to TEST_REDIS_URL; a URL that is set but does not
// answer is a failure, not a skip.
func newTestClient(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(testRedisURL(t))
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
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

// testPrefix is a key prefix of this test alone, so tests may run in parallel
// against one Redis; its keys are deleted at the end (nothing is flushed).
func testPrefix(t testing.TB, c redis.UniversalClient) string {
	t.Helper()
	name := strings.NewReplacer("/", ".", " ", "_").Replace(t.Name())
	p := fmt.Sprintf("creditgraph:rl:test:%s:%d.%d:", name, time.Now().UnixNano(), prefixSeq.Add(1))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// redis_rate stores a budget at "rate:" + prefix + key.
		iter := c.Scan(ctx, 0, "rate:"+p+"*", 100).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return p
}

// lockedBuffer collects output written from other goroutines (a server's
// output copied by exec, a logger).
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
