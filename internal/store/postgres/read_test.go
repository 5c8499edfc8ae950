package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Each loader is one statement whatever the number of keys, and answers in
// key order, repeated and unknown keys included.
func TestLoadersOneStatementKeyOrder(t *testing.T) {
	counter := &statementCounter{}
	s := NewTestStoreConfig(t, Config{Policy: credit.NewPolicy(credit.DefaultSettings()), Tracer: counter})
	ctx := context.Background()
	mustNoRejections(t, s, synthBatch(0, 30, ""))
	keys := []string{testUSCC("350102", 27), testUSCC("350102", 99), testUSCC("350103", 10), testUSCC("350102", 27)}
	v := regulator("2025-01-01")
	loaders := []struct {
		name string
		load func() ([]int, error)
	}{
		{"EnterprisesByUSCC", func() ([]int, error) {
			es, err := s.EnterprisesByUSCC(ctx, v, keys)
			out := make([]int, len(es))
			for i, e := range es {
				if e != nil {
					out[i] = 1
				}
			}
			return out, err
		}},
		{"LicensesByUSCC", func() ([]int, error) { return lens(s.LicensesByUSCC(ctx, v, keys)) }},
		{"PenaltiesByUSCC", func() ([]int, error) { return lens(s.PenaltiesByUSCC(ctx, v, keys)) }},
		{"InspectionsByUSCC", func() ([]int, error) { return lens(s.InspectionsByUSCC(ctx, v, keys)) }},
		{"ListingsByUSCC abnormal", func() ([]int, error) { return lens(s.ListingsByUSCC(ctx, v, credit.ListAbnormal, keys)) }},
		{"ListingsByUSCC serious", func() ([]int, error) { return lens(s.ListingsByUSCC(ctx, v, credit.ListSerious, keys)) }},
		{"CommitmentsByUSCC", func() ([]int, error) { return lens(s.CommitmentsByUSCC(ctx, v, keys)) }},
	}
	want := map[string][]int{
		"EnterprisesByUSCC": {1, 0, 1, 1}, "LicensesByUSCC": {2, 0, 2, 2}, "PenaltiesByUSCC": {2, 0, 2, 2},
		"InspectionsByUSCC": {3, 0, 3, 3}, "ListingsByUSCC abnormal": {0, 0, 1, 0}, "ListingsByUSCC serious": {0, 0, 1, 0},
		"CommitmentsByUSCC": {1, 0, 1, 1},
	}
	for _, l := range loaders {
		counter.n.Store(0)
		got, err := l.load()
		if err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if n := counter.n.Load(); n != 1 {
			t.Errorf("%s ran %d statements, want 1", l.name, n)
		}
		if !slices.Equal(got, want[l.name]) {
			t.Errorf("%s: records per key %v, want %v", l.name, got, want[l.name])
		}
	}
	counter.n.Store(0)
	if got, err := s.PenaltiesByUSCC(ctx, v, nil); err != nil || len(got) != 0 || counter.n.Load() != 0 {
		t.Errorf("no keys: %v, %v after %d statements; want empty, no statement", got, err, counter.n.Load())
	}
}

func lens[T any](rows [][]T, err error) ([]int, error) {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = len(r)
	}
	return out, err
}

