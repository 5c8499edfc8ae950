package storetest

import (
	"encoding/base64"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// applyCompanies applies n companies in an order that is
// neither sorted nor reverse-sorted, so insertion order cannot pass for
// sort order.
func applyCompanies(t *testing.T, s store.Store, n int) []string {
	t.Helper()
	var recs []any
	var codes []string
	for i := range n {
		c := company((i*11)%n + 1) // 11 is coprime with the sizes used here
		recs = append(recs, enterprise(c))
		codes = append(codes, c)
	}
	mustApply(t, s, recs...)
	slices.Sort(codes)
	return codes
}

// Walking every page with any page size yields every item once, in order.
func testPaginateEnterprises(t *testing.T, s store.Store) {
	want := applyCompanies(t, s, 9)
	for _, first := range []int{1, 2, 3, 9, 10} {
		for _, v := range everyTier("2024-01-01") {
			got := walk(t, first, func(p store.Page) (store.Connection[credit.Enterprise], error) {
				return s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, p)
			})
			eqKeys(t, v.Tier.String()+" enterprises", keysOf(got, enterpriseKey), want)
		}
	}
}

// Listings are newest first with ties on the date broken by decision number,
// across enterprises.
func testPaginateListings(t *testing.T, s store.Store) {
	a, b, c := company(1), company(2), company(3)
	mustApply(t, s, enterprise(a), enterprise(b), enterprise(c),
		serious(b, "S3", "2024-02-01"), serious(a, "S1", "2024-01-01"), serious(c, "S5", "2024-03-01"),
		serious(a, "S4", "2024-02-01"), serious(c, "S2", "2024-02-01"),
		abnormal(c, "A2", "2024-02-01"), abnormal(a, "A3", "2024-02-01"), abnormal(b, "A1", "2024-05-01"))
	for _, v := range everyTier("2024-06-01") {
		for _, first := range []int{1, 2, 3, 10} {
			got := walk(t, first, func(p store.Page) (store.Connection[credit.Listing], error) {
				return s.Listings(t.Context(), v, credit.ListSerious, store.ListingFilter{}, p)
			})
			eqKeys(t, v.Tier.String()+" serious", keysOf(got, listingKey), []string{"S5", "S2", "S3", "S4", "S1"})
		}
		eqKeys(t, v.Tier.String()+" abnormal", keysOf(walkListings(t, s, v, credit.ListAbnormal, store.ListingFilter{}), listingKey),
			[]string{"A1", "A2", "A3"})
	}
}

func testPaginateTypicalCases(t *testing.T, s store.Store) {
	mustApply(t, s, typicalCase("T3", "2024-02-01"), typicalCase("T1", "2024-01-01"), typicalCase("T5", "2024-03-01"),
		typicalCase("T4", "2024-02-01"), typicalCase("T2", "2024-02-01"))
	for _, v := range everyTier("2024-06-01") {
		for _, first := range []int{1, 2, 5, 6} {
			got := walk(t, first, func(p store.Page) (store.Connection[credit.TypicalCase], error) {
				return s.TypicalCases(t.Context(), v, store.CaseFilter{}, p)
			})
			eqKeys(t, v.Tier.String()+" cases", keysOf(got, caseKey), []string{"T5", "T2", "T3", "T4", "T1"})
		}
	}
}

// Every item's cursor is a position, not only the last one's: a client may
// resume after any edge.
func testPaginateFromAnyCursor(t *testing.T, s store.Store) {
	want := applyCompanies(t, s, 5)
	v := public("2024-01-01")
	page, err := s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, store.Page{First: 4})
	if err != nil {
		t.Fatalf("Enterprises: %v", err)
	}
	if !page.HasNext || len(page.Cursors) != 4 {
		t.Fatalf("first page: %d cursors, HasNext %v; want 4, true", len(page.Cursors), page.HasNext)
	}
	for i, c := range page.Cursors {
		rest, err := s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, store.Page{First: 10, After: c})
		if err != nil {
			t.Fatalf("after cursor %d: %v", i, err)
		}
		eqKeys(t, "after cursor "+want[i], keysOf(rest.Items, enterpriseKey), want[i+1:])
		if rest.HasNext {
			t.Errorf("after cursor %d: HasNext on the last page", i)
		}
	}
}

