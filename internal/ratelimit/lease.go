package ratelimit

import (
	"context"
	"sync"
	"time"
)

// SourceLease is the source of a decision taken from this replica's lease
// of a shared budget (see Leasing), in Result.Source and metrics.
const SourceLease = "lease"

// Defaults for LeaseOptions.
const (
	DefaultLeaseShare  = 32
	DefaultLeaseMax    = 64
	DefaultLeaseIdle   = 500 * time.Millisecond
	DefaultLeaseWindow = 250 * time.Millisecond
)

// LeaseOptions configures Leasing.
type LeaseOptions struct {
	// Share: a block holds at most 1/Share of a budget's Limit (a lease
	// holds less than two: the next block is taken when half of one is
	// spent, off the request path), so all the
	// replicas' leases together keep a small part of a budget from the
	// others, and a budget under 2×Share points is never leased (each Take
	// goes to the shared limiter, exactly as without Leasing). 0 means
	// DefaultLeaseShare.
	Share int
	// Max is a block's size in points for a key this replica spends
	// slowly; 0 means DefaultLeaseMax. A busy key's blocks grow with its
	// rate (Window), never past 1/Share of the budget.
	Max int
	// Window: a key's block holds what this replica spent of it in about
	// Window, as measured between its last two blocks (at least Max points,
	// at most 1/Share of the budget), so that half a block outlasts the
	// Redis round trip that takes the next one even at tens of thousands
	// of points a second. 0 means DefaultLeaseWindow; below 0, blocks are
	// always Max points.
	Window time.Duration
	// Idle: a lease unused for this long is given back to the shared
	// budget. 0 means DefaultLeaseIdle.
	Idle time.Duration
	// Now is the clock of idleness; nil means time.Now.
	Now func() time.Time
	// Metrics counts the decisions taken from leases (SourceLease); nil
	// means none. The shared limiter counts its own.
	Metrics Metrics
}

// Leasing is a Limiter that takes points from a shared limiter (Shared: one
// GCRA in Redis) in small blocks and spends them in process, so that most
// decisions on a busy key cost no Redis round trip. The budget stays one
// shared budget: a block is taken from it like any cost (so GCRA restores
// it at the budget's rate), points refunded go back into the block, and a
// block idle for LeaseOptions.Idle is refunded to the shared budget. A
// decision from a block reports Remaining as the shared budget's Remaining
// when the block was taken plus what is left of the block, which is what
// the shared budget would say for this replica alone; other replicas'
// unspent blocks count as used until they are spent or given back.
//
// A cost the block cannot cover takes a new block of the cost plus a lease
// from the shared limiter; when the budget cannot give that much, the cost
// alone is asked for, so a client is throttled exactly where it would be
// without leases. Decisions the shared limiter takes locally (Redis
// unreachable) are never leased.
type Leasing struct {
	inner   Limiter
	opts    LeaseOptions
	mu      sync.Mutex
	leases  map[string]*lease
	sweeper sync.Once
	closing sync.Once
	stop    chan struct{}
	done    chan struct{}
	giving  sync.WaitGroup // blocks being given back off the request path
}

type lease struct {
	b         Budget
	points    int       // unspent points of the block
	remaining int       // the shared budget's Remaining when the block was last taken
	reset     time.Time // when the shared budget would be full, as of that take
	used      time.Time // last decision or refund
	// size is the key's block size now (see LeaseOptions.Window); spent
	// counts the points taken from the lease since, when the last block
	// was asked for.
	size  int
	spent int
	since time.Time
	// refill is closed when the take of the next block, in flight, ends;
	// nil when none is.
	refill chan struct{}
}

var _ Limiter = (*Leasing)(nil)