// Public list pages and counts are cut in SQL: a public caller's page is
// full even when most rows of the list are hidden from it.
func TestListingsPublicPagesAreFull(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u := testUSCC("350102", 1)
	b := &store.Batch{Enterprises: lines(1, enterprise(u, "甲"))}
	var removals []store.ListingRemoval
	for i := range 30 {
		l := listing(credit.ListSerious, u, "S"+string(rune('A'+i)), "2024-01-01")
		l.ListedOn = l.ListedOn.AddDate(0, 0, i)
		b.Listings = append(b.Listings, store.Line[credit.Listing]{N: 10 + i, V: l})
		if i%3 != 0 { // two in three revoked
			removals = append(removals, store.ListingRemoval{List: credit.ListSerious, ListingDecisionNumber: l.DecisionNumber,
				Removal: credit.Removal{RemovedOn: l.ListedOn.AddDate(0, 1, 0), Reason: string(credit.RemovalRevoked), Authority: "a"}})
		}
	}
	b.Removals = lines(100, removals...)
	mustNoRejections(t, s, b)
	v := public("2024-12-31")
	page, err := s.Listings(ctx, v, credit.ListSerious, store.ListingFilter{}, store.Page{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 5 || !page.HasNext {
		t.Errorf("first page: %d items, HasNext %v; want 5, true", len(page.Items), page.HasNext)
	}
	n, err := s.CountListings(ctx, v, credit.ListSerious, store.ListingFilter{})
	if err != nil || n != 10 {
		t.Errorf("CountListings = %d, %v; want 10", n, err)
	}
	n, err = s.CountListings(ctx, regulator("2024-12-31"), credit.ListSerious, store.ListingFilter{IncludeRemoved: true})
	if err != nil || n != 30 {
		t.Errorf("regulator CountListings = %d, %v; want 30", n, err)
	}
}

// A removal dated after "today" leaves the listing in force until then:
// the rows outside the partial index are found too.
func TestListingRemovedLaterStillListed(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u := testUSCC("350102", 1)
	mustNoRejections(t, s, &store.Batch{
		Enterprises: lines(1, enterprise(u, "甲")),
		Listings:    lines(2, listing(credit.ListAbnormal, u, "A1", "2024-01-01"), listing(credit.ListAbnormal, u, "A2", "2024-02-01")),
		Removals: lines(4, store.ListingRemoval{List: credit.ListAbnormal, ListingDecisionNumber: "A1",
			Removal: credit.Removal{RemovedOn: date("2024-06-01"), Reason: "已补报", Authority: "a"}}),
	})
	for _, tt := range []struct {
		asOf string
		want int
	}{{"2024-05-31", 2}, {"2024-06-01", 1}} {
		v := public(tt.asOf)
		page, err := s.Listings(ctx, v, credit.ListAbnormal, store.ListingFilter{}, store.Page{})
		if err != nil || len(page.Items) != tt.want {
			t.Errorf("%s: %d listings (%v), want %d", tt.asOf, len(page.Items), err, tt.want)
		}
		for _, l := range page.Items {
			if l.Removal != nil {
				t.Errorf("%s: public sees a removal to come: %+v", tt.asOf, l.Removal)
			}
		}
		n, err := s.CountEnterprises(ctx, v, store.EnterpriseFilter{OnAbnormalList: ptr(true)})
		if err != nil || n != 1 {
			t.Errorf("%s: CountEnterprises(on the abnormal list) = %d, %v", tt.asOf, n, err)
		}
	}
}

func TestNamePrefixIsLiteral(t *testing.T) {
	s := newTestStore(t)
	mustNoRejections(t, s, &store.Batch{Enterprises: lines(1,
		enterprise(testUSCC("350102", 1), "福州100%纯净水有限公司"), enterprise(testUSCC("350102", 2), "福州100元店"))})
	n, err := s.CountEnterprises(context.Background(), public("2024-01-01"), store.EnterpriseFilter{NamePrefix: "福州100%"})
	if err != nil || n != 1 {
		t.Errorf("CountEnterprises(NamePrefix with %%) = %d, %v; want 1", n, err)
	}
}

func TestReadReplicaPool(t *testing.T) {
	u := NewTestDatabase(t)
	// The same database under another URL stands in for a replica.
	replica := u + " application_name=creditgraph-replica"
	if strings.Contains(u, "://") {
		replica = u + "?application_name=creditgraph-replica"
		if strings.Contains(u, "?") {
			replica = u + "&application_name=creditgraph-replica"
		}
	}
	s, err := New(context.Background(), Config{URL: u, ReadURL: replica, Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.read == s.write {
		t.Fatal("ReadURL did not get its own pool")
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	var app string
	if err := s.read.QueryRow(context.Background(), `SELECT current_setting('application_name')`).Scan(&app); err != nil || app != "creditgraph-replica" {
		t.Errorf("read pool application_name = %q, %v", app, err)
	}
}

func TestUnavailable(t *testing.T) {
	RequireDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := New(ctx, Config{URL: "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2",
		Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		t.Fatalf("New connects lazily, got %v", err)
	}
	defer s.Close()
	if err := s.Ping(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Ping: %v, want ErrUnavailable", err)
	}
	if _, err := s.Enterprise(ctx, public("2024-01-01"), testUSCC("350102", 1)); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Enterprise: %v, want ErrUnavailable", err)
	}
	if _, err := s.Apply(ctx, &store.Batch{Enterprises: lines(1, enterprise(testUSCC("350102", 1), "甲"))}); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Apply: %v, want ErrUnavailable", err)
	}
}
