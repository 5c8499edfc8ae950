package gqlcache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// PersistedQueries is the store of automatic persisted queries (for APQ):
// documents by tier and SHA-256, in Redis so that a hash registered on one
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

// APQ is automatic persisted queries (Apollo's protocol) with a namespace
// per tier: a document is registered under its caller's tier, and only once
// it has passed that tier's validation, so a hash resolves only for callers
// of a tier whose schema validates the document. A PUBLIC caller sending the
// hash of a REGULATOR query gets PERSISTED_QUERY_NOT_FOUND, exactly as for a
// hash nobody registered: it learns neither the hidden field names nor that
// someone ran it. Every refusal carries a code and a message naming what
// was wrong.
type APQ struct {
	store graphql.Cache[string]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = APQ{}

// NewAPQ returns the APQ extension on store.
func NewAPQ(store graphql.Cache[string]) APQ { return APQ{store: store} }

func (APQ) ExtensionName() string                   { return "AutomaticPersistedQueries" }
func (APQ) Validate(graphql.ExecutableSchema) error { return nil }

// apqStat is where MutateOperationParameters leaves the key a document sent
// with its hash is to be registered under once it validates.
const apqStat = "creditgraph/apq-register"

// MutateOperationParameters resolves a persisted hash to its document, or
// checks the hash of a document sent with one.
func (a APQ) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	raw, ok := p.Extensions["persistedQuery"]
	if !ok {
		return nil
	}
	hash, err := persistedHash(raw)
	if err != nil {
		return err
	}
	key := auth.FromContext(ctx).Tier.String() + ":" + hash
	if p.Query == "" {
		q, found := a.store.Get(ctx, key)
		if !found {
			return &gqlerror.Error{Message: "PersistedQueryNotFound", Extensions: map[string]any{"code": apierr.PersistedQueryNotFound}}
		}
		p.Query = q
		return nil
	}
	sum := sha256.Sum256([]byte(p.Query))
	if hex.EncodeToString(sum[:]) != hash {
		return apqError("persisted query: extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it")
	}
	if graphql.HasOperationContext(ctx) {
		graphql.GetOperationContext(ctx).Stats.SetExtension(apqStat, key)
	}
	return nil
}

// MutateOperationContext registers a document sent with its hash, now that
// it has passed the caller's tier's validation.
func (a APQ) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if key, ok := oc.Stats.GetExtension(apqStat).(string); ok {
		a.store.Add(ctx, key, oc.RawQuery)
	}
	return nil
}

// persistedHash reads {"version": 1, "sha256Hash": "<64 hex digits>"}.
func persistedHash(raw any) (string, *gqlerror.Error) {
	m, ok := raw.(map[string]any)
	if !ok {
		return "", apqError(`persisted query: extensions.persistedQuery must be {"version": 1, "sha256Hash": "<64 hex digits>"}`)
	}
	switch v := m["version"].(type) {
	case json.Number:
		if v.String() != "1" {
			return "", apqError("persisted query: only extensions.persistedQuery.version 1 is supported")
		}
	case float64:
		if v != 1 {
			return "", apqError("persisted query: only extensions.persistedQuery.version 1 is supported")
		}
	default:
		return "", apqError("persisted query: extensions.persistedQuery.version must be 1")
	}
	hash, _ := m["sha256Hash"].(string)
	if b, err := hex.DecodeString(hash); err != nil || len(b) != sha256.Size {
		return "", apqError("persisted query: extensions.persistedQuery.sha256Hash must be 64 hex digits")
	}
	return strings.ToLower(hash), nil
}

func apqError(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": apierr.BadUserInput}}
}
