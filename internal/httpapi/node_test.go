package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/store"
)

// TestNodeRoundTrip: the id of every object a profile shows fetches that
// object again through node(id:) and nodes(ids:), for every tier, on every
// backend.
func TestNodeRoundTrip(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		for _, c := range leakCallers {
			var prof struct {
				Enterprise struct {
					ID        string
					Penalties struct {
						Nodes []struct{ ID, DecisionNumber string }
					}
					Licenses struct {
						Nodes []struct{ ID, LicenseNumber string }
					}
					Serious []struct{ ID, DecisionNumber string } `json:"seriousDishonesty"`
				}
			}
			h.query(t, `{ enterprise(uscc: "`+canaryCA+`") { id penalties { nodes { id decisionNumber } }
				licenses { nodes { id licenseNumber } } seriousDishonesty { id decisionNumber } } }`, nil, c.headers...).data(t, &prof)
			ids := []string{prof.Enterprise.ID}
			for _, p := range prof.Enterprise.Penalties.Nodes {
				ids = append(ids, p.ID)
			}
			for _, l := range prof.Enterprise.Licenses.Nodes {
				ids = append(ids, l.ID)
			}
			if len(ids) < 3 {
				t.Fatalf("%s: the profile shows too little to test: %v", c.name, ids)
			}
			for _, id := range ids {
				var one struct{ Node struct{ ID, Typename string } }
				res := h.query(t, `query($id: ID!) { node(id: $id) { id typename: __typename } }`, map[string]any{"id": id}, c.headers...)
				res.data(t, &one)
				if one.Node.ID != id {
					t.Errorf("%s: node(id: %q) = %s", c.name, id, res.raw)
				}
			}
			var many struct{ Nodes []*struct{ ID string } }
			h.query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": append(ids, graph.GlobalID(store.KindPenalty, "NO-SUCH"))}, c.headers...).data(t, &many)
			if len(many.Nodes) != len(ids)+1 || many.Nodes[len(ids)] != nil {
				t.Fatalf("%s: nodes(ids:) gave %d answers for %d IDs, the unknown last one %v", c.name, len(many.Nodes), len(ids)+1, many.Nodes[len(many.Nodes)-1])
			}
			for i, id := range ids {
				if many.Nodes[i] == nil || many.Nodes[i].ID != id {
					t.Errorf("%s: nodes(ids:)[%d] = %v, want %s", c.name, i, many.Nodes[i], id)
				}
			}
		}
	})
}

// TestNodeHiddenIsUnknown: for a caller below REGULATOR, the ID of a record
// it may not see (REGULATOR reads it: it exists) answers byte for byte what
// the ID of a record that does not exist answers.
func TestNodeHiddenIsUnknown(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		hidden := []string{
			graph.GlobalID(store.KindPenalty, "CANARY-EXPIRED-PENALTY-DECNO"),
			graph.GlobalID(store.KindPenalty, "CANARY-WITHDRAWN-PENALTY-DECNO"),
			graph.GlobalID(store.KindPenalty, "CANARY-SIMPLE-PENALTY-DECNO"),
			graph.GlobalID(store.KindPenalty, "CANARY-REPAIRED-PENALTY-DECNO"),
			graph.GlobalID(store.KindSeriousListing, "CANARY-EXPIRED-SERIOUS-DECNO"),
			graph.GlobalID(store.KindSeriousListing, "CANARY-REPAIRED-SERIOUS-DECNO"),
			graph.GlobalID(store.KindAbnormalListing, "CANARY-UNLISTED-ABNORMAL-DECNO"),
			graph.GlobalID(store.KindTypicalCase, "CANARY-UNPUBLISHED-CASE-ID"),
		}
		unknown := graph.GlobalID(store.KindPenalty, "CANARY-NOSUCH-PENALTY-DECNO")
		const q = `query($id: ID!) { node(id: $id) { id ... on Penalty { decisionNumber } ... on Listing { decisionNumber } ... on TypicalCase { caseId } } }`
		for _, id := range hidden {
			res := h.query(t, q, map[string]any{"id": id}, bearer(regulatorKey)...)
			if len(res.Errors) > 0 || string(res.Data) == `{"node":null}` {
				t.Fatalf("REGULATOR cannot read %s: %s", id, res.raw)
			}
		}
		for _, c := range leakCallers[:3] {
			want := h.query(t, q, map[string]any{"id": unknown}, c.headers...)
			for _, id := range hidden {
				got := h.query(t, q, map[string]any{"id": id}, c.headers...)
				if got.status != want.status || answer(t, got) != answer(t, want) {
					t.Errorf("%s: node(id:) of a hidden record differs from an unknown one:\n got  %d %s\n want %d %s", c.name, got.status, got.raw, want.status, want.raw)
				}
			}
			all := append([]string{unknown}, hidden...)
			res := h.query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": all}, c.headers...)
			if wantNulls := `{"nodes":[` + strings.TrimSuffix(strings.Repeat("null,", len(all)), ",") + `]}`; string(res.Data) != wantNulls || len(res.Errors) > 0 {
				t.Errorf("%s: nodes(ids:) of hidden records: %s", c.name, res.raw)
			}
		}
	})
}

