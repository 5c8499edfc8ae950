package ratelimit

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// fakeClock is the injected clock: limiter logic tests move time by hand.
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

// newTestClient connects to TEST_REDIS_URL.
func newTestClient(t testing.TB) *redis.Client {
	t.Helper()
	return testenv.Redis(t)
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
