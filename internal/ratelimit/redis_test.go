package ratelimit

import (
	"context"
	"testing"
	"time"
)

// Integration tests against TEST_REDIS_URL.

func TestRedisAllowsPointsThenRefuses(t *testing.T) {
	t.Parallel()
	c := newTestClient(t)
	r := NewRedis(c, testPrefix(t, c))
	ctx := context.Background()
	for i := range 5 {
		res, err := r.Take(ctx, "k", hourly5, 1)
		if err != nil || !res.Allowed || res.Remaining != 4-i || res.Used != i+1 || res.Limit != 5 || res.Source != SourceRedis {
			t.Fatalf("take %d: %+v, %v", i, res, err)
		}
		if res.RetryAfter != 0 || res.ResetAfter <= time.Duration(i)*12*time.Minute {
			t.Fatalf("take %d times: %+v", i, res)
		}
	}
	res, err := r.Take(ctx, "k", hourly5, 1)
	if err != nil || res.Allowed || res.Remaining != 0 || res.Used != 5 {
		t.Fatalf("sixth take: %+v, %v", res, err)
	}
	// One point comes back every 12 minutes; a little has passed already.
	if res.RetryAfter <= 11*time.Minute || res.RetryAfter > 12*time.Minute {
		t.Fatalf("RetryAfter %s, want just under 12m", res.RetryAfter)
	}
	if res, _ := r.Take(ctx, "other", hourly5, 5); !res.Allowed || res.Remaining != 0 {
		t.Fatalf("keys are independent: %+v", res)
	}
}

func TestRedisCosts(t *testing.T) {
	t.Parallel()
	c := newTestClient(t)
	r := NewRedis(c, testPrefix(t, c))
	budget := Budget{Points: 1000, Per: time.Hour}
	tests := []struct {
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
	for _, tc := range tests {
		res, err := r.Take(context.Background(), "k", budget, tc.cost)
		if err != nil || res.Allowed != tc.allowed || res.Remaining != tc.remaining || res.Used != 1000-tc.remaining {
			t.Fatalf("%s: %+v, %v", tc.name, res, err)
		}
		if !res.Allowed && res.RetryAfter <= 0 {
			t.Fatalf("%s: refused without RetryAfter: %+v", tc.name, res)
		}
	}
}

func TestRedisRefundRestores(t *testing.T) {
	t.Parallel()
	c := newTestClient(t)
	r := NewRedis(c, testPrefix(t, c))
	ctx := context.Background()
	remaining := func() int {
		t.Helper()
		res, err := r.Take(ctx, "k", hourly5, 0)
		if err != nil {
			t.Fatal(err)
		}
		return res.Remaining
	}
	r.Take(ctx, "k", hourly5, 4)
	if err := r.Refund(ctx, "k", hourly5, 2); err != nil {
		t.Fatal(err)
	}
	if n := remaining(); n != 3 {
		t.Fatalf("after refund 2: remaining %d, want 3", n)
	}
	// A refund that fills the budget (the script does not store it) and one
	// that would overfill it both leave exactly a full budget.
	if err := r.Refund(ctx, "k", hourly5, 2); err != nil {
		t.Fatal(err)
	}
	if n := remaining(); n != 5 {
		t.Fatalf("after a filling refund: remaining %d, want 5", n)
	}
	r.Take(ctx, "k", hourly5, 1)
	r.Refund(ctx, "k", hourly5, 100)
	if n := remaining(); n != 5 {
		t.Fatalf("after an overfilling refund: remaining %d, want 5", n)
	}
	if res, _ := r.Take(ctx, "k", hourly5, 5); !res.Allowed {
		t.Fatalf("full budget after refunds: %+v", res)
	}
	if res, _ := r.Take(ctx, "k", hourly5, 1); res.Allowed {
		t.Fatalf("refund went past the limit: %+v", res)
	}
	if err := r.Refund(ctx, "never-seen", hourly5, 3); err != nil {
		t.Fatal(err)
	}
}

func TestRedisDryRunConsumesNothing(t *testing.T) {
	t.Parallel()
	c := newTestClient(t)
	r := NewRedis(c, testPrefix(t, c))
	ctx := context.Background()
	if res, _ := r.Take(ctx, "fresh", hourly5, 0); !res.Allowed || res.Remaining != 5 || res.Used != 0 || res.ResetAfter != 0 {
		t.Fatalf("dry run on a fresh key: %+v", res)
	}
	r.Take(ctx, "k", hourly5, 2)
	for range 10 {
		res, err := r.Take(ctx, "k", hourly5, 0)
		if err != nil || !res.Allowed || res.Remaining != 3 || res.Used != 2 || res.RetryAfter != 0 {
			t.Fatalf("dry run: %+v, %v", res, err)
		}
	}
	if res, _ := r.Take(ctx, "k", hourly5, 3); !res.Allowed || res.Remaining != 0 {
		t.Fatalf("dry runs took points: %+v", res)
	}
}

// TestSharedReplicasShareOneBudget runs two Shared limiters on two clients,
// as two gateway replicas would: together they grant the budget once.
func TestSharedReplicasShareOneBudget(t *testing.T) {
	t.Parallel()
	c1, c2 := newTestClient(t), newTestClient(t)
	prefix := testPrefix(t, c1)
	opts := Options{Prefix: prefix, Replicas: 2, Timeout: time.Second}
	replicas := []*Shared{NewShared(c1, opts), NewShared(c2, opts)}
	budget := Budget{Points: 10, Per: time.Hour}
	ctx := context.Background()
	allowed := 0
	for i := range 14 {
		res, err := replicas[i%2].Take(ctx, "client", budget, 1)
		if err != nil || res.Source != SourceRedis || res.Limit != 10 {
			t.Fatalf("take %d: %+v, %v", i, res, err)
		}
		if res.Allowed {
			allowed++
		}
		if res.Allowed != (i < 10) || res.Remaining != max(9-i, 0) {
			t.Fatalf("take %d on replica %d: %+v", i, i%2, res)
		}
	}
	if allowed != 10 {
		t.Fatalf("allowed %d across replicas, budget 10", allowed)
	}
	if err := replicas[0].Refund(ctx, "client", budget, 3); err != nil {
		t.Fatal(err)
	}
	if res, _ := replicas[1].Take(ctx, "client", budget, 0); res.Remaining != 3 {
		t.Fatalf("a refund on one replica is seen on the other: %+v", res)
	}
}
