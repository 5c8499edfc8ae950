// Package redisguard bounds every call to Redis with a per-call timeout and a
// circuit breaker, so that a dead or slow Redis is never waited on: a call
// that fails, or outlives its timeout, counts against the breaker, and an open
// breaker skips Redis until a probe after the cooldown succeeds. Callers
// (internal/ratelimit, internal/cache) fall back to their own local state
// whenever a call is skipped or fails.
//
// It owns no data and no key layout: callers pass the Redis work as a
// function, and report metrics and log transitions through callbacks.
package redisguard
