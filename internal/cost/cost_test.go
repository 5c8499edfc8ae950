package cost

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// golden is the table of representative queries and what they cost. Each
// `why` is the arithmetic: nodes are Σ parents × items, calls Σ parents
// (+100 per FieldCost point), Requested max(1, round(calls/100)).
var golden = []struct {
	name string
	q    string
	vars map[string]any
	raw  bool // parse only: what validation would refuse
	want Cost
	why  string
}{
	// Representative pages.
	{
		name: "profile: one enterprise, every nested connection and list",
		q:    profileQuery, vars: map[string]any{"uscc": "91350582MAE11H479P"},
		want: Cost{Requested: 1, Nodes: 67, Depth: 5},
		why:  "enterprise 1 + creditSummary 1 + licenses 10 + penalties 20 (schema default) + inspections 5 + 3 lists × 10; 8 calls",
	},
	{
		name: "100 enterprises with penalties(first: 100)",
		q:    pageQuery,
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
		why:  "100 + 100×100; calls 1 + 100 → round(1.01) = 1",
	},
	{
		name: "widest honest page: 100 enterprises, every nested connection at 100",
		q:    widestQuery,
		want: Cost{Requested: 8, Nodes: 33_200, Depth: 5},
		why:  "100 + 100×(3×100 + 3×10 + 1); calls 1 + 100 (totalCount: 1 point) + 100×7 = 801",
	},
	{
		name: "fan-out through listings to their enterprises' penalties",
		q:    fanOutQuery,
		want: Cost{Requested: 21, Nodes: 102_100, Depth: 7},
		why:  "100 + 100×10 listings + 1000 enterprises + 1000×100 penalties; calls 1 + 100 + 1000 + 1000",
	},
	// The root lists.
	{
		name: "serious list, 50 with their enterprises and totalCount",
		q:    `{ seriousDishonestyList(first: 50) { totalCount nodes { decisionNumber enterprise { name } } } }`,
		want: Cost{Requested: 2, Nodes: 100, Depth: 4},
		why:  "50 + 50 enterprises; calls 1 + 100 (totalCount) + 50 = 151",
	},
	{
		name: "abnormal list, default page through edges",
		q:    `{ abnormalOperationList { edges { cursor node { decisionNumber removal { removedOn } } } } }`,
		want: Cost{Requested: 1, Nodes: 20, Depth: 5},
		why:  "first defaults to 20 (schema); edges are the page, not a second fetch",
	},
	{
		name: "typical cases with their enterprises' penalties",
		q:    `{ typicalCases(first: 100) { nodes { title enterprise { name penalties { totalCount } } } } }`,
		want: Cost{Requested: 2, Nodes: 2200, Depth: 5},
		why:  "100 + 100 enterprises + 100×20 penalties; calls 1 + 100 + 100; nested totalCount is free",
	},
	{
		name: "audit log",
		q:    `{ auditLog(first: 100) { nodes { at keyName fields enterprises } } }`,
		want: Cost{Requested: 1, Nodes: 100, Depth: 3},
		why:  "lists of scalars are columns: free",
	},
	{
		name: "viewer: no fetch, the minimum",
		q:    `{ viewer { tier keyName asOf } }`,
		want: Cost{Requested: 1, Nodes: 0, Depth: 2},
	},
	// Aliases.
	{
		name: "aliases ×5 of the 100×100 page",
		q:    aliased(5, `enterprises(first: 100) { nodes { penalties(first: 100) { nodes { decisionNumber } } } }`),
		want: Cost{Requested: 5, Nodes: 50_500, Depth: 5, Aliases: 5},
		why:  "5 × 10,100 nodes, 5 × 101 calls: aliases never merge",
	},
	{
		name: "aliases ×31 of one lookup",
		q:    aliased(31, `enterprise(uscc: "91350582MAE11H479P") { name }`),
		want: Cost{Requested: 1, Nodes: 31, Depth: 2, Aliases: 31},
	},
	{
		name: "one connection under two aliases",
		q:    `{ enterprise(uscc: "91350582MAE11H479P") { recent: penalties(first: 5) { nodes { decisionNumber } } all: penalties(first: 100) { nodes { decisionNumber } } } }`,
		want: Cost{Requested: 1, Nodes: 106, Depth: 4, Aliases: 2},
	},
	{
		name: "totalCount ×30",
		q:    aliased(30, `enterprises { totalCount }`),
		want: Cost{Requested: 30, Nodes: 600, Depth: 2, Aliases: 30},
		why:  "30 × (20 nodes, 1 call + 100 for the COUNT) = 3030 calls",
	},
	// Merging, exactly as the spec merges.
	{
		name: "identical fields merge",
		q:    `{ enterprises(first: 100) { nodes { name } } enterprises(first: 100) { nodes { uscc } } }`,
		want: Cost{Requested: 1, Nodes: 100, Depth: 3},
	},
	{
		name: "same response name, other arguments: both priced (unvalidated)",
		q:    `{ enterprises(first: 100) { nodes { name } } enterprises(first: 50) { nodes { uscc } } }`,
		raw:  true,
		want: Cost{Requested: 1, Nodes: 150, Depth: 3},
	},
	{
		name: "same alias, other fields: both priced (unvalidated)",
		q:    `{ x: enterprises(first: 10) { nodes { name } } x: typicalCases(first: 10) { nodes { title } } }`,
		raw:  true,
		want: Cost{Requested: 1, Nodes: 20, Depth: 3, Aliases: 2},
	},
	// Fragments.
	{
		name: "fragment",
		q: `query { enterprises(first: 100) { nodes { ...Full } } }
fragment Full on Enterprise { name penalties(first: 100) { nodes { decisionNumber } } }`,
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "nested fragments",
		q: `query { enterprises(first: 100) { ...Page } }
fragment Page on EnterpriseConnection { nodes { ...Ent } }
fragment Ent on Enterprise { name ...Pen }
fragment Pen on Enterprise { penalties(first: 100) { nodes { ...P } } }
fragment P on Penalty { decisionNumber }`,
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "inline fragments",
		q:    `{ enterprises(first: 100) { nodes { ... on Enterprise { penalties(first: 100) { nodes { decisionNumber } } } ... { name } } } }`,
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "a spread under two parents counts twice",
		q:    `query { a: enterprise(uscc: "91350582MAE11H479P") { ...Records } b: enterprise(uscc: "9135010475428103X5") { ...Records } }` + recordsFragment,
		want: Cost{Requested: 1, Nodes: 222, Depth: 4, Aliases: 2},
		why:  "2 × (1 + 100 + 10)",
	},
	{
		name: "a spread repeated in one selection set executes once",
		q:    `query { enterprise(uscc: "91350582MAE11H479P") { ...Records ...Records } }` + recordsFragment,
		want: Cost{Requested: 1, Nodes: 111, Depth: 4},
	},
	{
		name: "a spread and the same field inline merge",
		q:    `query { enterprise(uscc: "91350582MAE11H479P") { ...Records penalties(first: 100) { nodes { fineAmount } } } }` + recordsFragment,
		want: Cost{Requested: 1, Nodes: 111, Depth: 4},
	},
	{
		name: "a fragment's aliases count wherever it is spread",
		q: `query {
  enterprises(first: 3) { nodes { ...Two } }
  typicalCases(first: 1) { nodes { enterprise { ...Two } } }
  abnormalOperationList(first: 1) { nodes { enterprise { ...Two } } }
}
fragment Two on Enterprise { recent: penalties(first: 5) { nodes { decisionNumber } } older: penalties(first: 50) { nodes { decisionNumber } } }`,
		want: Cost{Requested: 1, Nodes: 282, Depth: 6, Aliases: 6},
		why:  "(3 + 3×55) + (1 + 1 + 55) + (1 + 1 + 55)",
	},
	// @skip and @include.
	{
		name: "@skip/@include with literals",
		q:    `{ enterprise(uscc: "91350582MAE11H479P") { name penalties(first: 100) @skip(if: true) { nodes { decisionNumber } } licenses(first: 100) @include(if: false) { nodes { name } } inspections(first: 100) @include(if: true) { nodes { kind } } } }`,
		want: Cost{Requested: 1, Nodes: 101, Depth: 4},
	},
	{
		name: "@include by variable: true",
		q:    `query($full: Boolean!) { enterprise(uscc: "91350582MAE11H479P") { name penalties(first: 100) @include(if: $full) { nodes { decisionNumber } } } }`,
		vars: map[string]any{"full": true},
		want: Cost{Requested: 1, Nodes: 101, Depth: 4},
	},
	{
		name: "@include by variable: false",
		q:    `query($full: Boolean!) { enterprise(uscc: "91350582MAE11H479P") { name penalties(first: 100) @include(if: $full) { nodes { decisionNumber } } } }`,
		vars: map[string]any{"full": false},
		want: Cost{Requested: 1, Nodes: 1, Depth: 2},
	},
	{
		name: "@skip by a variable's default",
		q:    `query($lite: Boolean = true) { enterprise(uscc: "91350582MAE11H479P") { name penalties(first: 100) @skip(if: $lite) { nodes { decisionNumber } } } }`,
		want: Cost{Requested: 1, Nodes: 1, Depth: 2},
	},
	{
		name: "@skip by a variable's default, overridden",
		q:    `query($lite: Boolean = true) { enterprise(uscc: "91350582MAE11H479P") { name penalties(first: 100) @skip(if: $lite) { nodes { decisionNumber } } } }`,
		vars: map[string]any{"lite": false},
		want: Cost{Requested: 1, Nodes: 101, Depth: 4},
	},
	{
		name: "@skip on a spread, @include on an inline fragment",
		q:    `query($x: Boolean!) { enterprise(uscc: "91350582MAE11H479P") { ...Records @skip(if: $x) ... @include(if: $x) { licenses(first: 100) { nodes { name } } } } }` + recordsFragment,
		vars: map[string]any{"x": true},
		want: Cost{Requested: 1, Nodes: 101, Depth: 4},
	},
	{
		name: "a skipped copy does not hide an included one",
		q:    `{ enterprise(uscc: "91350582MAE11H479P") { penalties(first: 100) @skip(if: true) { nodes { facts } } penalties(first: 100) { nodes { decisionNumber } } } }`,
		want: Cost{Requested: 1, Nodes: 101, Depth: 4},
	},
	// `first` from variables.
	{
		name: "first from a variable",
		q:    firstVarQuery, vars: map[string]any{"n": int64(100)},
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "first from a variable as JSON decodes it (float64)",
		q:    firstVarQuery, vars: map[string]any{"n": float64(100)},
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "first from a variable as json.Number",
		q:    firstVarQuery, vars: map[string]any{"n": json.Number("100")},
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "first from a missing variable: the schema default",
		q:    firstVarQuery,
		want: Cost{Requested: 1, Nodes: 420, Depth: 5},
		why:  "20 + 20×20",
	},
	{
		name: "first from a null variable: the schema default",
		q:    firstVarQuery, vars: map[string]any{"n": nil},
		want: Cost{Requested: 1, Nodes: 420, Depth: 5},
	},
	{
		name: "first above 100 is priced at 100",
		q:    firstVarQuery, vars: map[string]any{"n": 1000},
		want: Cost{Requested: 1, Nodes: 10_100, Depth: 5},
	},
	{
		name: "first below 1 is priced at the default",
		q:    firstVarQuery, vars: map[string]any{"n": 0},
		want: Cost{Requested: 1, Nodes: 420, Depth: 5},
	},
	{
		name: "first from a variable's default",
		q:    `query($n: Int = 50) { enterprises(first: $n) { nodes { penalties(first: $n) { nodes { decisionNumber } } } } }`,
		want: Cost{Requested: 1, Nodes: 2550, Depth: 5},
		why:  "50 + 50×50",
	},
	{
		name: "first literal above 100",
		q:    `{ enterprises(first: 500) { nodes { name } } }`,
		want: Cost{Requested: 1, Nodes: 100, Depth: 3},
	},
	// Introspection and __typename.
	{
		name: "introspection: GraphiQL's query",
		q:    introspectionQuery,
		want: Cost{Requested: 1, Nodes: 0, Depth: 1},
		why:  "__schema is 1 point (100 calls); its 13 levels add no depth",
	},
	{
		name: "__type",
		q:    `{ __type(name: "Enterprise") { name fields { name type { name ofType { name } } } } }`,
		want: Cost{Requested: 1, Nodes: 0, Depth: 1},
	},
	{
		name: "introspection twice under aliases",
		q:    `{ a: __schema { types { name } } b: __schema { t: types { name } } }`,
		want: Cost{Requested: 2, Nodes: 0, Depth: 1, Aliases: 3},
		why:  "2 × 100 calls = 2 points; aliases inside introspection count",
	},
	{
		name: "introspection alongside data",
		q:    `{ __type(name: "Enterprise") { name } enterprise(uscc: "91350582MAE11H479P") { name } }`,
		want: Cost{Requested: 1, Nodes: 1, Depth: 2},
	},
	{
		name: "__typename is free",
		q:    `{ __typename enterprises(first: 10) { __typename nodes { __typename } } }`,
		want: Cost{Requested: 1, Nodes: 10, Depth: 2},
	},
	// Unvalidated documents that end.
	{
		name: "fragments spreading each other within one selection set",
		q: `{ enterprise(uscc: "91350582MAE11H479P") { ...A } }
fragment A on Enterprise { name ...B }
fragment B on Enterprise { uscc ...A }`,
		raw:  true,
		want: Cost{Requested: 1, Nodes: 1, Depth: 2},
	},
}

