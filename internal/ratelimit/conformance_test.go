package ratelimit

import (
	"context"
	"testing"
	"time"
)

// runConformance is the behaviour every Limiter shares (Dex's storage
// conformance pattern): each subtest gets a fresh limiter from newLimiter, and
// every decision must come from source.
func runConformance(t *testing.T, source string, newLimiter func(t *testing.T) Limiter) {
	ctx := context.Background()
	check := func(t *testing.T, what string, res Result, err error, allowed bool, remaining int) {
		t.Helper()
		if err != nil || res.Allowed != allowed || res.Remaining != remaining || res.Used != res.Limit-remaining || res.Source != source {
			t.Fatalf("%s: %+v, %v; want allowed %v, remaining %d, source %s", what, res, err, allowed, remaining, source)
		}
		if allowed && res.RetryAfter != 0 || !allowed && res.RetryAfter <= 0 {
			t.Fatalf("%s: RetryAfter %s with allowed %v", what, res.RetryAfter, allowed)
		}
	}
	remaining := func(t *testing.T, l Limiter, key string, b Budget) int {
		t.Helper()
		res, err := l.Take(ctx, key, b, 0)
		if err != nil || !res.Allowed {
			t.Fatalf("dry run: %+v, %v", res, err)
		}
		return res.Remaining
	}

	t.Run("allows Points then refuses", func(t *testing.T) {
		l := newLimiter(t)
		for i := range 5 {
			res, err := l.Take(ctx, "k", hourly5, 1)
			check(t, "take", res, err, true, 4-i)
			if res.Limit != 5 || res.ResetAfter <= time.Duration(i)*12*time.Minute || res.ResetAfter > time.Duration(i+1)*12*time.Minute {
				t.Fatalf("take %d: %+v", i, res)
			}
		}
		res, err := l.Take(ctx, "k", hourly5, 1)
		check(t, "sixth take", res, err, false, 0)
		// One point comes back every 12 minutes; on Redis's clock a little
		// has passed already.
		if res.RetryAfter <= 11*time.Minute || res.RetryAfter > 12*time.Minute {
			t.Fatalf("RetryAfter %s, want (11m, 12m]", res.RetryAfter)
		}
		res, err = l.Take(ctx, "other", hourly5, 5)
		check(t, "another key", res, err, true, 0)
	})

	t.Run("costs", func(t *testing.T) {
		l := newLimiter(t)
		budget := Budget{Points: 1000, Per: time.Hour}
		steps := []struct {
			name      string
			cost      int
			allowed   bool
			remaining int
		}{
			{"first", 600, true, 400},
			{"too much", 401, false, 400},
			{"all the rest", 400, true, 0},
			{"dry run when empty", 0, true, 0},
			{"one more", 1, false, 0},
		}
		for _, s := range steps {
			res, err := l.Take(ctx, "k", budget, s.cost)
			check(t, s.name, res, err, s.allowed, s.remaining)
		}
	})

	t.Run("burst", func(t *testing.T) {
		l := newLimiter(t)
		b := Budget{Points: 3600, Per: time.Hour, Burst: 10}
		res, err := l.Take(ctx, "k", b, 10)
		check(t, "the whole burst", res, err, true, 0)
		if res.Limit != 10 {
			t.Fatalf("Limit %d, want the burst", res.Limit)
		}
		res, err = l.Take(ctx, "k", b, 3)
		check(t, "over the burst", res, err, false, 0)
		if res.RetryAfter > 3*time.Second || res.RetryAfter < 2*time.Second {
			t.Fatalf("RetryAfter %s, want about 3s", res.RetryAfter)
		}
	})

	t.Run("dry run consumes nothing", func(t *testing.T) {
		l := newLimiter(t)
		res, err := l.Take(ctx, "fresh", hourly5, 0)
		check(t, "dry run on a fresh key", res, err, true, 5)
		if res.ResetAfter != 0 {
			t.Fatalf("fresh key: %+v", res)
		}
		l.Take(ctx, "k", hourly5, 2)
		for range 10 {
			res, err := l.Take(ctx, "k", hourly5, 0)
			check(t, "dry run", res, err, true, 3)
		}
		res, err = l.Take(ctx, "k", hourly5, 3)
		check(t, "the rest after dry runs", res, err, true, 0)
	})

	t.Run("refund restores, never past the limit", func(t *testing.T) {
		l := newLimiter(t)
		l.Take(ctx, "k", hourly5, 4)
		if err := l.Refund(ctx, "k", hourly5, 2); err != nil {
			t.Fatal(err)
		}
		if n := remaining(t, l, "k", hourly5); n != 3 {
			t.Fatalf("after refund 2: remaining %d, want 3", n)
		}
		// A refund that exactly fills the budget, and one that would
		// overfill it, both leave a full budget.
		l.Refund(ctx, "k", hourly5, 2)
		if n := remaining(t, l, "k", hourly5); n != 5 {
			t.Fatalf("after a filling refund: remaining %d, want 5", n)
		}
		l.Take(ctx, "k", hourly5, 1)
		l.Refund(ctx, "k", hourly5, 100)
		if n := remaining(t, l, "k", hourly5); n != 5 {
			t.Fatalf("after an overfilling refund: remaining %d, want 5", n)
		}
		res, err := l.Take(ctx, "k", hourly5, 5)
		check(t, "the full budget", res, err, true, 0)
		res, err = l.Take(ctx, "k", hourly5, 1)
		check(t, "past the limit", res, err, false, 0)
		if err := l.Refund(ctx, "never-seen", hourly5, 3); err != nil {
			t.Fatal(err)
		}
		if err := l.Refund(ctx, "k", hourly5, 0); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLocalConformance(t *testing.T) {
	runConformance(t, SourceLocal, func(*testing.T) Limiter { return NewLocal(1, 0, newFakeClock().Now) })
}

func TestSharedWithoutRedisConformance(t *testing.T) {
	runConformance(t, SourceLocal, func(*testing.T) Limiter { return NewShared(nil, Options{Now: newFakeClock().Now}) })
}

func TestRedisConformance(t *testing.T) {
	c := newTestClient(t)
	runConformance(t, SourceRedis, func(t *testing.T) Limiter { return NewRedis(c, testPrefix(t, c)) })
}

func TestSharedConformance(t *testing.T) {
	c := newTestClient(t)
	runConformance(t, SourceRedis, func(t *testing.T) Limiter {
		return NewShared(c, Options{Prefix: testPrefix(t, c), Timeout: time.Second})
	})
}
