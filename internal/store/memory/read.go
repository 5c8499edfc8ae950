package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Enterprise returns one enterprise as v may see it, or store.ErrNotFound.
func (s *Store) Enterprise(ctx context.Context, v credit.Visibility, uscc string) (credit.Enterprise, error) {
	if err := ctx.Err(); err != nil {
		return credit.Enterprise{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.enterprises[uscc]
	if !ok {
		return credit.Enterprise{}, fmt.Errorf("memory: enterprise %s: %w", uscc, store.ErrNotFound)
	}
	return s.p.ViewEnterprise(v, cloneEnterprise(e)), nil
}

// EnterprisesByUSCC returns enterprises in key order, nil where unknown.
func (s *Store) EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*credit.Enterprise, len(usccs))
	for i, k := range usccs {
		if e, ok := s.enterprises[k]; ok {
			ve := s.p.ViewEnterprise(v, cloneEnterprise(e))
			out[i] = &ve
		}
	}
	return out, nil
}

var enterpriseOrder = order[credit.Enterprise]{
	kind: store.CursorEnterprises, nkeys: 1, cmp: ascending,
	key: func(e credit.Enterprise) []string { return []string{e.USCC} },
}

// Enterprises pages through enterprises ordered by USCC.
func (s *Store) Enterprises(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter, p store.Page) (store.Connection[credit.Enterprise], error) {
	fp := store.Fingerprint(f)
	after, err := enterpriseOrder.after(p, fp)
	if err != nil {
		return store.Connection[credit.Enterprise]{}, err
	}
	rows, err := s.enterprisesMatching(ctx, v, f)
	if err != nil {
		return store.Connection[credit.Enterprise]{}, err
	}
	c := enterpriseOrder.page(rows, after, fp, p.Limit())
	for i := range c.Items {
		c.Items[i] = s.p.ViewEnterprise(v, cloneEnterprise(c.Items[i]))
	}
	return c, nil
}

// CountEnterprises counts what Enterprises would walk.
func (s *Store) CountEnterprises(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter) (int, error) {
	rows, err := s.enterprisesMatching(ctx, v, f)
	return len(rows), err
}

func (s *Store) enterprisesMatching(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter) ([]credit.Enterprise, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []credit.Enterprise
	for _, e := range s.enterprises {
		if s.enterpriseMatches(v, f, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *Store) enterpriseMatches(v credit.Visibility, f store.EnterpriseFilter, e credit.Enterprise) bool {
	switch {
	case !strings.HasPrefix(e.RegionCode, f.RegionPrefix),
		f.KeyArea != "" && !slices.Contains(e.KeyAreas, f.KeyArea),
		f.Status != "" && e.Status != f.Status,
		f.Name != "" && e.Name != f.Name,
		!strings.HasPrefix(e.Name, f.NamePrefix),
		f.OnSeriousList != nil && *f.OnSeriousList != s.onList(e.USCC, credit.ListSerious, v.AsOf),
		f.OnAbnormalList != nil && *f.OnAbnormalList != s.onList(e.USCC, credit.ListAbnormal, v.AsOf):
		return false
	}
	return true
}

// load answers a *ByUSCC loader from one table: in key order, each
// enterprise's records that view lets v see, newest first.
func load[K comparable, V any](ctx context.Context, s *Store, t *table[K, V], usccs []string,
	view func(V) (V, bool), sortKey func(V) (time.Time, string)) ([][]V, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([][]V, len(usccs))
	for i, k := range usccs {
		for _, r := range t.of(k) {
			if rv, ok := view(r); ok {
				out[i] = append(out[i], rv)
			}
		}
		slices.SortFunc(out[i], func(a, b V) int {
			da, ka := sortKey(a)
			db, kb := sortKey(b)
			return newestFirst([]string{dateKey(da), ka}, []string{dateKey(db), kb})
		})
	}
	return out, nil
}

// LicensesByUSCC returns each enterprise's licences, newest first; every tier sees them.
func (s *Store) LicensesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.License, error) {
	view := func(r credit.License) (credit.License, bool) { return s.p.ViewLicense(v, cloneLicense(r)), true }
	return load(ctx, s, &s.licenses, usccs, view,
		func(r credit.License) (time.Time, string) { return r.DecidedOn, r.LicenseNumber })
}

// PenaltiesByUSCC returns each enterprise's penalties v may see, newest first.
func (s *Store) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	view := func(r credit.Penalty) (credit.Penalty, bool) { return s.p.ViewPenalty(v, clonePenalty(r)) }
	return load(ctx, s, &s.penalties, usccs, view,
		func(r credit.Penalty) (time.Time, string) { return r.DecidedOn, r.DecisionNumber })
}

// InspectionsByUSCC returns each enterprise's inspections, newest first; every tier sees them.
func (s *Store) InspectionsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Inspection, error) {
	view := func(r credit.Inspection) (credit.Inspection, bool) {
		return s.p.ViewInspection(v, cloneInspection(r)), true
	}
	return load(ctx, s, &s.inspections, usccs, view,
		func(r credit.Inspection) (time.Time, string) { return r.InspectedOn, r.InspectionID })
}

// ListingsByUSCC returns each enterprise's listings on list that v may see, newest first.
func (s *Store) ListingsByUSCC(ctx context.Context, v credit.Visibility, list credit.ListKind, usccs []string) ([][]credit.Listing, error) {
	view := func(r credit.Listing) (credit.Listing, bool) {
		if r.List != list {
			return credit.Listing{}, false
		}
		return s.p.ViewListing(v, cloneListing(r))
	}
	return load(ctx, s, &s.listings, usccs, view,
		func(r credit.Listing) (time.Time, string) { return r.ListedOn, r.DecisionNumber })
}

// CommitmentsByUSCC returns each enterprise's commitments, newest first; every tier sees them.
func (s *Store) CommitmentsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Commitment, error) {
	view := func(r credit.Commitment) (credit.Commitment, bool) {
		return s.p.ViewCommitment(v, cloneCommitment(r)), true
	}
	return load(ctx, s, &s.commitments, usccs, view,
		func(r credit.Commitment) (time.Time, string) { return r.MadeOn, r.CommitmentID })
}
