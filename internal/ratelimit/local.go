package ratelimit

import (
	"context"
	"hash/maphash"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	localShards = 16
	// DefaultMaxLocalKeys bounds the keys the local limiter remembers.
	DefaultMaxLocalKeys = 100_000
	minSweep            = 64
)

// Local is an in-process Limiter: one golang.org/x/time/rate token bucket per
// key, holding 1/replicas of each budget. Alone it is the limiter of a single
// replica without Redis; inside Shared it is the fallback.
//
// Memory is bounded: a bucket that is full carries no state and is dropped
// when its shard is swept (amortised O(1)); past maxKeys, arbitrary buckets
// are dropped too, which forgives those keys — only under a flood of distinct
// keys.
type Local struct {
	now      func() time.Time
	replicas int
	shardCap int
	seed     maphash.Seed
	shards   [localShards]localShard
}

type localShard struct {
	mu      sync.Mutex
	buckets map[string]*localBucket
	sweepAt int
}

type localBucket struct {
	lim   *rate.Limiter
	limit rate.Limit
	burst int
}

var _ Limiter = (*Local)(nil)

// NewLocal returns a local limiter that grants each key 1/replicas of its
// budget (replicas < 1 means 1), reads time from now (nil means time.Now) and
// remembers at most about maxKeys keys (< 1 means DefaultMaxLocalKeys).
func NewLocal(replicas, maxKeys int, now func() time.Time) *Local {
	if replicas < 1 {
		replicas = 1
	}
	if maxKeys < 1 {
		maxKeys = DefaultMaxLocalKeys
	}
	if now == nil {
		now = time.Now
	}
	l := &Local{now: now, replicas: replicas, shardCap: max(maxKeys/localShards, minSweep), seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = make(map[string]*localBucket)
		l.shards[i].sweepAt = minSweep
	}
	return l
}

// share is this replica's part of b: rate and burst divided by replicas.
func (l *Local) share(b Budget) (rate.Limit, int) {
	perSecond := float64(b.Points) / float64(l.replicas) / b.Per.Seconds()
	return rate.Limit(perSecond), max(b.Limit()/l.replicas, 1)
}

func (l *Local) shard(key string) *localShard {
	return &l.shards[maphash.String(l.seed, key)%localShards]
}

// Take implements Limiter. A cost above this replica's share (but within the
// budget's Limit) is allowed when the local bucket is full, and empties it:
// expensive queries keep working during an outage, at most one per refill.
func (l *Local) Take(_ context.Context, key string, b Budget, cost int) (Result, error) {
	if err := check(b, cost); err != nil {
		return Result{}, err
	}
	s := l.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := l.now()
	bk := s.bucket(l, key, b, now)
	charge := min(cost, bk.burst)
	allowed := charge == 0 || bk.lim.AllowN(now, charge)
	tokens := bk.lim.TokensAt(now)
	res := bk.result(tokens)
	res.Allowed = allowed
	if !allowed {
		res.RetryAfter = max(bk.duration(float64(charge)-tokens), time.Nanosecond)
	}
	return res, nil
}

// Refund implements Limiter. x/time/rate has no "give back" call; AllowN with
// a negative n adds tokens, and the bucket caps them at burst on its next
// read (TestLocalRefundCaps pins that behaviour).
func (l *Local) Refund(_ context.Context, key string, b Budget, points int) error {
	if err := checkRefund(b, points); err != nil || points == 0 {
		return err
	}
	s := l.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	bk, ok := s.buckets[key]
	if !ok {
		return nil // not remembered: already full
	}
	now := l.now()
	room := float64(bk.burst) - bk.lim.TokensAt(now)
	if room <= 0 {
		return nil
	}
	bk.lim.AllowN(now, -min(points, int(math.Ceil(room))))
	return nil
}

// bucket returns key's bucket, created full or adjusted to b. Callers hold s.mu.
func (s *localShard) bucket(l *Local, key string, b Budget, now time.Time) *localBucket {
	limit, burst := l.share(b)
	bk, ok := s.buckets[key]
	if !ok {
		if len(s.buckets) >= s.sweepAt {
			s.sweep(l.shardCap, now)
		}
		bk = &localBucket{lim: rate.NewLimiter(limit, burst), limit: limit, burst: burst}
		s.buckets[key] = bk
		return bk
	}
	if bk.limit != limit || bk.burst != burst {
		bk.lim.SetLimitAt(now, limit)
		bk.lim.SetBurstAt(now, burst)
		bk.limit, bk.burst = limit, burst
	}
	return bk
}

// sweep drops full buckets, then arbitrary ones down to 3/4 of capacity, and
// sets the next sweep at twice the survivors (at most capacity), so that at
// least a quarter of capacity is inserted between sweeps: amortised O(1).
func (s *localShard) sweep(capacity int, now time.Time) {
	for k, bk := range s.buckets {
		if bk.lim.TokensAt(now) >= float64(bk.burst) {
			delete(s.buckets, k)
		}
	}
	keep := capacity * 3 / 4
	for k := range s.buckets {
		if len(s.buckets) <= keep {
			break
		}
		delete(s.buckets, k)
	}
	s.sweepAt = min(max(2*len(s.buckets), minSweep), capacity)
}

func (bk *localBucket) duration(tokens float64) time.Duration {
	if tokens <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(tokens / float64(bk.limit) * float64(time.Second)))
}

func (bk *localBucket) result(tokens float64) Result {
	remaining := min(max(int(math.Floor(tokens)), 0), bk.burst)
	return Result{
		Limit:      bk.burst,
		Remaining:  remaining,
		Used:       bk.burst - remaining,
		ResetAfter: bk.duration(float64(bk.burst) - tokens),
		Source:     SourceLocal,
	}
}
