package gqlcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/audit"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/cost"
)

// Cacheable root fields: answers made only of these are the same for every
// caller of a tier on a day. viewer, rateLimit and auditLog describe the
// caller or change with every read, so an operation selecting any of them
// is never cached. node and nodes are not cached either: the null answer to
// an ID of a record not yet imported names no enterprise whose tag a write
// could bump.
var cacheableRoots = map[string]bool{
	"enterprise":            true,
	"enterprises":           true,
	"seriousDishonestyList": true,
	"abnormalOperationList": true,
	"typicalCases":          true,
	"__typename":            true,
}

// Extension is the response cache as a gqlgen extension. Register it after
// the cost and meter extensions: a cached answer is priced and charged like
// a computed one. It caches query operations whose root fields are all
// cacheable, keyed by tier, normalised document, operation name, canonical
// variables and the disclosure day. An answer with errors, or one that put
// REGULATOR fields in the audit trail, is never stored (an audited read must
// be computed, to be audited).
type Extension struct {
	Cache *cache.Cache
	// Normalised maps a raw document to its normalised text; New sizes it.
	normalised *lru.LRU[string]
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = (*Extension)(nil)

// NewExtension returns the extension on c, remembering the normalised text
// of up to size documents.
func NewExtension(c *cache.Cache, size int) *Extension {
	return &Extension{Cache: c, normalised: lru.New[string](max(size, 1))}
}

func (*Extension) ExtensionName() string                   { return "ResponseCache" }
func (*Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse answers from the cache, or computes, stores and answers.
func (e *Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	st := stateFrom(ctx)
	if len(graphql.GetErrors(ctx)) > 0 {
		// gqlgen's DispatchError: the operation was refused before it ran
		// (THROTTLED, MAX_COST_EXCEEDED, …) and the response middleware
		// only wraps the errors. Answering from the cache here would serve
		// the refused query.
		st.set(StatusBypass, "")
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if !cacheable(oc) {
		st.set(StatusBypass, "")
		return next(ctx)
	}
	vars, err := json.Marshal(oc.Variables) // map keys sorted: canonical
	if err != nil {
		st.set(StatusBypass, "")
		return next(ctx)
	}
	key := cache.Key{
		Tier:      auth.FromContext(ctx).Tier.String(),
		Document:  e.normalise(ctx, oc),
		Operation: oc.OperationName,
		Variables: vars,
		AsOf:      dataloader.For(ctx).V.AsOf.Format(time.DateOnly),
	}
	var computed *graphql.Response
	var unshareable bool
	data, hit, err := e.Cache.DoTagged(ctx, key, func(ctx context.Context) (cache.Computed, error) {
		ctx, tags := collect(ctx)
		resp := next(ctx)
		computed = resp
		if resp == nil {
			unshareable = true
			return cache.Computed{}, nil
		}
		ok := len(resp.Errors) == 0 && len(resp.Data) > 0
		if t := audit.From(ctx); t != nil && !t.Empty() {
			ok = false
		}
		value := resp.Data
		if ok {
			// Stored as json.Marshal emits it (compact, HTML-escaped), so
			// FastPath can write it as is, byte for byte what gqlgen writes.
			b, err := json.Marshal(resp.Data)
			if err != nil {
				ok = false
			} else {
				value = b
			}
		}
		unshareable = !ok
		return cache.Computed{Value: value, Tags: tags.list(), Store: ok}, nil
	})
	switch {
	case err != nil: // only a context error: the request timed out or was abandoned
		return &graphql.Response{Errors: gqlerror.List{{
			Message:    "the request ran out of time before its answer was ready; retry later",
			Extensions: map[string]any{"code": apierr.Unavailable},
		}}}
	case computed != nil && (len(computed.Errors) > 0 || len(computed.Data) == 0):
		// This caller's own answer, with its errors and extensions.
		st.set(StatusMiss, "")
		return computed
	}
	status := StatusMiss
	if hit {
		status = StatusHit
	}
	if !unshareable {
		c, _ := cost.OfOperation(oc)
		record(ctx, route{id: key.ID(), requested: max(1, c.Requested), nodes: c.Nodes})
	}
	st.set(status, etag(data, st))
	resp := &graphql.Response{Data: data}
	if computed != nil {
		resp.Extensions = computed.Extensions
	}
	return resp
}

// cacheable reports whether oc is a query made only of cacheable root fields.
func cacheable(oc *graphql.OperationContext) bool {
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return false
	}
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
		if !cacheableRoots[f.Name] {
			return false
		}
	}
	return true
}

// normalise returns the document's canonical text: formatting, comments and
// whitespace do not split the cache.
func (e *Extension) normalise(ctx context.Context, oc *graphql.OperationContext) string {
	if s, ok := e.normalised.Get(ctx, oc.RawQuery); ok {
		return s
	}
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithCompacted()).FormatQueryDocument(oc.Doc)
	s := b.String()
	e.normalised.Add(ctx, oc.RawQuery, s)
	return s
}

// etag is the weak entity tag of an answer's data, when the request wants
// one (a PUBLIC GET). Weak: the body also carries this request's cost.
func etag(data []byte, st *state) string {
	if st == nil || !st.wantETag {
		return ""
	}
	sum := sha256.Sum256(data)
	return `W/"` + hex.EncodeToString(sum[:16]) + `"`
}