// A cursor is a keyset position, not an offset: rows written between two
// requests, before or after the cursor, neither repeat nor hide the rows
// still to come.
func testPaginateAcrossWrites(t *testing.T, s store.Store) {
	mustApply(t, s, enterprise(company(2)), enterprise(company(4)), enterprise(company(6)))
	v := public("2024-01-01")
	first, err := s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, store.Page{First: 2})
	if err != nil || len(first.Items) != 2 {
		t.Fatalf("first page: %d items, %v", len(first.Items), err)
	}
	mustApply(t, s, enterprise(company(1)), enterprise(company(3)), enterprise(company(5)))
	rest, err := s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, store.Page{First: 10, After: first.Cursors[1]})
	if err != nil {
		t.Fatalf("second page: %v", err)
	}
	eqKeys(t, "second page", keysOf(rest.Items, enterpriseKey), []string{company(5), company(6)})
}

// First outside 1..100 is clamped: 0 means the default 20, never "all".
func testDefaultPageSize(t *testing.T, s store.Store) {
	applyCompanies(t, s, store.DefaultFirst+1)
	v := public("2024-01-01")
	for _, tt := range []struct {
		name    string
		first   int
		want    int
		hasNext bool
	}{
		{"zero", 0, store.DefaultFirst, true},
		{"above max", store.MaxFirst + 1, store.DefaultFirst + 1, false},
	} {
		page, err := s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, store.Page{First: tt.first})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(page.Items) != tt.want || page.HasNext != tt.hasNext {
			t.Errorf("%s: %d items, HasNext %v; want %d, %v", tt.name, len(page.Items), page.HasNext, tt.want, tt.hasNext)
		}
	}
}

