// Package ratelimit owns cost-based request budgets. A key (an API key or an
// anonymous client address, chosen by the caller) draws points from a Budget;
// the budget is kept as a GCRA state in Redis so that every gateway replica
// draws on one shared budget. When Redis is absent, failing or slow, Shared
// decides locally with this replica's share of the budget, behind a circuit
// breaker, and never fails the request because of Redis. Concurrency is a
// separate, per-replica limit on requests in flight.
//
// The package decides and reports (Result); it does not price queries, map
// tiers to budgets, or write HTTP headers and GraphQL errors: those belong to
// the caller. It writes no Redis key outside its prefix.
package ratelimit
