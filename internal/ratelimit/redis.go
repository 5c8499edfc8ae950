package ratelimit

import (
	"context"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is the default Redis key prefix. redis_rate adds its own
// "rate:" in front, so a budget lives at "rate:creditgraph:rl:<key>". Each
// budget is one key, so it hashes to one slot and works on Redis Cluster.
const DefaultPrefix = "creditgraph:rl:"

// Redis is a Limiter whose budgets live in Redis, shared by every replica.
// Each Take is one round trip: redis_rate's GCRA Lua script reads and updates
// the key atomically, on Redis's clock, so replicas' clocks do not matter.
// Errors from Redis are returned as they are; Shared turns them into a local
// decision.
type Redis struct {
	rl     *redis_rate.Limiter
	prefix string
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a Limiter on client (a *redis.Client, *redis.ClusterClient
// or *redis.Ring). An empty prefix means DefaultPrefix.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Redis{rl: redis_rate.NewLimiter(client), prefix: prefix}
}

func gcraLimit(b Budget) redis_rate.Limit {
	return redis_rate.Limit{Rate: b.Points, Burst: b.Limit(), Period: b.Per}
}

// Take implements Limiter.
func (r *Redis) Take(ctx context.Context, key string, b Budget, cost int) (Result, error) {
	if err := check(b, cost); err != nil {
		return Result{}, err
	}
	res, err := r.rl.AllowN(ctx, r.prefix+key, gcraLimit(b), cost)
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: redis take: %w", err)
	}
	// The script answers RetryAfter -1 when it took the cost (or cost is 0),
	// and leaves the key untouched otherwise.
	allowed := res.RetryAfter < 0
	used := usedPoints(b, res.ResetAfter)
	out := Result{
		Allowed:    allowed,
		Limit:      b.Limit(),
		Remaining:  b.Limit() - used,
		Used:       used,
		ResetAfter: max(res.ResetAfter, 0),
		Source:     SourceRedis,
	}
	if !allowed {
		out.RetryAfter = res.RetryAfter
	}
	return out, nil
}

// Refund implements Limiter with AllowN(-points), which moves the GCRA's
// theoretical arrival time back. The script only writes the key while the new
// arrival time is still in the future; a refund that fills the budget
// completely is therefore not stored, and shows as ResetAfter <= 0: then the
// key is deleted, which is what a full budget is. Between those two calls a
// Take on the same key by another request may be forgiven; that can only
// happen to a key at its full budget, and errs on the client's side.
func (r *Redis) Refund(ctx context.Context, key string, b Budget, points int) error {
	if err := checkRefund(b, points); err != nil || points == 0 {
		return err
	}
	res, err := r.rl.AllowN(ctx, r.prefix+key, gcraLimit(b), -points)
	if err != nil {
		return fmt.Errorf("ratelimit: redis refund: %w", err)
	}
	if res.ResetAfter > 0 {
		return nil
	}
	if err := r.rl.Reset(ctx, r.prefix+key); err != nil {
		return fmt.Errorf("ratelimit: redis refund: %w", err)
	}
	return nil
}