// NewLeasing returns a Leasing limiter over inner.
func NewLeasing(inner Limiter, opts LeaseOptions) *Leasing {
	if opts.Share < 1 {
		opts.Share = DefaultLeaseShare
	}
	if opts.Max < 1 {
		opts.Max = DefaultLeaseMax
	}
	if opts.Idle <= 0 {
		opts.Idle = DefaultLeaseIdle
	}
	if opts.Window == 0 {
		opts.Window = DefaultLeaseWindow
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Metrics == nil {
		opts.Metrics = nopMetrics{}
	}
	return &Leasing{inner: inner, opts: opts, leases: map[string]*lease{},
		stop: make(chan struct{}), done: make(chan struct{})}
}

// size is how many points a block of b holds for a key spent slowly: a
// budget whose size is under 2 is never leased.
func (l *Leasing) size(b Budget) int {
	return min(l.opts.Max, b.Limit()/l.opts.Share)
}

// resize sets ls's block size from the points spent since the last
// measurement, when that is long enough ago, and starts the next one.
// The size stays between l.size(b) and 1/Share of the budget. Called with
// l.mu held, when a block is about to be asked for.
func (l *Leasing) resize(ls *lease, now time.Time) int {
	base := l.size(ls.b)
	if ls.size < base {
		ls.size = base
	}
	// A rate is measured over at least 1/16 of the window (several blocks
	// when they are small), so that a burst of concurrent requests does not
	// read as a rate.
	if elapsed := now.Sub(ls.since); l.opts.Window > 0 && elapsed >= l.opts.Window/16 {
		want := int(min(float64(ls.spent)*float64(l.opts.Window)/float64(elapsed), float64(ls.b.Limit())))
		ls.size = max(base, min(want, ls.b.Limit()/l.opts.Share))
		ls.spent, ls.since = 0, now
	}
	return ls.size
}

// Take implements Limiter.
func (l *Leasing) Take(ctx context.Context, key string, b Budget, cost int) (Result, error) {
	if err := check(b, cost); err != nil {
		return Result{}, err
	}
	if l.size(b) < 2 {
		return l.inner.Take(ctx, key, b, cost)
	}
	now := l.opts.Now()
	have := 0 // the block's points, taken out while a bigger block is asked for
	size := 0 // the block asked for
	l.mu.Lock()
	for {
		ls := l.leases[key]
		if ls == nil || ls.b != b {
			size = l.size(b)
			break
		}
		if ls.points >= cost {
			ls.points -= cost
			ls.spent += cost
			ls.used = now
			res := ls.result(now)
			if ls.refill == nil && now.Sub(ls.since) >= l.opts.Window && l.opts.Window > 0 {
				// A window without a new block: the key slowed down.
				// Keep at most a block and a half of its new size.
				if extra := ls.points - l.resize(ls, now)*3/2; extra > 0 {
					ls.points -= extra
					ls.remaining += extra
					l.giving.Go(func() { l.giveBack(key, b, extra) })
				}
			}
			if cost > 0 && ls.points < ls.size/2 && ls.refill == nil {
				// Half spent: take the next block now, off the request
				// path, so that no request waits for Redis when this one
				// runs out.
				ch := make(chan struct{})
				ls.refill = ch
				go l.prefetch(key, b, ls, ch, l.resize(ls, now))
			}
			l.mu.Unlock()
			l.opts.Metrics.Decision(SourceLease, outcomeOf(res, cost))
			return res, nil
		}
		if cost == 0 {
			break
		}
		if ls.refill != nil && cost <= ls.size {
			// Another request is taking the next block: wait for it
			// rather than asking Redis too (a burst of concurrent
			// requests would each take a block, then refund it).
			ch := ls.refill
			l.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
				return l.inner.Take(ctx, key, b, cost) // decides as without a lease
			}
			now = l.opts.Now()
			l.mu.Lock()
			continue
		}
		have, ls.points = ls.points, 0
		size = l.resize(ls, now)
		refilled := make(chan struct{})
		ls.refill = refilled
		defer func() {
			l.mu.Lock()
			if ls.refill == refilled { // ls may have been replaced meanwhile: then it holds none
				ls.refill = nil
			}
			l.mu.Unlock()
			close(refilled)
		}()
		break
	}
	l.mu.Unlock()
	if cost == 0 {
		return l.inner.Take(ctx, key, b, 0)
	}
	want := min(cost-have+size, b.Limit())
	res, err := l.inner.Take(ctx, key, b, want)
	if err != nil || !res.Allowed || res.Source != SourceRedis {
		l.putBack(ctx, key, b, have)
		if err != nil {
			return res, err
		}
		if res.Allowed { // decided locally: give the surplus back, keep no lease
			_ = l.inner.Refund(ctx, key, b, want-cost+have)
			res.Remaining = min(res.Remaining+want-cost+have, res.Limit)
			res.Used = res.Limit - res.Remaining
			return res, nil
		}
		return l.inner.Take(ctx, key, b, cost) // not that much left: the cost alone
	}
	l.start()
	now = l.opts.Now()
	l.mu.Lock()
	ls := l.leases[key]
	if ls == nil || ls.b != b {
		if ls != nil { // the key's budget changed: give the old block back
			old, pts := ls.b, ls.points
			l.giving.Go(func() { l.giveBack(key, old, pts) })
		}
		ls = &lease{b: b, size: size, since: now}
		l.leases[key] = ls
	}
	ls.points += have + want - cost
	ls.spent += cost
	ls.remaining = res.Remaining
	extra := ls.points - max(size, ls.size) // concurrent takes leased more than a block
	if extra > 0 {
		ls.points -= extra
		ls.remaining += extra
	}
	ls.reset = now.Add(res.ResetAfter)
	ls.used = now
	out := ls.result(now)
	l.mu.Unlock()
	if extra > 0 {
		_ = l.inner.Refund(ctx, key, b, extra)
	}
	return out, nil
}

