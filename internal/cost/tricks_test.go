package cost

import "testing"

// TestTricksCostWhatTheyFetch prices each trick next to the plain query that
// fetches the same rows: the trick must cost at least as much, in points and
// in nodes, and its depth must not hide.
func TestTricksCostWhatTheyFetch(t *testing.T) {
	const uscc = `"91350582MAE11H479P"`
	for _, tc := range []struct {
		name         string
		trick, plain string
		vars         map[string]any
	}{
		{
			name:  "fragment",
			trick: `{ enterprises(first: 100) { nodes { ...F } } } fragment F on Enterprise { penalties(first: 100) { nodes { decisionNumber } } }`,
			plain: pageQuery,
		},
		{
			name: "nested fragments",
			trick: `{ enterprises(first: 100) { ...C } }
fragment C on EnterpriseConnection { nodes { ...E } }
fragment E on Enterprise { ...P }
fragment P on Enterprise { penalties(first: 100) { nodes { decisionNumber } } }`,
			plain: pageQuery,
		},
		{
			name:  "inline fragments",
			trick: `{ enterprises(first: 100) { ... { nodes { ... on Enterprise { penalties(first: 100) { ... { nodes { decisionNumber } } } } } } } }`,
			plain: pageQuery,
		},
		{
			name:  "one spread under many parents",
			trick: `{ a: enterprise(uscc: ` + uscc + `) { ...Records } b: enterprise(uscc: ` + uscc + `) { ...Records } c: enterprise(uscc: ` + uscc + `) { ...Records } }` + recordsFragment,
			plain: `{
  a: enterprise(uscc: ` + uscc + `) { penalties(first: 100) { nodes { decisionNumber } } abnormalOperations { decisionNumber } }
  b: enterprise(uscc: ` + uscc + `) { penalties(first: 100) { nodes { decisionNumber } } abnormalOperations { decisionNumber } }
  c: enterprise(uscc: ` + uscc + `) { penalties(first: 100) { nodes { decisionNumber } } abnormalOperations { decisionNumber } }
}`,
		},
		{
			name:  "aliases ×30 cost 30 queries",
			trick: aliased(30, `enterprises(first: 100) { nodes { penalties(first: 100) { nodes { decisionNumber } } } }`),
			plain: `{ enterprises(first: 100) { nodes { penalties(first: 100) { nodes { decisionNumber } } } } }`,
		},
		{
			name:  "first by variable above range",
			trick: firstVarQuery, vars: map[string]any{"n": 100_000},
			plain: pageQuery,
		},
		{
			name:  "@skip(if: false) by variable",
			trick: `query($s: Boolean!) { enterprises(first: 100) { nodes { penalties(first: 100) @skip(if: $s) { nodes { decisionNumber } } } } }`,
			vars:  map[string]any{"s": false},
			plain: pageQuery,
		},
		{
			name:  "@include(if: true) on a fragment spread by variable",
			trick: `query($i: Boolean!) { enterprises(first: 100) { nodes { ...F @include(if: $i) } } } fragment F on Enterprise { penalties(first: 100) { nodes { decisionNumber } } }`,
			vars:  map[string]any{"i": true},
			plain: pageQuery,
		},
		{
			name:  "a skipped duplicate next to the real field",
			trick: `{ enterprises(first: 100) { nodes { penalties(first: 100) @skip(if: true) { nodes { facts } } penalties(first: 100) { nodes { decisionNumber } } } } }`,
			plain: pageQuery,
		},
		{
			name:  "the page hidden under introspection's neighbour",
			trick: `{ __typename __type(name: "Enterprise") { name } enterprises(first: 100) { nodes { penalties(first: 100) { nodes { decisionNumber } } } } }`,
			plain: pageQuery,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trick, plain := mustPrice(t, tc.trick, tc.vars), mustPrice(t, tc.plain, nil)
			if trick.Requested < plain.Requested || trick.Nodes < plain.Nodes || trick.Depth < plain.Depth {
				t.Errorf("the trick is cheaper than what it fetches:\ntrick %+v\nplain %+v", trick, plain)
			}
		})
	}
}

// TestAliasesScale checks that n aliased copies cost n times one copy.
func TestAliasesScale(t *testing.T) {
	const body = `enterprises(first: 100) { nodes { penalties(first: 100) { nodes { decisionNumber } } } }`
	one := mustPrice(t, "{ "+body+" }", nil)
	for _, n := range []int{2, 10, 30} {
		got := mustPrice(t, aliased(n, body), nil)
		if got.Nodes != n*one.Nodes || got.Aliases != n {
			t.Errorf("%d aliases: %+v, want %d nodes and %d aliases", n, got, n*one.Nodes, n)
		}
	}
}
