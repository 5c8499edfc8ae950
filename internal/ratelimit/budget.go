package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Sources of a decision, as reported in Result.Source and in metrics.
const (
	SourceRedis = "redis"
	SourceLocal = "local"
)

// Errors returned for bad input. Take and Refund never return an error because
// Redis is unreachable when called through Shared.
var (
	ErrInvalidBudget    = errors.New("ratelimit: invalid budget")
	ErrInvalidCost      = errors.New("ratelimit: invalid cost")
	ErrCostExceedsLimit = errors.New("ratelimit: cost exceeds the budget's limit")
)

// Budget is a cost budget: Points restored evenly over Per, of which at most
// Burst may be spent at once. Burst 0 means Points, the usual "N points per
// hour" budget (PUBLIC 1,000/hour, PARTNER 20,000/hour, …).
type Budget struct {
	Points int
	Per    time.Duration
	Burst  int
}

// Limit is the most points that may be available at once.
func (b Budget) Limit() int {
	if b.Burst > 0 {
		return b.Burst
	}
	return b.Points
}

// interval is the time in which one point is restored.
func (b Budget) interval() time.Duration {
	return b.Per / time.Duration(b.Points)
}

func (b Budget) validate() error {
	if b.Points <= 0 || b.Per <= 0 || b.Burst < 0 || b.Per < time.Duration(b.Points) {
		return fmt.Errorf("%w: %d points per %s, burst %d", ErrInvalidBudget, b.Points, b.Per, b.Burst)
	}
	return nil
}

// check validates a Take.
func check(b Budget, cost int) error {
	if err := b.validate(); err != nil {
		return err
	}
	if cost < 0 {
		return fmt.Errorf("%w: %d", ErrInvalidCost, cost)
	}
	if cost > b.Limit() {
		return fmt.Errorf("%w: cost %d, limit %d", ErrCostExceedsLimit, cost, b.Limit())
	}
	return nil
}

// checkRefund validates a Refund.
func checkRefund(b Budget, points int) error {
	if err := b.validate(); err != nil {
		return err
	}
	if points < 0 {
		return fmt.Errorf("%w: refund of %d", ErrInvalidCost, points)
	}
	return nil
}

// Result is one decision, with what a client needs to see (GitHub's rateLimit
// object, Shopify's throttleStatus, Retry-After).
type Result struct {
	// Allowed reports whether the cost was taken. A dry run (cost 0) is
	// always allowed and takes nothing.
	Allowed bool
	// Limit is the most points available at once: the budget's Limit when
	// Source is "redis", this replica's share of it when Source is "local".
	Limit int
	// Remaining is what may be spent now, after this decision.
	Remaining int
	// Used is Limit - Remaining: spent points not yet restored.
	Used int
	// RetryAfter is zero when allowed; otherwise how long until this cost
	// would be allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until Remaining is back to Limit.
	ResetAfter time.Duration
	// Source is SourceRedis or SourceLocal.
	Source string
}

// Limiter takes points from a key's budget.
type Limiter interface {
	// Take spends cost points from key's budget if they are available. Cost 0
	// is a dry run: it reports the state and spends nothing.
	Take(ctx context.Context, key string, b Budget, cost int) (Result, error)
	// Refund gives points back to key's budget (requested cost greater than
	// actual cost). A budget never refills past its Limit.
	Refund(ctx context.Context, key string, b Budget, points int) error
}

// usedPoints turns "time until the budget is full again" into whole spent
// points. The tolerance absorbs float rounding in the GCRA arithmetic (the
// Redis script works in float seconds since 2017) so that a fresh budget after
// one point reads Limit-1, not Limit-2.
func usedPoints(b Budget, resetAfter time.Duration) int {
	if resetAfter <= 0 {
		return 0
	}
	used := int(math.Ceil(float64(resetAfter)/float64(b.interval()) - 0.01))
	return min(max(used, 0), b.Limit())
}