// prefetch adds a block of size points to ls, key's lease, from the shared
// budget, then closes ch. A block the budget cannot spare is not taken (the
// requests that follow ask for their own cost, as without a lease); one
// granted after ls was given back or replaced goes back at once.
func (l *Leasing) prefetch(key string, b Budget, ls *lease, ch chan struct{}, size int) {
	defer func() {
		l.mu.Lock()
		if ls.refill == ch {
			ls.refill = nil
		}
		l.mu.Unlock()
		close(ch)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	res, err := l.inner.Take(ctx, key, b, size)
	if err != nil || !res.Allowed {
		return
	}
	if res.Source != SourceRedis { // decided locally (Redis failing): keep no lease
		_ = l.inner.Refund(ctx, key, b, size)
		return
	}
	l.mu.Lock()
	if l.leases[key] != ls {
		l.mu.Unlock()
		_ = l.inner.Refund(ctx, key, b, size)
		return
	}
	ls.points += size
	ls.remaining = res.Remaining
	ls.reset = l.opts.Now().Add(res.ResetAfter)
	l.mu.Unlock()
}

// putBack returns points taken out of key's block to it, or to the shared
// budget when the block is gone.
func (l *Leasing) putBack(ctx context.Context, key string, b Budget, points int) {
	if points == 0 {
		return
	}
	l.mu.Lock()
	if ls := l.leases[key]; ls != nil && ls.b == b {
		ls.points += points
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	_ = l.inner.Refund(ctx, key, b, points)
}

// result is the decision of a take served from the lease.
func (ls *lease) result(now time.Time) Result {
	rem := min(ls.remaining+ls.points, ls.b.Limit())
	return Result{Allowed: true, Limit: ls.b.Limit(), Remaining: rem, Used: ls.b.Limit() - rem,
		ResetAfter: max(ls.reset.Sub(now), 0), Source: SourceRedis}
}

// Refund implements Limiter: points go back into the key's block when it
// has one (they were taken from the shared budget with it), else to the
// shared limiter.
func (l *Leasing) Refund(ctx context.Context, key string, b Budget, points int) error {
	if err := checkRefund(b, points); err != nil || points == 0 {
		return err
	}
	l.mu.Lock()
	if ls := l.leases[key]; ls != nil && ls.b == b {
		ls.points += points
		ls.used = l.opts.Now()
		if most := 2 * max(ls.size, l.size(b)); ls.points > most { // more than a block and a prefetched one: the surplus goes back now
			extra := ls.points - most
			ls.points -= extra
			ls.remaining += extra
			l.mu.Unlock()
			return l.inner.Refund(ctx, key, b, extra)
		}
		l.mu.Unlock()
		return nil
	}
	l.mu.Unlock()
	return l.inner.Refund(ctx, key, b, points)
}

// start runs the sweeper that gives idle leases back, once.
func (l *Leasing) start() {
	l.sweeper.Do(func() {
		go func() {
			defer close(l.done)
			t := time.NewTicker(l.opts.Idle / 2)
			defer t.Stop()
			for {
				select {
				case <-l.stop:
					l.release(func(*lease) bool { return true })
					return
				case <-t.C:
					l.sweep()
				}
			}
		}()
	})
}

// sweep gives back the leases idle for LeaseOptions.Idle.
func (l *Leasing) sweep() {
	now := l.opts.Now()
	l.release(func(ls *lease) bool { return now.Sub(ls.used) >= l.opts.Idle })
}

// release gives back the leases idle says so of.
func (l *Leasing) release(idle func(*lease) bool) {
	type back struct {
		key    string
		b      Budget
		points int
	}
	var out []back
	l.mu.Lock()
	for k, ls := range l.leases {
		if idle(ls) {
			out = append(out, back{k, ls.b, ls.points})
			delete(l.leases, k)
		}
	}
	l.mu.Unlock()
	for _, r := range out {
		l.giveBack(r.key, r.b, r.points)
	}
}

func (l *Leasing) giveBack(key string, b Budget, points int) {
	if points <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = l.inner.Refund(ctx, key, b, points)
}

// Close gives every lease back to the shared budget and stops the sweeper.
func (l *Leasing) Close() {
	l.closing.Do(func() {
		close(l.stop)
		l.sweeper.Do(func() { close(l.done) }) // never started
		<-l.done
		l.release(func(*lease) bool { return true })
		l.giving.Wait()
	})
}