// A cursor is refused unless it is one this list made under this filter:
// forged, from another list or from another filter. Reusing it elsewhere
// would silently skip or repeat rows.
func testBadCursors(t *testing.T, s store.Store) {
	a, b := company(1), company(2)
	mustApply(t, s, enterprise(a), enterprise(b), serious(a, "S1", "2024-01-01"), serious(b, "S2", "2024-01-02"),
		abnormal(a, "A1", "2024-01-01"), abnormal(b, "A2", "2024-01-02"),
		typicalCase("T1", "2024-01-01"), typicalCase("T2", "2024-01-02"))
	v, ctx := public("2024-06-01"), t.Context()
	first := store.Page{First: 1}
	entCur := cursorOf(t)(s.Enterprises(ctx, v, store.EnterpriseFilter{}, first))
	regionCur := cursorOf(t)(s.Enterprises(ctx, v, store.EnterpriseFilter{RegionPrefix: "35"}, first))
	serCur := cursorOf(t)(s.Listings(ctx, v, credit.ListSerious, store.ListingFilter{}, first))
	abnCur := cursorOf(t)(s.Listings(ctx, v, credit.ListAbnormal, store.ListingFilter{}, first))
	caseCur := cursorOf(t)(s.TypicalCases(ctx, v, store.CaseFilter{}, first))

	ents := func(f store.EnterpriseFilter) func(string) error {
		return func(c string) error { _, err := s.Enterprises(ctx, v, f, store.Page{First: 2, After: c}); return err }
	}
	lists := func(list credit.ListKind, f store.ListingFilter) func(string) error {
		return func(c string) error {
			_, err := s.Listings(ctx, v, list, f, store.Page{First: 2, After: c})
			return err
		}
	}
	cases := func(f store.CaseFilter) func(string) error {
		return func(c string) error { _, err := s.TypicalCases(ctx, v, f, store.Page{First: 2, After: c}); return err }
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name   string
		cursor string
		use    func(string) error
	}{
		{"garbage", "not a cursor", ents(store.EnterpriseFilter{})},
		{"base64 of junk", b64("junk"), ents(store.EnterpriseFilter{})},
		{"forged json", b64(`{"v":1,"k":"enterprises","x":["` + a + `"]}`), ents(store.EnterpriseFilter{})},
		{"truncated", entCur[:len(entCur)-4], ents(store.EnterpriseFilter{})},
		{"enterprise cursor with another filter", entCur, ents(store.EnterpriseFilter{RegionPrefix: "35"})},
		{"filtered cursor without the filter", regionCur, ents(store.EnterpriseFilter{})},
		{"serious cursor on the abnormal list", serCur, lists(credit.ListAbnormal, store.ListingFilter{})},
		{"abnormal cursor on the serious list", abnCur, lists(credit.ListSerious, store.ListingFilter{})},
		{"listing cursor with another filter", serCur, lists(credit.ListSerious, store.ListingFilter{IncludeRemoved: true})},
		{"enterprise cursor on cases", entCur, cases(store.CaseFilter{})},
		{"case cursor on enterprises", caseCur, ents(store.EnterpriseFilter{})},
		{"case cursor with another filter", caseCur, cases(store.CaseFilter{KeyArea: credit.AreaDrug})},
		{"case cursor on a list", caseCur, lists(credit.ListSerious, store.ListingFilter{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.use(tt.cursor); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("err = %v, want ErrBadCursor", err)
			}
		})
	}
	// The good cursors work where they were made.
	for name, use := range map[string]func() error{
		"enterprises": func() error { return ents(store.EnterpriseFilter{})(entCur) },
		"serious":     func() error { return lists(credit.ListSerious, store.ListingFilter{})(serCur) },
		"abnormal":    func() error { return lists(credit.ListAbnormal, store.ListingFilter{})(abnCur) },
		"cases":       func() error { return cases(store.CaseFilter{})(caseCur) },
	} {
		if err := use(); err != nil {
			t.Errorf("%s cursor where it was made: %v", name, err)
		}
	}
}

// cursorOf returns the end cursor of a first page, failing the test if
// there is none.
func cursorOf(t *testing.T) func(c any, err error) string {
	return func(c any, err error) string {
		t.Helper()
		if err != nil {
			t.Fatalf("first page: %v", err)
		}
		var cursors []string
		switch c := c.(type) {
		case store.Connection[credit.Enterprise]:
			cursors = c.Cursors
		case store.Connection[credit.Listing]:
			cursors = c.Cursors
		case store.Connection[credit.TypicalCase]:
			cursors = c.Cursors
		}
		if len(cursors) == 0 {
			t.Fatalf("first page has no cursor")
		}
		return cursors[len(cursors)-1]
	}
}

// A typical case is public from its publication date; regulators see it
// (and count it) before.
func testTypicalCaseNotYetPublished(t *testing.T, s store.Store) {
	mustApply(t, s, typicalCase("T1", "2024-01-01"), typicalCase("T2", "2024-06-02"))
	for _, tt := range []struct {
		v    credit.Visibility
		want []string
	}{
		{public("2024-06-01"), []string{"T1"}},
		{partner("2024-06-01"), []string{"T1"}},
		{public("2024-06-02"), []string{"T2", "T1"}},
		{regulator("2024-06-01"), []string{"T2", "T1"}},
	} {
		got := walk(t, 10, func(p store.Page) (store.Connection[credit.TypicalCase], error) {
			return s.TypicalCases(t.Context(), tt.v, store.CaseFilter{}, p)
		})
		eqKeys(t, tt.v.Tier.String()+" "+tt.v.AsOf.Format(time.DateOnly), keysOf(got, caseKey), tt.want)
		if n, err := s.CountTypicalCases(t.Context(), tt.v, store.CaseFilter{}); err != nil || n != len(tt.want) {
			t.Errorf("CountTypicalCases = %d, %v; want %d", n, err, len(tt.want))
		}
	}
}
