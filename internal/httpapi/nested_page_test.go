package httpapi

import (
	"slices"
	"testing"
)

// A nested connection pages by the cursors its pageInfo or edges give,
// whichever is selected (cursors are only encoded when one of them is),
// and a page that selects neither holds the same nodes.
func TestNestedConnectionPagination(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		type conn struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Edges []struct{ Cursor string }
			Nodes []struct{ InspectionID string }
		}
		type page struct{ Enterprise struct{ Inspections conn } }
		var all page
		h.query(t, `{ enterprise(uscc: "`+foodCo+`") { inspections(first: 100) { totalCount nodes { inspectionId } } } }`, nil).data(t, &all)
		want := all.Enterprise.Inspections
		if want.TotalCount < 2 || len(want.Nodes) != want.TotalCount {
			t.Fatalf("fixture: %d inspections, %d nodes", want.TotalCount, len(want.Nodes))
		}
		walks := []struct{ name, q string }{
			{"pageInfo", `query($after: String) { enterprise(uscc: "` + foodCo + `") { inspections(first: 1, after: $after) {
			  pageInfo { hasNextPage endCursor } nodes { inspectionId } } } }`},
			{"edges in a fragment", `query($after: String) { enterprise(uscc: "` + foodCo + `") { inspections(first: 1, after: $after) {
			  ... on InspectionConnection { edges { cursor } } nodes { inspectionId } } } }`},
		}
		for _, w := range walks {
			var seen []string
			var after any
			for range want.TotalCount + 1 {
				var p page
				h.query(t, w.q, map[string]any{"after": after}).data(t, &p)
				c := p.Enterprise.Inspections
				for _, n := range c.Nodes {
					seen = append(seen, n.InspectionID)
				}
				if len(c.Edges) > 0 {
					after = c.Edges[len(c.Edges)-1].Cursor
					if len(seen) == want.TotalCount {
						break
					}
					continue
				}
				if !c.PageInfo.HasNextPage {
					break
				}
				after = *c.PageInfo.EndCursor
			}
			var ids []string
			for _, n := range want.Nodes {
				ids = append(ids, n.InspectionID)
			}
			if !slices.Equal(seen, ids) {
				t.Errorf("%s: walked %q, want %q", w.name, seen, ids)
			}
		}
	})
}
