package httpapi

// The leak suite's probes: each tier's schema, read by introspection, and
// the queries derived from it (every root field with every argument variant,
// every field selected, union members and conflicting fields aliased).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/store"
)

type introType struct {
	Kind   string
	Name   *string
	OfType *introType
}

// named returns the named type under the list and non-null wrappers.
func (t *introType) named() (name, kind string) {
	for t.OfType != nil {
		t = t.OfType
	}
	if t.Name == nil {
		return "", t.Kind
	}
	return *t.Name, t.Kind
}

type introInput struct {
	Name         string
	DefaultValue *string
	Type         introType
}

func (a introInput) required() bool { return a.Type.Kind == "NON_NULL" && a.DefaultValue == nil }

type introField struct {
	Name string
	Args []introInput
	Type introType
}

type introTypeDef struct {
	Kind          string
	Name          string
	Fields        []introField
	InputFields   []introInput
	EnumValues    []struct{ Name string }
	PossibleTypes []struct{ Name string }
}

type introSchema struct {
	query, mutation, subscription string // root type names; "" when the schema has none
	types                         map[string]*introTypeDef
}

func (s *introSchema) field(typ, name string) *introField {
	if def := s.types[typ]; def != nil {
		for i := range def.Fields {
			if def.Fields[i].Name == name {
				return &def.Fields[i]
			}
		}
	}
	return nil
}

// rootOf guesses the root type of a response's data: the query's, unless
// its fields are the mutation's or the subscription's.
func (s *introSchema) rootOf(data any) string {
	m, _ := data.(map[string]any)
	for _, root := range []string{s.mutation, s.subscription} {
		for k := range m {
			if root != "" && s.field(root, k) != nil && s.field(s.query, k) == nil {
				return root
			}
		}
	}
	if root := s.subscription; root != "" {
		// changes is a root of both Query and Subscription: a subscription
		// event's changes is one Change, not a connection.
		if c, ok := m["changes"].(map[string]any); ok && c["cursor"] != nil {
			return root
		}
	}
	return s.query
}

// has reports whether the schema has field "Type.field".
func (s *introSchema) has(typeField string) bool {
	typ, name, _ := strings.Cut(typeField, ".")
	return s.field(typ, name) != nil
}

// --- Queries derived from a schema.

// leakDepth is how many object levels a derived selection goes down: deep
// enough for Query.seriousDishonestyList → edges → node → enterprise →
// penalties → edges → node → disclosureState. A filter variant reads the
// rows the filter keeps and what is on them, to leakVariantDepth: what lies
// deeper comes from the same loaders the unfiltered probe walks.
const (
	leakDepth        = 8
	leakVariantDepth = 4
)

// leakProbe is one derived operation: a query, a mutation (run first,
// unwatch before watch, so the watchlist probes find the canaries watched)
// or a subscription (read over server-sent events, see runStream).
type leakProbe struct {
	op      string // "query", "mutation" or "subscription"
	root    string
	args    string          // the root field's arguments
	query   string          // the whole document
	fields  map[string]bool // every Type.field it names
	boolIn  string          // a Boolean filter field this variant sets, if any
	boolVal bool
}

func (p *leakProbe) label() string { return p.root + "(" + p.args + ")" }

type probeDeriver struct {
	s         *introSchema
	depth     int
	unfilled  map[string]bool // fields with a required argument the suite cannot fill
	unhandled map[string]bool // fields of a kind the suite cannot select
}

// deriveProbes builds the probes of a schema: every root field, with its
// required arguments filled from the canary data, `first: 50`, and a
// variant for every Boolean (true, false) and enum value of its
// input-object arguments.
func deriveProbes(t *testing.T, s *introSchema) []*leakProbe {
	t.Helper()
	d := newProbeDeriver(s)
	var out []*leakProbe
	type root struct {
		op string
		f  introField
	}
	var roots []root
	if def := s.types[s.mutation]; def != nil {
		fs := slices.Clone(def.Fields)
		slices.SortFunc(fs, func(a, b introField) int { return strings.Compare(a.Name, b.Name) }) // unwatch, then watch
		for _, f := range fs {
			roots = append(roots, root{"mutation", f})
		}
	}
	for _, f := range s.types[s.query].Fields {
		roots = append(roots, root{"query", f})
	}
	if def := s.types[s.subscription]; def != nil {
		for _, f := range def.Fields {
			roots = append(roots, root{"subscription", f})
		}
	}
	for _, rt := range roots {
		f := rt.f
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		sets, ok := d.rootArgs(f)
		if !ok {
			continue
		}
		if rt.op == "subscription" {
			sets = sets[:1] // one stream per root: its filters are the query's
		}
		rootType := map[string]string{"query": s.query, "mutation": s.mutation, "subscription": s.subscription}[rt.op]
		for _, set := range sets {
			d.depth = leakDepth
			if set.variant {
				d.depth = leakVariantDepth
			}
			used := map[string]bool{rootType + "." + f.Name: true}
			sel := ""
			if typ, kind := f.Type.named(); kind == "OBJECT" || kind == "INTERFACE" {
				sel = " " + d.selection(typ, 1, map[string]bool{typ: true}, used)
			}
			p := &leakProbe{op: rt.op, root: f.Name, args: set.args, fields: used, boolIn: set.boolIn, boolVal: set.boolVal}
			p.query = rt.op + " LeakProbe { " + f.Name + wrapArgs(set.args) + sel + " }"
			out = append(out, p)
		}
	}
	for f := range d.unfilled {
		t.Errorf("%s has a required argument the leak suite cannot fill: teach rootArgs or nestedArgs", f)
	}
	for f := range d.unhandled {
		t.Errorf("%s is of a kind the leak suite cannot select (interface or union?): teach selection", f)
	}
	return out
}

