package cost

import "testing"

// Screening is priced per input: one point each, plus what each result
// selects, whether the batch is a literal or a variable, under either
// argument name; past MaxItems it is priced as MaxItems (the resolver
// refuses it).
func TestScreeningPricedPerInput(t *testing.T) {
	inputs := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"ref": "r", "uscc": "91350100MA2XYK001G"}
		}
		return out
	}
	const byVar = `query($in: [ScreeningInput!]) { screenCounterparties(inputs: $in) { ref status flags { code } } }`
	for _, tc := range []struct {
		name     string
		q        string
		vars     map[string]any
		min, max int
	}{
		{"literal 2", `{ screenCounterparties(inputs: [{ref: "a", uscc: "x"}, {ref: "b", name: "y"}]) { ref } }`, nil, 2, 2},
		{"variable 10", byVar, map[string]any{"in": inputs(10)}, 10, 11},
		{"variable 100", byVar, map[string]any{"in": inputs(100)}, 100, 110},
		{"variable 1000", byVar, map[string]any{"in": inputs(1000)}, 100, 110},
		{"alias queries", `query($q: [ScreeningQuery!]) { screenCounterparties(queries: $q) { ref } }`, map[string]any{"q": inputs(50)}, 50, 51},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := price(t, tc.q, tc.vars, true)
			if err != nil {
				t.Fatal(err)
			}
			if c.Requested < tc.min || c.Requested > tc.max {
				t.Errorf("requested %d points, want %d–%d", c.Requested, tc.min, tc.max)
			}
		})
	}
}
