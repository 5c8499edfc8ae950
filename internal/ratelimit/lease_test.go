package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// newLeasingPair returns two replicas' Leasing limiters sharing one budget
// prefix on TEST_REDIS_URL, and a dry run of that shared budget.
func newLeasingPair(t *testing.T, clock *fakeClock) (a, b *Leasing, shared func() Result) {
	t.Helper()
	c := newTestClient(t)
	p := testPrefix(t, c)
	sa := NewShared(c, Options{Prefix: p, Timeout: time.Second})
	sb := NewShared(c, Options{Prefix: p, Timeout: time.Second})
	opts := LeaseOptions{Now: clock.Now}
	a, b = NewLeasing(sa, opts), NewLeasing(sb, opts)
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	return a, b, func() Result {
		r, err := sa.Take(context.Background(), "k", leaseBudget, 0)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

// 640 points an hour: a lease holds at most 640/32 = 20 of them.
var leaseBudget = Budget{Points: 640, Per: time.Hour}

// Two replicas leasing blocks of one budget grant exactly the budget, no
// more, and a client is throttled where it would be without leases.
func TestLeasingGrantsExactlyTheBudget(t *testing.T) {
	a, b, _ := newLeasingPair(t, newFakeClock())
	ctx := context.Background()
	allowed, refusedInARow := 0, 0
	for i := 0; refusedInARow < 2 && i < 2000; i++ {
		r, err := []*Leasing{a, b}[i%2].Take(ctx, "k", leaseBudget, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r.Allowed {
			allowed++
			refusedInARow = 0
		} else {
			refusedInARow++
			if r.RetryAfter <= 0 {
				t.Errorf("throttled without Retry-After: %+v", r)
			}
		}
	}
	if allowed != leaseBudget.Points {
		t.Errorf("two leasing replicas granted %d points of a budget of %d", allowed, leaseBudget.Points)
	}
}

// One replica reports the shared budget as it would without leases: each
// decision's Remaining goes down by its cost, and a refund comes back.
func TestLeasingReportsTheSharedBudget(t *testing.T) {
	a, _, shared := newLeasingPair(t, newFakeClock())
	ctx := context.Background()
	for i, cost := range []int{1, 1, 5, 1, 19, 2} {
		before := 640
		if i > 0 {
			r, _ := a.Take(ctx, "k", leaseBudget, 0)
			before = r.Remaining
		}
		r, err := a.Take(ctx, "k", leaseBudget, cost)
		if err != nil || !r.Allowed {
			t.Fatalf("take %d: %+v, %v", cost, r, err)
		}
		if r.Remaining != before-cost || r.Used != r.Limit-r.Remaining || r.Limit != 640 {
			t.Errorf("take %d from %d: Remaining %d, Used %d, Limit %d", cost, before, r.Remaining, r.Used, r.Limit)
		}
	}
	// 29 points spent; the shared budget holds the rest of the block as used.
	if got := shared().Remaining; got > 640-29 || got < 640-29-20 {
		t.Errorf("shared budget Remaining %d, want 611 less at most one block of 20", got)
	}
	if err := a.Refund(ctx, "k", leaseBudget, 4); err != nil {
		t.Fatal(err)
	}
	if r, _ := a.Take(ctx, "k", leaseBudget, 0); r.Remaining != 640-25 {
		t.Errorf("after a refund of 4: Remaining %d, want 615", r.Remaining)
	}
}

// An idle lease goes back to the shared budget, and Close gives back the
// rest: what is left is exactly what was spent.
func TestLeasingGivesIdleLeasesBack(t *testing.T) {
	clock := newFakeClock()
	a, b, shared := newLeasingPair(t, clock)
	ctx := context.Background()
	for range 3 {
		if r, err := a.Take(ctx, "k", leaseBudget, 1); err != nil || !r.Allowed {
			t.Fatal(r, err)
		}
	}
	if r, err := b.Take(ctx, "k", leaseBudget, 2); err != nil || !r.Allowed {
		t.Fatal(r, err)
	}
	if got := shared().Remaining; got >= 640-5 {
		t.Fatalf("shared Remaining %d: no block was leased", got)
	}
	clock.Advance(DefaultLeaseIdle)
	a.sweep()
	b.Close()
	if got := shared().Remaining; got != 640-5 {
		t.Errorf("after the idle lease and Close gave back: shared Remaining %d, want 635", got)
	}
	if r, _ := a.Take(ctx, "k", leaseBudget, 0); r.Remaining != 640-5 {
		t.Errorf("replica a after giving its lease back: Remaining %d, want 635", r.Remaining)
	}
}

// A budget under two lease blocks (2×32 points) is never leased: each
// decision goes to the shared budget, as without Leasing.
func TestLeasingSmallBudgetNotLeased(t *testing.T) {
	a, b, _ := newLeasingPair(t, newFakeClock())
	small := Budget{Points: 4, Per: time.Hour}
	var got []bool
	for i := range 6 {
		r, err := []*Leasing{a, b}[i%2].Take(context.Background(), "k", small, 1)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Allowed)
		if r.Allowed && r.Remaining != 3-i {
			t.Errorf("take %d: Remaining %d, want %d", i, r.Remaining, 3-i)
		}
	}
	if want := []bool{true, true, true, true, false, false}; !equalBools(got, want) {
		t.Errorf("decisions %v, want %v", got, want)
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The same with sixteen goroutines on each replica at once: concurrent
// takes that each lease a block neither lose nor invent points.
func TestLeasingGrantsExactlyTheBudgetConcurrently(t *testing.T) {
	a, b, _ := newLeasingPair(t, newFakeClock())
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := []*Leasing{a, b}[g%2]
			for refused := 0; refused < 3; {
				r, err := l.Take(context.Background(), "k", leaseBudget, 1+g%3)
				if err != nil {
					t.Error(err)
					return
				}
				if r.Allowed {
					allowed.Add(int64(1 + g%3))
					refused = 0
				} else {
					refused++
				}
			}
		}()
	}
	wg.Wait()
	// Whatever is left in the blocks when every goroutine was refused is
	// less than the cost each would have taken.
	if got := allowed.Load(); got > int64(leaseBudget.Points) || got < int64(leaseBudget.Points)-4 {
		t.Errorf("granted %d points of a budget of %d", got, leaseBudget.Points)
	}
}

// commandCounter is a go-redis hook counting the commands and pipelines sent.
type commandCounter struct{ n atomic.Int64 }

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.n.Add(1); return next(ctx, cmd) }
}
func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { c.n.Add(1); return next(ctx, cmds) }
}

