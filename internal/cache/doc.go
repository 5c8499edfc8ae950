// Package cache owns the response cache: answers keyed by tier, normalised
// document, operation, canonical variables and disclosure day (AsOf), stored
// in Redis and shared by every gateway replica, with exact invalidation by
// versioned tags and an in-process fallback while Redis is absent, failing or
// slow. It never fails a request because of Redis: it computes instead.
//
// The package stores and validates bytes; it does not decide what a tier may
// see, normalise documents, pick tags, or serialise answers: the caller does,
// and must key every answer by everything it depends on (see Key). It writes
// no Redis key outside its prefix and never deletes or flushes anything.
package cache