func newProbeDeriver(s *introSchema) *probeDeriver {
	return &probeDeriver{s: s, depth: leakDepth, unfilled: map[string]bool{}, unhandled: map[string]bool{}}
}

func wrapArgs(args string) string {
	if args == "" {
		return ""
	}
	return "(" + args + ")"
}

type probeArgs struct {
	args    string
	variant bool // sets a filter field
	boolIn  string
	boolVal bool
}

func (d *probeDeriver) rootArgs(f introField) ([]probeArgs, bool) {
	var fixed, usccs []string
	variants := []probeArgs{{}}
	byID := false // a record by its global ID: read to leakVariantDepth, like a row of a filtered list
	for _, a := range f.Args {
		typ, kind := a.Type.named()
		switch {
		case a.Name == "uscc" && (typ == "ID" || typ == "String") && a.required():
			for _, u := range canaryEnterprises {
				usccs = append(usccs, "uscc: "+strconv.Quote(u))
			}
		case a.Name == "first" && typ == "Int":
			fixed = append(fixed, "first: 50")
		case a.Name == "query" && typ == "String" && a.required():
			// Every canary enterprise's name holds the trade name 哨兵.
			fixed = append(fixed, `query: "哨兵"`)
		case a.Name == "id" && typ == "ID" && a.required():
			// node(id:): every record of the fixture, public or not, one
			// probe each; and one no record has.
			for _, id := range append(canaryIDs(), graph.GlobalID(store.KindPenalty, "LEAKTEST-NO-SUCH-DECISION")) {
				usccs = append(usccs, "id: "+strconv.Quote(id))
			}
			byID = true
		case a.Name == "ids" && typ == "ID" && a.required():
			// nodes(ids:): all of them at once.
			var ids []string
			for _, id := range canaryIDs() {
				ids = append(ids, strconv.Quote(id))
			}
			fixed = append(fixed, "ids: ["+strings.Join(ids, ", ")+"]")
			byID = true
		case a.Name == "usccs" && typ == "ID" && a.required():
			quoted := make([]string, len(canaryEnterprises))
			for i, u := range canaryEnterprises {
				quoted[i] = strconv.Quote(u)
			}
			fixed = append(fixed, "usccs: ["+strings.Join(quoted, ", ")+"]")
		case a.required():
			d.unfilled["Query."+f.Name+"("+a.Name+":)"] = true
			return nil, false
		case kind == "INPUT_OBJECT" && d.s.inputHas(typ, "ref", "uscc", "name"):
			// A screening batch: every canary enterprise by code and by name.
			fixed = append(fixed, a.Name+": "+canaryScreeningInputs())
		case kind == "INPUT_OBJECT":
			variants = append(variants, d.inputVariants(a.Name, typ)...)
		}
	}
	if usccs == nil {
		usccs = []string{""}
	}
	var out []probeArgs
	for _, u := range usccs {
		for _, v := range variants {
			parts := slices.DeleteFunc(append([]string{u}, append(slices.Clone(fixed), v.args)...), func(s string) bool { return s == "" })
			out = append(out, probeArgs{args: strings.Join(parts, ", "), variant: v.variant || byID, boolIn: v.boolIn, boolVal: v.boolVal})
		}
	}
	return out, true
}

// inputHas reports whether input object typ has every field named.
func (s *introSchema) inputHas(typ string, names ...string) bool {
	t, ok := s.types[typ]
	if !ok {
		return false
	}
	for _, n := range names {
		if !slices.ContainsFunc(t.InputFields, func(in introInput) bool { return in.Name == n }) {
			return false
		}
	}
	return true
}

