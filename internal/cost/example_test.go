package cost_test

import (
	"fmt"
	"os"

	"github.com/creditgraph/creditgraph/internal/cost"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func Example() {
	b, err := os.ReadFile("../../schema.graphqls")
	if err != nil {
		panic(err)
	}
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(b)})
	doc := gqlparser.MustLoadQueryWithRules(schema, `query ($n: Int) {
  enterprises(first: $n) {
    nodes { abnormalOperations { enterprise { penalties(first: 100) { nodes { decisionNumber } } } } }
  }
}`, nil)

	for _, n := range []int{1, 100} {
		c, err := cost.Calculate(schema, doc, doc.Operations[0], map[string]any{"n": n})
		if err != nil {
			panic(err)
		}
		fmt.Printf("first: %d → %+v: %v\n", n, c, cost.DefaultLimits().Check(c))
	}
	// Output:
	// first: 1 → {Requested:1 Nodes:1021 Depth:7 Aliases:0}: <nil>
	// first: 100 → {Requested:21 Nodes:102100 Depth:7 Aliases:0}: query requests up to 102100 nodes; the limit is 50000 per query (lower `first` on nested connections)
}
