// Package dataloader batches the per-enterprise reads of one GraphQL request
// so that a page of N enterprises with nested records costs a constant
// number of store calls, whatever N is. Loaders are made per request by
// Middleware (they capture that request's visibility and cache only for its
// lifetime) and reached with For(ctx). It must not decide visibility itself:
// the store filters every row for the captured credit.Visibility (or, for
// PreloadWhole, store.ViewRecords with the policy's views).
package dataloader

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/vikstrous/dataloadgen"
)

// wait is how long a loader collects keys before it fetches. gqlgen starts
// sibling resolvers at once, so a short window catches a whole page.
const wait = 250 * time.Microsecond

// Loaders are one request's batch loaders, all keyed by USCC.
type Loaders struct {
	V           credit.Visibility
	store       store.Reader
	fullOnce    sync.Once
	full        *Loaders
	Enterprise  *dataloadgen.Loader[string, *credit.Enterprise]
	Licenses    *dataloadgen.Loader[string, []credit.License]
	Penalties   *dataloadgen.Loader[string, []credit.Penalty]
	Inspections *dataloadgen.Loader[string, []credit.Inspection]
	Abnormal    *dataloadgen.Loader[string, []credit.Listing]
	Serious     *dataloadgen.Loader[string, []credit.Listing]
	Commitments *dataloadgen.Loader[string, []credit.Commitment]
}

// New makes the loaders of one request.
func New(r store.Reader, v credit.Visibility) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait), dataloadgen.WithBatchCapacity(500)}
	return &Loaders{
		V:           v,
		store:       r,
		Enterprise:  dataloadgen.NewLoader(fetch(v, r.EnterprisesByUSCC), opts...),
		Licenses:    dataloadgen.NewLoader(fetch(v, r.LicensesByUSCC), opts...),
		Penalties:   dataloadgen.NewLoader(fetch(v, r.PenaltiesByUSCC), opts...),
		Inspections: dataloadgen.NewLoader(fetch(v, r.InspectionsByUSCC), opts...),
		Abnormal:    dataloadgen.NewLoader(fetchList(v, credit.ListAbnormal, r.ListingsByUSCC), opts...),
		Serious:     dataloadgen.NewLoader(fetchList(v, credit.ListSerious, r.ListingsByUSCC), opts...),
		Commitments: dataloadgen.NewLoader(fetch(v, r.CommitmentsByUSCC), opts...),
	}
}

// fetch adapts a store loader, which returns results in key order, to
// dataloadgen's fetch signature.
func fetch[T any](v credit.Visibility, load func(context.Context, credit.Visibility, []string) ([]T, error)) func(context.Context, []string) ([]T, []error) {
	return func(ctx context.Context, keys []string) ([]T, []error) {
		out, err := load(ctx, v, keys)
		if err != nil {
			return nil, []error{err}
		}
		return out, nil
	}
}

func fetchList(v credit.Visibility, list credit.ListKind, load func(context.Context, credit.Visibility, credit.ListKind, []string) ([][]credit.Listing, error)) func(context.Context, []string) ([][]credit.Listing, []error) {
	return fetch(v, func(ctx context.Context, v credit.Visibility, keys []string) ([][]credit.Listing, error) {
		return load(ctx, v, list, keys)
	})
}

// Full returns loaders of the same request at REGULATOR visibility, for
// values derived from the whole record (the risk category). What they load
// must never be returned to a lower tier as it is.
func (l *Loaders) Full() *Loaders {
	if l.V.Tier == credit.TierRegulator {
		return l
	}
	l.fullOnce.Do(func() {
		l.full = New(l.store, credit.Visibility{Tier: credit.TierRegulator, AsOf: l.V.AsOf})
	})
	return l.full
}

// Reset forgets everything the loaders loaded, so the next loads read the
// store again (a subscription resolving one event after another).
func (l *Loaders) Reset() {
	l.Enterprise.ClearAll()
	l.Licenses.ClearAll()
	l.Penalties.ClearAll()
	l.Inspections.ClearAll()
	l.Abnormal.ClearAll()
	l.Serious.ClearAll()
	l.Commitments.ClearAll()
	if l.V.Tier != credit.TierRegulator {
		l.Full().Reset()
	}
}

type ctxKey struct{}

// Middleware gives each request fresh loaders for its caller's visibility,
// as of the clock's date at the start of the request.
func Middleware(r store.Reader, clock credit.Clock, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c := auth.FromContext(req.Context())
		l := New(r, credit.VisibilityAt(c.Tier, clock()))
		next.ServeHTTP(w, req.WithContext(With(req.Context(), l)))
	})
}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders. It panics when Middleware did not run:
// that is a wiring bug, not a runtime condition.
func For(ctx context.Context) *Loaders {
	return ctx.Value(ctxKey{}).(*Loaders)
}

// Want names what a page will need: its enterprises and the record kinds
// under them.
type Want = store.Kinds

// Preload fetches everything w names for a whole page of enterprises — in
// one round trip when the store reads several kinds at once
// (store.RecordsReader), else one store call per kind, run concurrently —
// and primes the loaders with the results, so the nodes' resolvers hit the
// cache. Unlike registering keys with the loaders, it does not depend on
// every key arriving within the batch window: a page costs one statement
// per kind even on a busy machine.
func (l *Loaders) Preload(ctx context.Context, usccs []string, w Want) error {
	if len(usccs) == 0 || w == (Want{}) {
		return nil
	}
	r, err := store.ReadRecords(ctx, l.store, l.V, usccs, w)
	if err != nil {
		return err
	}
	l.prime(usccs, r)
	return nil
}

// PreloadWhole is Preload of both the caller's loaders and Full()'s from
// one read of the whole record (REGULATOR visibility): the caller's are
// primed with what store.ViewRecords gives the caller of it under p, the
// policy's own views, so the rows a risk category and the caller's view
// both need are read once.
func (l *Loaders) PreloadWhole(ctx context.Context, p credit.Policy, usccs []string, w Want) error {
	if len(usccs) == 0 || w == (Want{}) {
		return nil
	}
	full := l.Full()
	r, err := store.ReadRecords(ctx, l.store, full.V, usccs, w)
	if err != nil {
		return err
	}
	if full != l {
		full.prime(usccs, r)
	}
	l.prime(usccs, store.ViewRecords(p, l.V, r))
	return nil
}

// prime primes every loader with what r read.
func (l *Loaders) prime(usccs []string, r store.Records) {
	prime(l.Enterprise, usccs, r.Enterprises)
	prime(l.Licenses, usccs, r.Licenses)
	prime(l.Penalties, usccs, r.Penalties)
	prime(l.Inspections, usccs, r.Inspections)
	prime(l.Abnormal, usccs, r.Abnormal)
	prime(l.Serious, usccs, r.Serious)
	prime(l.Commitments, usccs, r.Commitments)
}

// prime primes ld with out, in key order; nil out: the kind was not read.
func prime[T any](ld *dataloadgen.Loader[string, T], usccs []string, out []T) {
	if out == nil {
		return
	}
	for i, k := range usccs {
		ld.Prime(k, out[i])
	}
}

// PreloadEnterprises fetches a page's enterprises in one store call and
// primes the enterprise loader with them.
func (l *Loaders) PreloadEnterprises(ctx context.Context, usccs []string) error {
	return l.Preload(ctx, usccs, Want{Enterprises: true})
}
