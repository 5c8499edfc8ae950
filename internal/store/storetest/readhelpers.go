package storetest

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Thin wrappers over the Reader for one enterprise; a read error fails the
// test, since no read in the suite is expected to fail unless it says so.

func licensesOf(t *testing.T, s store.Store, v credit.Visibility, uscc string) []credit.License {
	t.Helper()
	got, err := s.LicensesByUSCC(t.Context(), v, []string{uscc})
	return one(t, "LicensesByUSCC", got, err)
}

func penaltiesOf(t *testing.T, s store.Store, v credit.Visibility, uscc string) []credit.Penalty {
	t.Helper()
	got, err := s.PenaltiesByUSCC(t.Context(), v, []string{uscc})
	return one(t, "PenaltiesByUSCC", got, err)
}

func inspectionsOf(t *testing.T, s store.Store, v credit.Visibility, uscc string) []credit.Inspection {
	t.Helper()
	got, err := s.InspectionsByUSCC(t.Context(), v, []string{uscc})
	return one(t, "InspectionsByUSCC", got, err)
}

func listingsOf(t *testing.T, s store.Store, v credit.Visibility, list credit.ListKind, uscc string) []credit.Listing {
	t.Helper()
	got, err := s.ListingsByUSCC(t.Context(), v, list, []string{uscc})
	return one(t, "ListingsByUSCC", got, err)
}

func commitmentsOf(t *testing.T, s store.Store, v credit.Visibility, uscc string) []credit.Commitment {
	t.Helper()
	got, err := s.CommitmentsByUSCC(t.Context(), v, []string{uscc})
	return one(t, "CommitmentsByUSCC", got, err)
}

func one[T any](t *testing.T, what string, got [][]T, err error) []T {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(got) != 1 {
		t.Fatalf("%s returned %d results for 1 key", what, len(got))
	}
	return got[0]
}

// walk pages through a list first items at a time and returns every item,
// checking the paging contract on the way: one cursor per item, no page
// larger than asked, HasNext true exactly when another page has items.
func walk[T any](t *testing.T, first int, fetch func(p store.Page) (store.Connection[T], error)) []T {
	t.Helper()
	var all []T
	after := ""
	for range 1000 { // a bound, so a backend that loops fails instead of hanging
		c, err := fetch(store.Page{First: first, After: after})
		if err != nil {
			t.Fatalf("page after %q: %v", after, err)
		}
		if len(c.Cursors) != len(c.Items) {
			t.Fatalf("page has %d items and %d cursors", len(c.Items), len(c.Cursors))
		}
		if len(c.Items) > first {
			t.Fatalf("page has %d items, asked for %d", len(c.Items), first)
		}
		all = append(all, c.Items...)
		if !c.HasNext {
			return all
		}
		if len(c.Items) == 0 {
			t.Fatalf("empty page says HasNext")
		}
		after = c.Cursors[len(c.Cursors)-1]
		if next, err := fetch(store.Page{First: 1, After: after}); err != nil || len(next.Items) == 0 {
			t.Fatalf("HasNext was true but the next page is empty (err %v)", err)
		}
	}
	t.Fatalf("more than 1000 pages")
	return nil
}

func walkEnterprises(t *testing.T, s store.Store, v credit.Visibility, f store.EnterpriseFilter) []string {
	t.Helper()
	items := walk(t, 2, func(p store.Page) (store.Connection[credit.Enterprise], error) {
		return s.Enterprises(t.Context(), v, f, p)
	})
	keys := keysOf(items, enterpriseKey)
	n, err := s.CountEnterprises(t.Context(), v, f)
	if err != nil {
		t.Fatalf("CountEnterprises: %v", err)
	}
	if n != len(keys) {
		t.Errorf("CountEnterprises(%+v) = %d, walked %d", f, n, len(keys))
	}
	return keys
}

func walkListings(t *testing.T, s store.Store, v credit.Visibility, list credit.ListKind, f store.ListingFilter) []credit.Listing {
	t.Helper()
	items := walk(t, 2, func(p store.Page) (store.Connection[credit.Listing], error) {
		return s.Listings(t.Context(), v, list, f, p)
	})
	n, err := s.CountListings(t.Context(), v, list, f)
	if err != nil {
		t.Fatalf("CountListings: %v", err)
	}
	if n != len(items) {
		t.Errorf("CountListings(%s, %+v) = %d, walked %d", list, f, n, len(items))
	}
	return items
}

func walkCases(t *testing.T, s store.Store, v credit.Visibility, f store.CaseFilter) []string {
	t.Helper()
	items := walk(t, 2, func(p store.Page) (store.Connection[credit.TypicalCase], error) {
		return s.TypicalCases(t.Context(), v, f, p)
	})
	n, err := s.CountTypicalCases(t.Context(), v, f)
	if err != nil {
		t.Fatalf("CountTypicalCases: %v", err)
	}
	if n != len(items) {
		t.Errorf("CountTypicalCases(%+v) = %d, walked %d", f, n, len(items))
	}
	return keysOf(items, caseKey)
}
