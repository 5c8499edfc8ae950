package store

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Kinds names what a read of several enterprises needs: the enterprises
// themselves and the record kinds nested under them.
type Kinds struct {
	Enterprises, Licenses, Penalties, Inspections, Abnormal, Serious, Commitments bool
}

// Records holds, in key order, what RecordsByUSCC read; a kind that was not
// asked for is nil.
type Records struct {
	Enterprises []*credit.Enterprise
	Licenses    [][]credit.License
	Penalties   [][]credit.Penalty
	Inspections [][]credit.Inspection
	Abnormal    [][]credit.Listing
	Serious     [][]credit.Listing
	Commitments [][]credit.Commitment
}

// RecordsReader is a Reader that reads several kinds of a set of
// enterprises in one round trip (PostgreSQL: one UNION ALL statement). Its answer must equal that of the Reader's *ByUSCC methods
// called one by one; the conformance suite checks it. A store decorator that
// notes what was read (the response cache's tags) must implement it itself,
// or a read would bypass it: ReadRecords then falls back to the decorator's
// own per-kind methods.
type RecordsReader interface {
	RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k Kinds) (Records, error)
}

// ReadRecords reads what k names for usccs: in one call when r is a
// RecordsReader, otherwise with one call per kind, run concurrently.
func ReadRecords(ctx context.Context, r Reader, v credit.Visibility, usccs []string, k Kinds) (Records, error) {
	if rr, ok := r.(RecordsReader); ok {
		return rr.RecordsByUSCC(ctx, v, usccs, k)
	}
	return ReadRecordsByKind(ctx, r, v, usccs, k)
}

// ReadRecordsByKind reads what k names for usccs with one Reader call per
// kind, run concurrently: what ReadRecords does for a store without a batch
// of its own, and what a RecordsReader must agree with.
func ReadRecordsByKind(ctx context.Context, r Reader, v credit.Visibility, usccs []string, k Kinds) (Records, error) {
	g, gctx := errgroup.WithContext(ctx)
	out := readKinds(gctx, r, v, usccs, k, g.Go)
	if err := g.Wait(); err != nil {
		return Records{}, err
	}
	return *out, nil
}

// ReadRecordsInTurn is ReadRecordsByKind with the calls made one after the
// other, for callers that must see one read at a time (tests counting what
// each read did).
func ReadRecordsInTurn(ctx context.Context, r Reader, v credit.Visibility, usccs []string, k Kinds) (Records, error) {
	var err error
	out := readKinds(ctx, r, v, usccs, k, func(f func() error) {
		if err == nil {
			err = f()
		}
	})
	if err != nil {
		return Records{}, err
	}
	return *out, nil
}

// readKinds hands run one call per kind k names, each filling its part of
// the result.
func readKinds(ctx context.Context, r Reader, v credit.Visibility, usccs []string, k Kinds, run func(func() error)) *Records {
	var out Records
	read := func(want bool, f func() error) {
		if want {
			run(f)
		}
	}
	read(k.Enterprises, func() (err error) { out.Enterprises, err = r.EnterprisesByUSCC(ctx, v, usccs); return })
	read(k.Licenses, func() (err error) { out.Licenses, err = r.LicensesByUSCC(ctx, v, usccs); return })
	read(k.Penalties, func() (err error) { out.Penalties, err = r.PenaltiesByUSCC(ctx, v, usccs); return })
	read(k.Inspections, func() (err error) { out.Inspections, err = r.InspectionsByUSCC(ctx, v, usccs); return })
	read(k.Abnormal, func() (err error) {
		out.Abnormal, err = r.ListingsByUSCC(ctx, v, credit.ListAbnormal, usccs)
		return
	})
	read(k.Serious, func() (err error) {
		out.Serious, err = r.ListingsByUSCC(ctx, v, credit.ListSerious, usccs)
		return
	})
	read(k.Commitments, func() (err error) { out.Commitments, err = r.CommitmentsByUSCC(ctx, v, usccs); return })
	return &out
}

// ViewRecords returns what v sees of whole, records read at REGULATOR
// visibility on v's date: each record through p's view for v (the views
// every backend reads its rows through), dropped where v may not see it.
// It equals reading the same enterprises at v (the conformance suite holds
// both backends to it), so a caller that needs both the whole record (the
// risk category) and the caller's view (screening's flags) reads the rows
// once. Each slice of the result is its own.
func ViewRecords(p credit.Policy, v credit.Visibility, whole Records) Records {
	if v.Tier == credit.TierRegulator {
		return whole
	}
	out := Records{
		Licenses:    viewEach(whole.Licenses, func(l credit.License) (credit.License, bool) { return p.ViewLicense(v, l), true }),
		Penalties:   viewEach(whole.Penalties, func(x credit.Penalty) (credit.Penalty, bool) { return p.ViewPenalty(v, x) }),
		Inspections: viewEach(whole.Inspections, func(i credit.Inspection) (credit.Inspection, bool) { return p.ViewInspection(v, i), true }),
		Abnormal:    viewEach(whole.Abnormal, func(l credit.Listing) (credit.Listing, bool) { return p.ViewListing(v, l) }),
		Serious:     viewEach(whole.Serious, func(l credit.Listing) (credit.Listing, bool) { return p.ViewListing(v, l) }),
		Commitments: viewEach(whole.Commitments, func(c credit.Commitment) (credit.Commitment, bool) { return p.ViewCommitment(v, c), true }),
	}
	if whole.Enterprises != nil {
		out.Enterprises = make([]*credit.Enterprise, len(whole.Enterprises))
		for i, e := range whole.Enterprises {
			if e != nil {
				ev := p.ViewEnterprise(v, *e)
				out.Enterprises[i] = &ev
			}
		}
	}
	return out
}

// viewEach views every group of in; nil in (a kind not read) stays nil.
func viewEach[T any](in [][]T, view func(T) (T, bool)) [][]T {
	if in == nil {
		return nil
	}
	out := make([][]T, len(in))
	for i, g := range in {
		out[i] = make([]T, 0, len(g))
		for _, x := range g {
			if xv, ok := view(x); ok {
				out[i] = append(out[i], xv)
			}
		}
	}
	return out
}
