// Package gqlcache puts package cache in front of the GraphQL read path and
// behind the store's write path. It owns the tag scheme that ties them:
// every store read made while an answer is computed names the tags the
// answer depends on (Tagging), every write bumps the tags it could have
// changed (Invalidating), so an answer is served again only while nothing
// it shows has been written. It also owns what HTTP sees of caching: ETag,
// Cache-Control and 304 for PUBLIC GET answers, and automatic persisted
// queries (APQ), kept per tier.
//
// What an answer may contain is decided upstream, by the tier's schema and
// the store's disclosure filter; this package only makes sure an answer is
// reused for exactly the same tier, document, operation, variables and
// disclosure day, and never after a write that could change it.
package gqlcache
