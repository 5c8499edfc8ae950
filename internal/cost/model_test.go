package cost

import (
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestModelNamesSchemaFields keeps the tables true to the schema: a renamed
// field would otherwise silently fall back to the defaults.
func TestModelNamesSchemaFields(t *testing.T) {
	s := testSchema(t)
	m := DefaultModel()
	field := func(key string) *ast.FieldDefinition {
		typ, name, _ := strings.Cut(key, ".")
		d := s.Types[typ]
		if d == nil {
			return nil
		}
		return d.Fields.ForName(name)
	}
	for key := range m.Loaded {
		f := field(key)
		if f == nil {
			t.Errorf("Loaded: %s is not in the schema", key)
			continue
		}
		if k := s.Types[f.Type.Name()].Kind; f.Type.Elem != nil || k != ast.Object && k != ast.Interface {
			t.Errorf("Loaded: %s is not a single object", key)
		}
	}
	for key := range m.ListSize {
		if f := field(key); f == nil || f.Type.Elem == nil || f.Arguments.ForName("first") != nil {
			t.Errorf("ListSize: %s is not a list without `first` in the schema", key)
		}
	}
	for key, args := range m.ItemsFromArgs {
		for _, arg := range args {
			if f := field(key); f == nil || f.Type.Elem == nil || f.Arguments.ForName(arg) == nil || f.Arguments.ForName(arg).Type.Elem == nil {
				t.Errorf("ItemsFromArgs: %s is not a list with the list argument %q in the schema", key, arg)
			}
		}
	}
	for key := range m.ItemCost {
		if _, ok := m.ItemsFromArgs[key]; !ok {
			t.Errorf("ItemCost: %s has no ItemsFromArgs", key)
		}
	}
	for key := range m.FieldCost {
		if field(key) == nil {
			t.Errorf("FieldCost: %s is not in the schema", key)
		}
	}
}

// TestEveryObjectListIsPriced finds the fetches the model would miss: a
// list of objects that is neither a connection page nor sized.
func TestEveryObjectListIsPriced(t *testing.T) {
	s := testSchema(t)
	m := DefaultModel()
	for _, d := range s.Types {
		if d.Kind != ast.Object || strings.HasPrefix(d.Name, "__") || isConnection(d) {
			continue
		}
		for _, f := range d.Fields {
			elem := s.Types[f.Type.Name()]
			if f.Type.Elem == nil || elem.Kind != ast.Object && elem.Kind != ast.Interface {
				continue
			}
			_, sized := m.ListSize[d.Name+"."+f.Name]
			_, batch := m.ItemsFromArgs[d.Name+"."+f.Name]
			if !sized && !batch {
				t.Errorf("%s.%s is a list of objects without a ListSize: priced at DefaultListSize %d", d.Name, f.Name, m.DefaultListSize)
			}
		}
	}
}

func TestPageSizesMatchTheStore(t *testing.T) {
	if MaxFirst != store.MaxFirst || DefaultFirst != store.DefaultFirst {
		t.Errorf("cost prices pages at first ≤ %d (default %d); the store serves ≤ %d (default %d)", MaxFirst, DefaultFirst, store.MaxFirst, store.DefaultFirst)
	}
}

func TestDefaultModelIsAFreshCopy(t *testing.T) {
	m := DefaultModel()
	m.FieldCost["Query.enterprises"] = 50
	if _, ok := DefaultModel().FieldCost["Query.enterprises"]; ok {
		t.Fatal("changing one DefaultModel changed the next")
	}
	c := m.Clone()
	c.Loaded["Query.viewer"] = true
	if m.Loaded["Query.viewer"] {
		t.Fatal("changing a Clone changed its original")
	}
}

func TestFieldCostIsPerResolution(t *testing.T) {
	m := DefaultModel()
	m.FieldCost["Query.enterprises"] = 10 // say, a future export
	doc := validDoc(t, `{ enterprises { nodes { name } } }`)
	c, err := m.Calculate(testSchema(t), doc, doc.Operations[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Requested != 10 {
		t.Errorf("Requested = %d, want 10 (1 call + 1000 for FieldCost)", c.Requested)
	}
	if c2, _ := Calculate(testSchema(t), doc, doc.Operations[0], nil); c2.Requested != 1 {
		t.Errorf("the default model changed: Requested = %d", c2.Requested)
	}
}

// TestNodesPricedByIDs: nodes(ids:) is one read per ID, however the IDs
// come; node(id:) one read.
func TestNodesPricedByIDs(t *testing.T) {
	s := testSchema(t)
	ids := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = "x"
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		nodes int
	}{
		{"node", `{ node(id: "x") { id } }`, nil, 1},
		{"literal list", `{ nodes(ids: ["a", "b", "c"]) { id } }`, nil, 3},
		{"single value", `{ nodes(ids: "a") { id } }`, nil, 1},
		{"variable", `query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(40)}, 40},
		{"variable over the limit", `query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(500)}, MaxItems},
		{"coerced variable", `query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{"a", "b"}}, 2},
		{"empty list", `{ nodes(ids: []) { id } }`, nil, 0},
		{"nested per node", `{ nodes(ids: ["a", "b"]) { ... on Enterprise { penalties(first: 10) { nodes { id } } } } }`, nil, 2 + 2*10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := validDoc(t, tc.query)
			c, err := Calculate(s, doc, doc.Operations[0], tc.vars)
			if err != nil {
				t.Fatal(err)
			}
			if c.Nodes != tc.nodes {
				t.Errorf("Nodes = %d, want %d", c.Nodes, tc.nodes)
			}
		})
	}
}