const firstVarQuery = `query($n: Int) { enterprises(first: $n) { nodes { penalties(first: $n) { nodes { decisionNumber } } } } }`

func TestCalculateGolden(t *testing.T) {
	for _, tc := range golden {
		t.Run(tc.name, func(t *testing.T) {
			got, err := price(t, tc.q, tc.vars, tc.raw)
			if err != nil {
				t.Fatalf("Calculate: %v", err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v\n(%s)", got, tc.want, tc.why)
			}
		})
	}
}

// fragmentBomb doubles the fields at each of n fragments: 2^n expanded.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ enterprise(uscc: \"91350582MAE11H479P\") { ...F0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Enterprise { abnormalOperations { enterprise { ...F%d } } seriousDishonesty { enterprise { ...F%d } } }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Enterprise { name }\n", n)
	return b.String()
}

func TestCalculateRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		q       string
		raw     bool
		code    string // a *LimitError with this code
		invalid bool   // an error wrapping ErrInvalid
	}{
		{
			name: "a fragment cycle through fields",
			q: `{ abnormalOperationList { nodes { ...L } } }
fragment L on Listing { enterprise { abnormalOperations { ...L } } }`,
			raw: true, code: CodeMaxDepth,
		},
		{name: "a fragment bomb", q: fragmentBomb(24), raw: true, code: CodeMaxFields},
		{name: "a valid but exponential document", q: fragmentBomb(12), code: CodeMaxFields},
		{name: "an unknown field", q: `{ enterprise(uscc: "x") { secret } }`, raw: true, invalid: true},
		{name: "an unknown fragment", q: `{ enterprise(uscc: "x") { ...Nope } }`, raw: true, invalid: true},
		{name: "an unknown type condition", q: `{ enterprise(uscc: "x") { ... on Nope { name } } }`, raw: true, invalid: true},
		{name: "a mutation the schema lacks", q: `mutation { enterprise(uscc: "x") { name } }`, raw: true, invalid: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := price(t, tc.q, nil, tc.raw)
			var le *LimitError
			switch {
			case err == nil:
				t.Fatal("Calculate succeeded, want an error")
			case tc.invalid && !errors.Is(err, ErrInvalid):
				t.Fatalf("err = %v, want ErrInvalid", err)
			case tc.code != "" && (!errors.As(err, &le) || le.Code != tc.code):
				t.Fatalf("err = %v, want a LimitError %s", err, tc.code)
			}
		})
	}
}

func TestCalculateNilInputs(t *testing.T) {
	s := testSchema(t)
	doc := validDoc(t, `{ viewer { tier } }`)
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"nil schema", func() error { _, err := Calculate(nil, doc, doc.Operations[0], nil); return err }},
		{"nil document", func() error { _, err := Calculate(s, nil, doc.Operations[0], nil); return err }},
		{"nil operation", func() error { _, err := Calculate(s, doc, nil, nil); return err }},
		{"nil operation context", func() error { _, err := FromOperation(s, nil); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}
