package httpapi

import (
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/storetest"
)

const searchQuery = `query($q: String!, $first: Int, $after: String) {
  searchEnterprises(query: $q, first: $first, after: $after) {
    totalCount
    edges { cursor score matchKind matchedName matchedFormerName node { uscc name } }
    nodes { uscc }
    pageInfo { hasNextPage endCursor }
  }
}`

type searchPage struct {
	SearchEnterprises struct {
		TotalCount int
		Edges      []struct {
			Cursor            string
			Score             float64
			MatchKind         string
			MatchedName       string
			MatchedFormerName bool
			Node              struct{ USCC, Name string }
		}
		Nodes    []struct{ USCC string }
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// The conformance suite's relevance fixture, through the real handler on
// both stores, in every tier.
func TestSearchRelevanceHTTP(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		ents, cases := storetest.RelevanceFixture()
		b := &store.Batch{}
		for i, e := range ents {
			b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: i + 1, V: e})
		}
		if rej, err := h.st.Apply(t.Context(), b); err != nil || len(rej) > 0 {
			t.Fatalf("apply fixture: %v %+v", err, rej)
		}
		for _, tc := range cases {
			t.Run(tc.Name, func(t *testing.T) {
				for _, key := range []string{"", partnerKey, regulatorKey} {
					var hdr []string
					if key != "" {
						hdr = bearer(key)
					}
					var p searchPage
					h.query(t, searchQuery, map[string]any{"q": tc.Query, "first": 100}, hdr...).data(t, &p)
					got := p.SearchEnterprises
					if got.TotalCount != len(got.Edges) || len(got.Nodes) != len(got.Edges) {
						t.Fatalf("totalCount %d, %d edges, %d nodes", got.TotalCount, len(got.Edges), len(got.Nodes))
					}
					if tc.Tier == search.None {
						if len(got.Edges) != 0 {
							t.Fatalf("want no hit, got %+v", got.Edges)
						}
						continue
					}
					if len(got.Edges) == 0 {
						t.Fatal("no hit")
					}
					e := got.Edges[0]
					if e.Node.USCC != tc.First || e.MatchedName != tc.MatchedName || e.MatchedFormerName != tc.Former ||
						e.MatchKind != strings.ToUpper(tc.Tier.String()) || e.Score != tc.Tier.Score() {
						t.Fatalf("first edge %+v, want %s %q former=%v %v", e, tc.First, tc.MatchedName, tc.Former, tc.Tier)
					}
					if tc.Order != nil {
						var order []string
						for _, e := range got.Edges {
							order = append(order, e.Node.USCC)
						}
						if strings.Join(order, ",") != strings.Join(tc.Order, ",") {
							t.Fatalf("order %v, want %v", order, tc.Order)
						}
					}
				}
			})
		}
		// Paging over HTTP walks the same order.
		var all []string
		var after any
		for range 10 {
			var p searchPage
			h.query(t, searchQuery, map[string]any{"q": "海禾", "first": 2, "after": after}).data(t, &p)
			for _, e := range p.SearchEnterprises.Edges {
				all = append(all, e.Node.USCC)
			}
			if !p.SearchEnterprises.PageInfo.HasNextPage {
				break
			}
			after = *p.SearchEnterprises.PageInfo.EndCursor
		}
		if len(all) != 5 {
			t.Fatalf("paging 海禾 gave %v", all)
		}
	})
}

func TestSearchBadInput(t *testing.T) {
	h := newHarness(t, memoryStore())
	for _, q := range []string{"海", " （海） ", "", strings.Repeat("海", 51)} {
		r := h.query(t, searchQuery, map[string]any{"q": q})
		if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "2 to 50") {
			t.Fatalf("query %q: %s", q, r.raw)
		}
	}
	for _, text := range []string{"食", "（ ）", strings.Repeat("食", 51)} {
		r := h.query(t, `query($t: String) { typicalCases(filter: {text: $t}) { totalCount } }`, map[string]any{"t": text})
		if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "`text`") {
			t.Fatalf("case text %q: %s", text, r.raw)
		}
	}
	var p searchPage
	h.query(t, searchQuery, map[string]any{"q": "海禾"}).data(t, &p)
	r := h.query(t, `{ searchEnterprises(query: "泉州", after: "bogus") { totalCount } }`, nil)
	if r.code() != "BAD_USER_INPUT" {
		t.Fatalf("bad cursor: %s", r.raw)
	}
}
