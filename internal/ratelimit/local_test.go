package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

var hourly5 = Budget{Points: 5, Per: time.Hour}

func TestLocalTakeThenRefuse(t *testing.T) {
	clk := newFakeClock()
	l := NewLocal(1, 0, clk.Now)
	ctx := context.Background()
	for i := range 5 {
		r, err := l.Take(ctx, "k", hourly5, 1)
		if err != nil || !r.Allowed || r.Remaining != 4-i || r.Used != i+1 || r.Source != SourceLocal {
			t.Fatalf("take %d: %+v, %v", i, r, err)
		}
	}
	r, _ := l.Take(ctx, "k", hourly5, 1)
	if r.Allowed || r.RetryAfter != 12*time.Minute || r.Remaining != 0 || r.ResetAfter != time.Hour {
		t.Fatalf("sixth take: %+v", r)
	}
	clk.Advance(12 * time.Minute)
	if r, _ := l.Take(ctx, "k", hourly5, 1); !r.Allowed || r.Remaining != 0 {
		t.Fatalf("after one interval: %+v", r)
	}
	if r, _ := l.Take(ctx, "other", hourly5, 1); !r.Allowed || r.Remaining != 4 {
		t.Fatalf("keys are independent: %+v", r)
	}
}

func TestLocalShareAndCosts(t *testing.T) {
	budget := Budget{Points: 1000, Per: time.Hour}
	tests := []struct {
		name     string
		replicas int
		costs    []int
		want     []bool
		limit    int
	}{
		{"one replica has it all", 1, []int{600, 400, 1}, []bool{true, true, false}, 1000},
		{"share of four", 4, []int{200, 50, 1}, []bool{true, true, false}, 250},
		{"dry run takes nothing", 4, []int{0, 0, 250, 0}, []bool{true, true, true, true}, 250},
		{"cost above share runs on a full bucket", 4, []int{900, 1}, []bool{true, false}, 250},
		{"cost above share waits for a full bucket", 4, []int{1, 900}, []bool{true, false}, 250},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLocal(tc.replicas, 0, newFakeClock().Now)
			for i, c := range tc.costs {
				r, err := l.Take(context.Background(), "k", budget, c)
				if err != nil || r.Allowed != tc.want[i] || r.Limit != tc.limit {
					t.Fatalf("take %d (cost %d): %+v, %v; want allowed=%v limit=%d", i, c, r, err, tc.want[i], tc.limit)
				}
				if !r.Allowed && r.RetryAfter <= 0 {
					t.Fatalf("refused without RetryAfter: %+v", r)
				}
			}
		})
	}
}

func TestLocalDryRunReports(t *testing.T) {
	l := NewLocal(1, 0, newFakeClock().Now)
	ctx := context.Background()
	l.Take(ctx, "k", hourly5, 2)
	for range 3 {
		r, _ := l.Take(ctx, "k", hourly5, 0)
		if !r.Allowed || r.Remaining != 3 || r.Used != 2 || r.RetryAfter != 0 || r.ResetAfter != 24*time.Minute {
			t.Fatalf("dry run: %+v", r)
		}
	}
}

// TestLocalRefundCaps pins the x/time/rate behaviour Refund relies on: a
// negative AllowN adds tokens, and the bucket never exceeds its burst.
func TestLocalRefundCaps(t *testing.T) {
	l := NewLocal(1, 0, newFakeClock().Now)
	ctx := context.Background()
	l.Take(ctx, "k", hourly5, 4)
	if err := l.Refund(ctx, "k", hourly5, 2); err != nil {
		t.Fatal(err)
	}
	if r, _ := l.Take(ctx, "k", hourly5, 0); r.Remaining != 3 {
		t.Fatalf("after refund 2: %+v", r)
	}
	l.Refund(ctx, "k", hourly5, 100)
	if r, _ := l.Take(ctx, "k", hourly5, 0); r.Remaining != 5 || r.Used != 0 {
		t.Fatalf("after refund 100: %+v", r)
	}
	if r, _ := l.Take(ctx, "k", hourly5, 5); !r.Allowed {
		t.Fatalf("full budget after refund: %+v", r)
	}
	if r, _ := l.Take(ctx, "k", hourly5, 1); r.Allowed {
		t.Fatalf("refund went past the limit: %+v", r)
	}
	if err := l.Refund(ctx, "never-seen", hourly5, 3); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		budget Budget
		cost   int
		want   error
	}{
		{"no points", Budget{Per: time.Hour}, 1, ErrInvalidBudget},
		{"no period", Budget{Points: 5}, 1, ErrInvalidBudget},
		{"negative burst", Budget{Points: 5, Per: time.Hour, Burst: -1}, 1, ErrInvalidBudget},
		{"negative cost", hourly5, -1, ErrInvalidCost},
		{"cost above limit", hourly5, 6, ErrCostExceedsLimit},
		{"cost above burst", Budget{Points: 5, Per: time.Hour, Burst: 2}, 3, ErrCostExceedsLimit},
	}
	limiters := map[string]Limiter{
		"local":           NewLocal(1, 0, nil),
		"shared no redis": NewShared(nil, Options{}),
	}
	for lname, l := range limiters {
		for _, tc := range tests {
			t.Run(lname+"/"+tc.name, func(t *testing.T) {
				if _, err := l.Take(context.Background(), "k", tc.budget, tc.cost); !errors.Is(err, tc.want) {
					t.Fatalf("Take: %v, want %v", err, tc.want)
				}
			})
		}
	}
	if err := NewLocal(1, 0, nil).Refund(context.Background(), "k", hourly5, -1); !errors.Is(err, ErrInvalidCost) {
		t.Fatalf("negative refund: %v", err)
	}
}

func TestLocalBurstBudget(t *testing.T) {
	b := Budget{Points: 3600, Per: time.Hour, Burst: 10}
	clk := newFakeClock()
	l := NewLocal(1, 0, clk.Now)
	ctx := context.Background()
	if r, _ := l.Take(ctx, "k", b, 10); !r.Allowed || r.Limit != 10 || r.Remaining != 0 {
		t.Fatalf("burst: %+v", r)
	}
	r, _ := l.Take(ctx, "k", b, 3)
	if r.Allowed || r.RetryAfter != 3*time.Second {
		t.Fatalf("over burst: %+v", r)
	}
	clk.Advance(3 * time.Second)
	if r, _ := l.Take(ctx, "k", b, 3); !r.Allowed {
		t.Fatalf("after 3s: %+v", r)
	}
}

func TestLocalForgetsFullBuckets(t *testing.T) {
	clk := newFakeClock()
	l := NewLocal(1, 16*minSweep, clk.Now)
	ctx := context.Background()
	for i := range 10_000 {
		l.Take(ctx, fmt.Sprint("client-", i), hourly5, 1)
		if i%100 == 99 {
			clk.Advance(12 * time.Minute) // everything seen so far is full again
		}
	}
	if n := l.keys(); n > 16*minSweep {
		t.Fatalf("remembers %d keys, bound %d", n, 16*minSweep)
	}
	// A key with state that was not evicted still has it.
	l.Take(ctx, "busy", hourly5, 5)
	if r, _ := l.Take(ctx, "busy", hourly5, 1); r.Allowed {
		t.Fatalf("busy key forgiven: %+v", r)
	}
}

func (l *Local) keys() int {
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.buckets)
		s.mu.Unlock()
	}
	return n
}
