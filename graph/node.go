package graph

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Relay Global Object Identification. A global ID is the unpadded base64url
// text of "kind:natural key" (kind as store.RecordKind names it), so it is
// stable across replicas, stores and re-imports, and names the record, not
// a row of one database. Clients are told it is opaque.

// MaxNodeIDs is the most IDs nodes(ids:) takes, like a connection's `first`.
const MaxNodeIDs = store.MaxFirst

// GlobalID is the global ID of the record of kind with natural key key.
func GlobalID(kind store.RecordKind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(kind) + ":" + key))
}

// ParseGlobalID returns the record a global ID names. The error says only
// that the text is not a global ID: it never echoes what was decoded.
func ParseGlobalID(id string) (store.RecordKey, error) {
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err == nil {
		kind, key, ok := strings.Cut(string(raw), ":")
		if ok && key != "" && slices.Contains(store.RecordKinds, store.RecordKind(kind)) {
			return store.RecordKey{Kind: store.RecordKind(kind), Key: key}, nil
		}
	}
	return store.RecordKey{}, errNotGlobalID()
}

func errNotGlobalID() error {
	return apierr.BadInput("`id` is not a global ID of this API: take it from an object's `id` field")
}

func (r *queryResolver) node(ctx context.Context, id string) (model.Node, error) {
	found, err := r.nodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return found[0], nil
}

// nodes reads the records the IDs name in one store call, through the
// caller's visibility: a record the caller may not see is nil, exactly as an
// unknown one.
func (r *queryResolver) nodes(ctx context.Context, ids []string) ([]model.Node, error) {
	if len(ids) > MaxNodeIDs {
		return nil, apierr.BadInput("`ids` takes at most %d IDs, got %d", MaxNodeIDs, len(ids))
	}
	keys := make([]store.RecordKey, len(ids))
	for i, id := range ids {
		k, err := ParseGlobalID(id)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	l := dataloader.For(ctx)
	recs, err := r.Store.RecordsByKey(ctx, l.V, keys)
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(recs))
	for i, rec := range recs {
		out[i] = nodeOf(rec)
		if rec != nil && rec.Enterprise != nil {
			l.Enterprise.Prime(rec.Enterprise.USCC, rec.Enterprise)
		}
	}
	return out, nil
}

// nodeOf is the one object a record holds, or nil (an untyped nil, which
// the executor renders as null).
func nodeOf(rec *store.Record) model.Node {
	switch {
	case rec == nil:
		return nil
	case rec.Enterprise != nil:
		return rec.Enterprise
	case rec.License != nil:
		return rec.License
	case rec.Penalty != nil:
		return rec.Penalty
	case rec.Inspection != nil:
		return rec.Inspection
	case rec.Listing != nil:
		return rec.Listing
	case rec.Commitment != nil:
		return rec.Commitment
	case rec.TypicalCase != nil:
		return rec.TypicalCase
	}
	return nil
}