// TestLeasingRefillsOnceForConcurrentTakes: when a block runs out under
// concurrent requests, one of them takes the next block and the others wait
// for it, rather than each asking Redis for a block and refunding it.
func TestLeasingRefillsOnceForConcurrentTakes(t *testing.T) {
	c := newTestClient(t)
	calls := &commandCounter{}
	c.AddHook(calls)
	l := NewLeasing(NewShared(c, Options{Prefix: testPrefix(t, c), Timeout: 5 * time.Second}), LeaseOptions{})
	t.Cleanup(l.Close)
	b := Budget{Points: 1_000_000, Per: time.Hour} // blocks of DefaultLeaseMax = 64 points
	const goroutines, each = 32, 64
	if _, err := l.Take(context.Background(), "k", b, 1); err != nil { // the first block
		t.Fatal(err)
	}
	before := calls.n.Load()
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if r, err := l.Take(context.Background(), "k", b, 1); err != nil || !r.Allowed {
					t.Errorf("Take: %+v, %v", r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// 2,048 points are 32 blocks.
	if got, most := calls.n.Load()-before, int64(goroutines*each/DefaultLeaseMax+2); got > most {
		t.Errorf("%d Redis calls for %d points in blocks of %d, want at most %d", got, goroutines*each, DefaultLeaseMax, most)
	}
}

// A busy key's blocks grow to what this replica spends of it in about
// LeaseOptions.Window, never past 1/Share of the budget, and shrink back
// when it slows down; the budget still grants exactly what is spent.
func TestLeasingBlocksFollowTheRate(t *testing.T) {
	clock := newFakeClock()
	c := newTestClient(t)
	calls := &commandCounter{}
	c.AddHook(calls)
	p := testPrefix(t, c)
	shared := NewShared(c, Options{Prefix: p, Timeout: 5 * time.Second})
	l := NewLeasing(shared, LeaseOptions{Now: clock.Now})
	t.Cleanup(l.Close)
	ctx := context.Background()
	// At most 31,250 points a block; a year's period, so that what GCRA
	// restores on Redis's own clock while the test runs is < 1 point.
	b := Budget{Points: 1_000_000, Per: 365 * 24 * time.Hour}
	size := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.leases["k"].size
	}
	// spend takes n points one at a time, every step of the clock, letting
	// each block taken off the request path land before the next take.
	spend := func(n int, step time.Duration) {
		t.Helper()
		for range n {
			if r, err := l.Take(ctx, "k", b, 1); err != nil || !r.Allowed {
				t.Fatalf("Take: %+v, %v", r, err)
			}
			l.mu.Lock()
			ch := l.leases["k"].refill
			l.mu.Unlock()
			if ch != nil {
				<-ch
			}
			clock.Advance(step)
		}
	}
	spend(5_000, 100*time.Microsecond) // 10,000 points a second for 0.5 s
	if got := size(); got < 2_000 || got > 3_000 {
		t.Errorf("block at 10,000 points/s: %d points, want about 2,500 (250 ms of the rate)", got)
	}
	if got := calls.n.Load(); got > 30 {
		t.Errorf("%d Redis calls for 5,000 points: blocks did not grow", got)
	}
	spend(100_000, time.Microsecond) // 1,000,000 points a second
	if got, most := size(), b.Points/DefaultLeaseShare; got != most {
		t.Errorf("block at 1,000,000 points/s: %d points, want the cap %d", got, most)
	}
	spend(200, 10*time.Millisecond) // 100 points a second
	if got := size(); got != DefaultLeaseMax {
		t.Errorf("block at 100 points/s: %d points, want %d", got, DefaultLeaseMax)
	}
	l.Close() // every block goes back
	r, err := shared.Take(ctx, "k", b, 0)
	if err != nil {
		t.Fatal(err)
	}
	if spent := 5_000 + 100_000 + 200; r.Remaining > b.Points-spent+1 || r.Remaining < b.Points-spent {
		t.Errorf("shared Remaining %d after %d points were spent of %d", r.Remaining, spent, b.Points)
	}
}