// TestNodeBadInput: what is not a global ID, and too many IDs, are
// BAD_USER_INPUT naming the argument; the message never echoes the input.
func TestNodeBadInput(t *testing.T) {
	h := newHarness(t, memoryStore())
	many := make([]string, graph.MaxNodeIDs+1)
	for i := range many {
		many[i] = graph.GlobalID(store.KindPenalty, fmt.Sprint("P", i))
	}
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"not base64", `{ node(id: "not an id!") { id } }`, nil, "`id` is not a global ID"},
		{"unknown kind", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": graph.GlobalID("secret_kind", "x")}, "`id` is not a global ID"},
		{"no key", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": graph.GlobalID(store.KindPenalty, "")}, "`id` is not a global ID"},
		{"one bad among good", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{graph.GlobalID(store.KindPenalty, "P1"), "@@"}}, "`id` is not a global ID"},
		{"too many", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": many}, "`ids` takes at most 100 IDs, got 101"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.query(t, tc.query, tc.vars)
			if res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, tc.want) {
				t.Fatalf("want BAD_USER_INPUT %q, got %s", tc.want, res.raw)
			}
			if strings.Contains(res.Errors[0].Message, "secret_kind") || strings.Contains(res.Errors[0].Message, "not an id") {
				t.Errorf("the message echoes the input: %s", res.raw)
			}
		})
	}
}

// TestNodeCost: node costs what enterprise costs; nodes is priced by its IDs.
func TestNodeCost(t *testing.T) {
	h := newHarness(t, memoryStore())
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = graph.GlobalID(store.KindEnterprise, fmt.Sprint("E", i))
	}
	var out struct {
		RateLimit struct{ Cost, NodeCount int }
	}
	h.query(t, `query($ids: [ID!]!) { rateLimit(dryRun: true) { cost nodeCount } nodes(ids: $ids) { ... on Enterprise { penalties(first: 100) { nodes { id } } } } }`,
		map[string]any{"ids": ids}).data(t, &out)
	if out.RateLimit.NodeCount != 100+100*100 || out.RateLimit.Cost != 1 {
		t.Errorf("100 enterprises by ID with 100 penalties each: cost %d, nodes %d; want 1 point (101 fetches, as by enterprises), 10100 nodes", out.RateLimit.Cost, out.RateLimit.NodeCount)
	}
}

// answer is a response without what changes from one request to the next
// (the budget left), as JSON.
func answer(t *testing.T, r response) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.raw, &m); err != nil {
		t.Fatal(err)
	}
	if c, ok := jsonObj(jsonObj(m["extensions"])["cost"])["throttleStatus"].(map[string]any); ok {
		delete(c, "currentlyAvailable")
	}
	b, _ := json.Marshal(m)
	return string(b) + " " + r.header.Get("Creditgraph-Cache")
}