// canaryScreeningInputs screens every canary enterprise by its code and by
// its name, in one batch.
func canaryScreeningInputs() string {
	raw, err := os.ReadFile(canaryFixture)
	if err != nil {
		panic(err)
	}
	var parts []string
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var rec struct{ Kind, USCC, Name string }
		if json.Unmarshal(line, &rec) == nil && rec.Kind == "enterprise" && slices.Contains(canaryEnterprises, rec.USCC) {
			parts = append(parts, fmt.Sprintf("{ref: %q, uscc: %q}", "code "+rec.USCC, rec.USCC),
				fmt.Sprintf("{ref: %q, name: %q}", "name "+rec.USCC, rec.Name))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// inputVariants sets one field of an input object at a time: each Boolean
// to true and to false, each enum to each of its values.
func (d *probeDeriver) inputVariants(arg, typ string) []probeArgs {
	var out []probeArgs
	for _, in := range d.s.types[typ].InputFields {
		name, kind := in.Type.named()
		switch {
		case name == "Boolean":
			for _, b := range []bool{true, false} {
				out = append(out, probeArgs{args: fmt.Sprintf("%s: {%s: %t}", arg, in.Name, b), variant: true, boolIn: in.Name, boolVal: b})
			}
		case kind == "ENUM":
			for _, v := range d.s.types[name].EnumValues {
				out = append(out, probeArgs{args: fmt.Sprintf("%s: {%s: %s}", arg, in.Name, v.Name), variant: true})
			}
		}
	}
	return out
}

// nestedArgs fills a nested field's arguments: `first: 20` (within the node limit; the fixture has fewer records per enterprise), nothing else.
func (d *probeDeriver) nestedArgs(owner string, f introField) (string, bool) {
	var parts []string
	for _, a := range f.Args {
		typ, _ := a.Type.named()
		switch {
		case a.Name == "first" && typ == "Int":
			parts = append(parts, "first: 20")
		case a.required():
			d.unfilled[owner+"."+f.Name+"("+a.Name+":)"] = true
			return "", false
		}
	}
	return wrapArgs(strings.Join(parts, ", ")), true
}

// selection selects every scalar and enum field of typ and recurses into
// object fields, leakDepth levels down at most and never into a type
// already on the path (Listing.enterprise → Enterprise.seriousDishonesty
// stops there). used collects the Type.field names selected.
func (d *probeDeriver) selection(typ string, depth int, onPath, used map[string]bool) string {
	return d.selectionAliased(typ, depth, onPath, used, nil)
}

// selectionAliased is selection with the fields named in alias (at this
// level only) aliased typ__field.
func (d *probeDeriver) selectionAliased(typ string, depth int, onPath, used, alias map[string]bool) string {
	var parts []string
	for _, f := range d.s.types[typ].Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		args, ok := d.nestedArgs(typ, f)
		if !ok {
			continue
		}
		name := f.Name
		if alias[f.Name] {
			name = typ + "__" + f.Name + ": " + f.Name
		}
		switch ftyp, kind := f.Type.named(); kind {
		case "SCALAR", "ENUM":
			parts = append(parts, name+args)
		case "OBJECT", "INTERFACE", "UNION": // a union: its members as fragments, below
			if depth >= d.depth || onPath[ftyp] {
				continue
			}
			onPath[ftyp] = true
			sub := d.selection(ftyp, depth+1, onPath, used)
			delete(onPath, ftyp)
			if sub == "" {
				continue
			}
			parts = append(parts, name+args+" "+sub)
		default:
			d.unhandled[typ+"."+f.Name] = true
			continue
		}
		used[typ+"."+f.Name] = true
	}
	// An interface (Node): its own fields above, its __typename (which
	// scanCanaries reads to attribute what is below), then everything of each
	// type that implements it, as a fragment at the same level. A field two
	// implementations type differently would not validate side by side: it
	// is aliased Type__field, which scanCanaries reads back.
	if pts := d.s.types[typ].PossibleTypes; len(pts) > 0 {
		parts = append(parts, "__typename")
		conflicts := d.conflictingFields(pts)
		for _, pt := range pts {
			if onPath[pt.Name] {
				continue
			}
			onPath[pt.Name] = true
			sub := d.selectionAliased(pt.Name, depth, onPath, used, conflicts)
			delete(onPath, pt.Name)
			if sub != "" {
				parts = append(parts, "... on "+pt.Name+" "+sub)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// conflictingFields is the names of the fields that two of types declare
// with different types.
func (d *probeDeriver) conflictingFields(types []struct{ Name string }) map[string]bool {
	seen, out := map[string]string{}, map[string]bool{}
	for _, t := range types {
		for _, f := range d.s.types[t.Name].Fields {
			sig := typeSig(&f.Type)
			if prev, ok := seen[f.Name]; ok && prev != sig {
				out[f.Name] = true
			}
			seen[f.Name] = sig
		}
	}
	return out
}

func typeSig(t *introType) string {
	if t == nil {
		return ""
	}
	name := ""
	if t.Name != nil {
		name = *t.Name
	}
	return t.Kind + " " + name + "(" + typeSig(t.OfType) + ")"
}
