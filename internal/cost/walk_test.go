package cost

import (
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestWideSelectionSets crosses indexFrom, where response names move from a
// scan to a map: merging must not change.
func TestWideSelectionSets(t *testing.T) {
	for _, width := range []int{indexFrom - 1, indexFrom, indexFrom + 1, 3 * indexFrom} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var b strings.Builder
			b.WriteString(`{ enterprise(uscc: "91350582MAE11H479P") {`)
			want := Cost{Requested: 1, Nodes: 1, Depth: 4, Aliases: width}
			for copy := range 2 { // the second copy merges into the first
				for i := 1; i <= width; i++ {
					fmt.Fprintf(&b, " p%d: penalties(first: %d) { nodes { decisionNumber } }", i, i)
					if copy == 0 {
						want.Nodes += min(i, MaxFirst)
					}
				}
			}
			b.WriteString(" } }")
			got := mustPrice(t, b.String(), nil)
			want.Requested = max(1, (1+width+CallsPerPoint/2)/CallsPerPoint)
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestFromOperationPicksTheNamedOperation(t *testing.T) {
	s := testSchema(t)
	doc := validDoc(t, `
query Small { viewer { tier } }
query Page($n: Int) { enterprises(first: $n) { nodes { name } } }`)
	for _, tc := range []struct {
		name string
		oc   *graphql.OperationContext
		want int
	}{
		{"by name", &graphql.OperationContext{Doc: doc, OperationName: "Page", Variables: map[string]any{"n": 70}}, 70},
		{"by Operation", &graphql.OperationContext{Doc: doc, Operation: doc.Operations.ForName("Small")}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromOperation(s, tc.oc)
			if err != nil {
				t.Fatal(err)
			}
			if c.Nodes != tc.want {
				t.Errorf("nodes = %d, want %d", c.Nodes, tc.want)
			}
		})
	}
	if _, err := FromOperation(s, &graphql.OperationContext{Doc: doc}); err == nil {
		t.Error("no operation named, two in the document: want an error")
	}
}

func TestNilModelIsTheDefault(t *testing.T) {
	doc := validDoc(t, pageQuery)
	var m *Model
	got, err := m.Calculate(testSchema(t), doc, doc.Operations[0], nil)
	if err != nil || got.Nodes != 10_100 {
		t.Errorf("got %+v, %v", got, err)
	}
}

// abstractSchema has an interface and a union: fragments on them must be
// priced at the worst case. (Its Query.node is priced as Creditgraph's,
// one loaded read.)
const abstractSchema = `
type Query { search(first: Int = 10): ResultConnection! node: Node }
interface Node { id: ID! }
type Shop implements Node { id: ID! penalties(first: Int = 20): PenaltyConnection! }
type Case implements Node { id: ID! related: [Shop!]! }
type Penalty { n: Int }
union Result = Shop | Case
type ResultConnection { nodes: [Result!]! }
type PenaltyConnection { nodes: [Penalty!]! }
`

func TestAbstractTypes(t *testing.T) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "abstract.graphqls", Input: abstractSchema})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    string
		want Cost
	}{
		{
			name: "union: every member's fragment, as if each item were all of them",
			q:    `{ search(first: 10) { nodes { ... on Shop { penalties(first: 5) { nodes { n } } } ... on Case { related { id } } } } }`,
			want: Cost{Requested: 1, Nodes: 10 + 10*5 + 10*10, Depth: 5},
		},
		{
			name: "interface field, then a concrete fragment",
			q:    `{ node { id ... on Shop { penalties { nodes { n } } } } }`,
			want: Cost{Requested: 1, Nodes: 1 + 20, Depth: 4},
		},
		{
			name: "a fragment on an interface applies to its implementations",
			q:    `{ search { nodes { ... on Shop { ...N } } } } fragment N on Node { id }`,
			want: Cost{Requested: 1, Nodes: 10, Depth: 3},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQueryWithRules(s, tc.q, nil)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			got, err := Calculate(s, doc, doc.Operations[0], nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
