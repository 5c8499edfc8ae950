package ratelimit

import (
	"context"
	"testing"
	"time"
)

// Integration tests against TEST_REDIS_URL; the Limiter behaviour itself is
// in conformance_test.go.

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
