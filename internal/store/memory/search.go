package memory

import (
	"context"
	"slices"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// SearchEnterprises pages through the enterprises matching q, ranked by
// package search (a scan: the embedded store holds demo-sized data).
func (s *Store) SearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, p store.Page) (store.Connection[search.Hit], error) {
	fp := store.SearchFingerprint(q, f)
	var after []string
	if p.After != "" {
		k, err := store.DecodeCursor(p.After, store.CursorSearch, fp, 3)
		if err != nil {
			return store.Connection[search.Hit]{}, err
		}
		after = k
	}
	hits, err := s.searchHits(ctx, v, q, f)
	if err != nil {
		return store.Connection[search.Hit]{}, err
	}
	hits = slices.DeleteFunc(hits, func(h search.Hit) bool { return h.Tier < q.Floor })
	slices.SortFunc(hits, search.Compare)
	start := 0
	if after != nil {
		start = len(hits)
		for i, h := range hits {
			if compareKeys(h.SortKey(), after) > 0 {
				start = i
				break
			}
		}
	}
	hits = hits[start:]
	limit := p.Limit()
	c := store.Connection[search.Hit]{HasNext: len(hits) > limit, Items: hits[:min(limit, len(hits))]}
	for i := range c.Items {
		c.Items[i].Enterprise = s.p.ViewEnterprise(v, cloneEnterprise(c.Items[i].Enterprise))
		c.Cursors = append(c.Cursors, store.EncodeCursor(store.CursorSearch, fp, c.Items[i].SortKey()...))
	}
	return c, nil
}

// CountSearchEnterprises counts what SearchEnterprises pages through.
func (s *Store) CountSearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter) (int, error) {
	hits, err := s.searchHits(ctx, v, q, f)
	return len(hits), err
}

func (s *Store) searchHits(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter) ([]search.Hit, error) {
	rows, err := s.enterprisesMatching(ctx, v, f)
	if err != nil {
		return nil, err
	}
	var hits []search.Hit
	for _, e := range rows {
		if m := q.Match(e.USCC, e.Name, e.FormerNames); m.Tier != search.None {
			hits = append(hits, search.Hit{Enterprise: e, Match: m})
		}
	}
	return hits, nil
}

// compareKeys compares two search sort keys (tier descending, status rank
// ascending, USCC ascending), as search.Compare orders hits.
func compareKeys(a, b []string) int {
	if a[0] != b[0] {
		if a[0] > b[0] { // one digit each
			return -1
		}
		return 1
	}
	if a[1] != b[1] {
		if a[1] < b[1] {
			return -1
		}
		return 1
	}
	switch {
	case a[2] < b[2]:
		return -1
	case a[2] > b[2]:
		return 1
	}
	return 0
}
