package gqlcache

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/creditgraph/creditgraph/internal/apierr"

	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// PersistedQueries is the store of automatic persisted queries
// (graphql.Cache[string] for gqlgen's extension.AutomaticPersistedQuery):
// documents by their SHA-256, in Redis so that a hash registered on one
// replica works on every other, behind an in-process LRU. Since a hash names
// exactly one document (gqlgen checks it before Add), the LRU is never stale,
// and while Redis is down or slow the replica keeps serving what it knows.
type PersistedQueries struct {
	client redis.UniversalClient // nil: in-process only
	guard  *redisguard.Guard
	local  *lru.LRU[string]
	prefix string
	ttl    time.Duration
}

var _ graphql.Cache[string] = (*PersistedQueries)(nil)

// PersistedQueryOptions configures NewPersistedQueries.
type PersistedQueryOptions struct {
	Prefix    string        // of every Redis key
	TTL       time.Duration // of a document unused for this long; 0 → 30 days
	LocalSize int           // documents kept in process; 0 → 1000
	Timeout   time.Duration // of each Redis call; 0 → 30 ms
	Now       func() time.Time
}

// NewPersistedQueries returns the APQ store on client (nil: in-process).
func NewPersistedQueries(client redis.UniversalClient, o PersistedQueryOptions) *PersistedQueries {
	if o.TTL <= 0 {
		o.TTL = 30 * 24 * time.Hour
	}
	if o.LocalSize <= 0 {
		o.LocalSize = 1000
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	b := redisguard.NewBreaker(3, 5*time.Second, o.Now, func(string) {})
	return &PersistedQueries{client: client, guard: redisguard.NewGuard(client, o.Timeout, b, nil),
		local: lru.New[string](o.LocalSize), prefix: o.Prefix, ttl: o.TTL}
}

// Get returns the document registered under hash.
func (p *PersistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := p.local.Get(ctx, hash); ok {
		return q, true
	}
	q, err := redisguard.Call(ctx, p.guard, func(ctx context.Context) (string, error) {
		return p.client.GetEx(ctx, p.prefix+hash, p.ttl).Result()
	})
	if err != nil {
		return "", false // redis.Nil, or Redis unreachable: the client resends the document
	}
	p.local.Add(ctx, hash, q)
	return q, true
}

// Add registers a document under its hash, here and in Redis.
func (p *PersistedQueries) Add(ctx context.Context, hash, query string) {
	p.local.Add(ctx, hash, query)
	_, _ = redisguard.Call(ctx, p.guard, func(ctx context.Context) (struct{}, error) {
		err := p.client.Set(ctx, p.prefix+hash, query, p.ttl).Err()
		if errors.Is(err, redis.Nil) {
			err = nil
		}
		return struct{}{}, err
	})
}

// APQ is gqlgen's automatic persisted queries on store, with a code and a
// message naming what was wrong on every refusal (gqlgen's own carry no code
// but PERSISTED_QUERY_NOT_FOUND, which clients act on and is kept as is).
type APQ struct {
	extension.AutomaticPersistedQuery
}

var _ graphql.OperationParameterMutator = APQ{}

// NewAPQ returns the APQ extension on store.
func NewAPQ(store graphql.Cache[string]) APQ {
	return APQ{extension.AutomaticPersistedQuery{Cache: store}}
}

// MutateOperationParameters resolves a persisted hash to its document.
func (a APQ) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	err := a.AutomaticPersistedQuery.MutateOperationParameters(ctx, p)
	if err == nil || err.Extensions["code"] != nil {
		return err
	}
	msg := "persisted query: " + err.Message
	switch err.Message {
	case "provided APQ hash does not match query":
		msg = "persisted query: extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it"
	case "invalid APQ extension data":
		msg = `persisted query: extensions.persistedQuery must be {"version": 1, "sha256Hash": "<64 hex digits>"}`
	case "unsupported APQ version":
		msg = "persisted query: only extensions.persistedQuery.version 1 is supported"
	}
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": apierr.BadUserInput}}
}
