// Package testenv gives tests what CI provides and what they share: a
// Redis client on TEST_REDIS_URL that skips a local run without it but fails
// under CI=true (CI must never pass by skipping), and a clock tests move by
// hand. Only tests import it.
package testenv

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis connects to TEST_REDIS_URL, after configure (if any) has adjusted
// the options, and closes the client when the test ends. A URL that is set
// but does not answer is a failure, not a skip.
func Redis(t testing.TB, configure ...func(*redis.Options)) *redis.Client {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		NeedServer(t, "TEST_REDIS_URL", "set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run the Redis integration tests")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	for _, f := range configure {
		f(opt)
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

// ContextTimeouts makes a client honour context deadlines on the socket, as
// the server's clients do.
func ContextTimeouts(o *redis.Options) { o.ContextTimeoutEnabled = true }

// Clock is an injectable clock that moves only when told.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
