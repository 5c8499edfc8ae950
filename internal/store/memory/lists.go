package memory

import (
	"context"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

func listingOrder(list credit.ListKind) order[credit.Listing] {
	return order[credit.Listing]{
		kind: store.ListingsCursorKind(string(list)), nkeys: 2, cmp: newestFirst,
		key: func(l credit.Listing) []string { return []string{dateKey(l.ListedOn), l.DecisionNumber} },
	}
}

// Listings pages through one list, newest listing first.
func (s *Store) Listings(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter, p store.Page) (store.Connection[credit.Listing], error) {
	o, fp := listingOrder(list), store.Fingerprint(f)
	after, err := o.after(p, fp)
	if err != nil {
		return store.Connection[credit.Listing]{}, err
	}
	rows, err := s.listingsMatching(ctx, v, list, f)
	if err != nil {
		return store.Connection[credit.Listing]{}, err
	}
	return o.page(rows, after, fp, p.Limit()), nil
}

// CountListings counts what Listings would walk.
func (s *Store) CountListings(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter) (int, error) {
	rows, err := s.listingsMatching(ctx, v, list, f)
	return len(rows), err
}

// listingsMatching returns the listings of list that v may see and f
// selects, already viewed for v. Without IncludeRemoved only listings in
// force on v.AsOf remain: the list as it stands that day.
func (s *Store) listingsMatching(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter) ([]credit.Listing, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []credit.Listing
	for _, l := range s.listings.all() {
		if l.List != list || !s.listingMatches(f, l) || (!f.IncludeRemoved && !s.inForce(l, v.AsOf)) {
			continue
		}
		if lv, ok := s.p.ViewListing(v, cloneListing(l)); ok {
			out = append(out, lv)
		}
	}
	return out, nil
}

func (s *Store) listingMatches(f store.ListingFilter, l credit.Listing) bool {
	switch {
	case f.RegionPrefix != "" && !strings.HasPrefix(s.enterprises[l.USCC].RegionCode, f.RegionPrefix),
		f.KeyArea != "" && (l.KeyArea == nil || *l.KeyArea != f.KeyArea),
		!inRange(l.ListedOn, f.ListedFrom, f.ListedTo):
		return false
	}
	return true
}

// inRange reports whether d is within [from, to]; nil bounds are open.
func inRange(d time.Time, from, to *time.Time) bool {
	return (from == nil || !d.Before(*from)) && (to == nil || !d.After(*to))
}

var caseOrder = order[credit.TypicalCase]{
	kind: store.CursorTypicalCases, nkeys: 2, cmp: newestFirst,
	key: func(c credit.TypicalCase) []string { return []string{dateKey(c.PublishedOn), c.CaseID} },
}

// TypicalCases pages through typical cases, newest first: public tiers from
// each case's publication date (Policy.ViewCase), regulators always.
func (s *Store) TypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter, p store.Page) (store.Connection[credit.TypicalCase], error) {
	fp := store.Fingerprint(f)
	after, err := caseOrder.after(p, fp)
	if err != nil {
		return store.Connection[credit.TypicalCase]{}, err
	}
	rows, err := s.casesMatching(ctx, v, f)
	if err != nil {
		return store.Connection[credit.TypicalCase]{}, err
	}
	return caseOrder.page(rows, after, fp, p.Limit()), nil
}

// CountTypicalCases counts what TypicalCases would walk.
func (s *Store) CountTypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter) (int, error) {
	rows, err := s.casesMatching(ctx, v, f)
	return len(rows), err
}

func (s *Store) casesMatching(ctx context.Context, v credit.Visibility, f store.CaseFilter) ([]credit.TypicalCase, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []credit.TypicalCase
	for _, c := range s.cases {
		switch {
		case f.RegionPrefix != "" && (c.RegionCode == nil || !strings.HasPrefix(*c.RegionCode, f.RegionPrefix)),
			f.KeyArea != "" && (c.KeyArea == nil || *c.KeyArea != f.KeyArea),
			!inRange(c.PublishedOn, f.PublishedFrom, f.PublishedTo):
			continue
		}
		// Text is matched against what the caller reads, after ViewCase.
		if cv, ok := s.p.ViewCase(v, cloneCase(c)); ok && (f.Text == "" || store.CaseTextMatches(f.Text, cv)) {
			out = append(out, cv)
		}
	}
	return out, nil
}
