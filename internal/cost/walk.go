package cost

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// walker prices one operation. It collects each selection set as the spec's
// CollectFields does (gqlgen's graphql.CollectFields is the same algorithm
// but needs a running request), then prices each collected field and walks
// its merged sub-selections. Collection never nests, so one stack of groups,
// one list of visited fragments and one index serve the whole walk.
type walker struct {
	m      *Model
	schema *ast.Schema
	doc    *ast.QueryDocument
	op     *ast.OperationDefinition
	vars   map[string]any

	calls, nodes, depth, aliases int
	fields                       int // fields collected: the work bound

	stack   []group        // groups of the selection sets on the current path
	visited []string       // fragments spread in the selection set being collected
	index   map[string]int // response name → newest group, for wide selection sets
	costed  []string       // field names in FieldCost
	key     [128]byte      // "Type.field" for map lookups without allocating
}

// walkers are reused: a walk's stack, once grown, serves the next request.
var walkers = sync.Pool{New: func() any { return new(walker) }}

// release clears w of the request and returns it to walkers.
func (w *walker) release() {
	clear(w.stack[:cap(w.stack)])
	w.stack = w.stack[:0]
	clear(w.visited[:cap(w.visited)])
	w.visited = w.visited[:0]
	clear(w.index)
	clear(w.costed[:cap(w.costed)])
	w.costed = w.costed[:0]
	w.m, w.schema, w.doc, w.op, w.vars = nil, nil, nil, nil, nil
	w.calls, w.nodes, w.depth, w.aliases, w.fields = 0, 0, 0, 0, 0
	walkers.Put(w)
}

// group is one response key of a selection set: the first field that asked
// for it, and the sub-selections of the fields the spec merges into it.
type group struct {
	field *ast.Field
	scope *ast.Definition    // the type the field was selected on
	more  []ast.SelectionSet // sub-selections of merged fields
	prev  int                // older group with the same response name, or -1
}

// defaultListSize prices a list of objects when the Model gives no size.
const defaultListSize = 10

// indexFrom is the width from which a selection set's response names are
// looked up in a map rather than by scanning.
const indexFrom = 32

// selectionSet walks the fields of set (and of merged sets more) on typ.
// parents is how many objects of typ are resolved; page is, for a connection
// type, how many items its edges and nodes hold in all.
func (w *walker) selectionSet(typ *ast.Definition, set ast.SelectionSet, more []ast.SelectionSet, parents, page, level int, meta bool) error {
	if level > MaxWalkDepth {
		return walkDepthError()
	}
	start := len(w.stack)
	w.visited = w.visited[:0]
	if w.index != nil {
		clear(w.index)
	}
	if err := w.collect(typ, typ, set, start); err != nil {
		return err
	}
	for _, s := range more {
		if err := w.collect(typ, typ, s, start); err != nil {
			return err
		}
	}
	end := len(w.stack)
	for i := start; i < end; i++ {
		if err := w.field(w.stack[i], parents, page, level, meta); err != nil {
			return err
		}
	}
	w.stack = w.stack[:start]
	return nil
}

// collect adds the fields set selects on an object of type typ to the groups
// from start, expanding fragments that apply and dropping skipped selections.
// scope is the type the selections are written against.
func (w *walker) collect(typ, scope *ast.Definition, set ast.SelectionSet, start int) error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !w.included(s.Directives) {
				continue
			}
			if err := w.add(scope, s, start); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if !w.included(s.Directives) {
				continue
			}
			inner, ok, err := w.condition(typ, scope, s.TypeCondition)
			if err != nil {
				return err
			}
			if ok {
				if err := w.collect(typ, inner, s.SelectionSet, start); err != nil {
					return err
				}
			}
		case *ast.FragmentSpread:
			// As the spec and gqlgen: a fragment is expanded once per
			// selection set, which also ends cycles of spreads within it.
			if slices.Contains(w.visited, s.Name) || !w.included(s.Directives) {
				continue
			}
			w.visited = append(w.visited, s.Name)
			frag := w.doc.Fragments.ForName(s.Name)
			if frag == nil {
				return fmt.Errorf("%w: unknown fragment %q", ErrInvalid, s.Name)
			}
			inner, ok, err := w.condition(typ, scope, frag.TypeCondition)
			if err != nil {
				return err
			}
			if ok {
				if err := w.collect(typ, inner, frag.SelectionSet, start); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%w: unknown selection %T", ErrInvalid, sel)
		}
	}
	return nil
}

// condition says whether a fragment with type condition cond applies to an
// object of type typ, and the type its selections are written against. On
// an abstract type every fragment is assumed to apply: the worst case.
func (w *walker) condition(typ, scope *ast.Definition, cond string) (*ast.Definition, bool, error) {
	if cond == "" {
		return scope, true, nil
	}
	if cond == typ.Name {
		return typ, true, nil
	}
	c := w.schema.Types[cond]
	if c == nil {
		return nil, false, fmt.Errorf("%w: unknown type %q", ErrInvalid, cond)
	}
	if typ.IsAbstractType() {
		return c, true, nil
	}
	if !c.IsAbstractType() {
		return nil, false, nil
	}
	return typ, slices.ContainsFunc(w.schema.GetPossibleTypes(c), func(d *ast.Definition) bool { return d.Name == typ.Name }), nil
}

// add merges f into the group the spec merges it with (same response name,
// same field, same arguments) or starts a group. Fields that share a
// response name but not the rest are kept apart and both priced: validation
// refuses them, and pricing both is never cheaper than what runs.
func (w *walker) add(scope *ast.Definition, f *ast.Field, start int) error {
	w.fields++
	if w.fields > MaxWalkFields {
		return walkFieldsError()
	}
	newest := w.newest(f.Alias, start)
	for i := newest; i >= 0; i = w.stack[i].prev {
		g := &w.stack[i]
		if g.field.Name == f.Name && g.scope == scope && sameArguments(g.field.Arguments, f.Arguments) {
			if len(f.SelectionSet) > 0 {
				g.more = append(g.more, f.SelectionSet)
			}
			return nil
		}
	}
	w.stack = append(w.stack, group{field: f, scope: scope, prev: newest})
	n := len(w.stack) - start
	switch {
	case n == indexFrom:
		if w.index == nil {
			w.index = make(map[string]int, 2*indexFrom)
		}
		for i := start; i < len(w.stack); i++ {
			w.index[w.stack[i].field.Alias] = i
		}
	case n > indexFrom:
		w.index[f.Alias] = len(w.stack) - 1
	}
	return nil
}

// newest returns the newest group from start named alias, or -1.
func (w *walker) newest(alias string, start int) int {
	if len(w.stack)-start >= indexFrom {
		if i, ok := w.index[alias]; ok {
			return i
		}
		return -1
	}
	for i := len(w.stack) - 1; i >= start; i-- {
		if w.stack[i].field.Alias == alias {
			return i
		}
	}
	return -1
}

// field prices one collected field resolved for parents objects, then walks
// its selections.
func (w *walker) field(g group, parents, page, level int, meta bool) error {
	f := g.field
	if f.Alias != f.Name {
		w.aliases++
	}
	if f.Name == "__typename" {
		return nil
	}
	def := f.Definition // set by validation, against this schema or another
	if def == nil || f.ObjectDefinition != g.scope {
		if def = g.scope.Fields.ForName(f.Name); def == nil {
			return fmt.Errorf("%w: unknown field %s.%s", ErrInvalid, g.scope.Name, f.Name)
		}
	}
	if !meta {
		w.depth = max(w.depth, level)
		if w.mayCost(f.Name) {
			if extra := w.m.FieldCost[string(w.fieldKey(g.scope, f))]; extra > 0 {
				w.calls = satAdd(w.calls, satMul(parents, satMul(extra, CallsPerPoint)))
			}
		}
	}
	if len(f.SelectionSet) == 0 && len(g.more) == 0 {
		// A leaf: scalars and enums, and lists of them, are columns of
		// their parent's row. (An object without selections does not
		// validate, and does not run.)
		return nil
	}
	typ := w.schema.Types[def.Type.Name()]
	if typ == nil {
		return fmt.Errorf("%w: unknown type %q", ErrInvalid, def.Type.Name())
	}
	if meta {
		return w.selectionSet(typ, f.SelectionSet, g.more, parents, parents, level+1, true)
	}
	if f.Name == "__schema" || f.Name == "__type" {
		w.calls = satAdd(w.calls, satMul(parents, satMul(w.m.IntrospectionCost, CallsPerPoint)))
		return w.selectionSet(typ, f.SelectionSet, g.more, parents, parents, level+1, true)
	}
	if typ.Kind == ast.Scalar || typ.Kind == ast.Enum {
		return nil
	}
	list := def.Type.Elem != nil
	childParents, childPage := parents, parents
	switch {
	case list && isConnection(g.scope):
		// edges or nodes: the connection's page, already counted.
		childParents, childPage = page, page
	case !list && isConnection(typ):
		n := satMul(parents, w.first(f, def))
		w.fetch(parents, n)
		childPage = n
	case list:
		key := string(w.fieldKey(g.scope, f))
		size, ok := w.m.ListSize[key]
		if !ok {
			size = w.m.DefaultListSize
		}
		if size <= 0 {
			size = defaultListSize
		}
		if args, ok := w.m.ItemsFromArgs[key]; ok {
			size = w.argItems(f, args)
			w.calls = satAdd(w.calls, satMul(parents, satMul(size, satMul(w.m.ItemCost[key], CallsPerPoint))))
		}
		n := satMul(parents, size)
		w.fetch(parents, n)
		childParents, childPage = n, n
	case w.m.Loaded[string(w.fieldKey(g.scope, f))]:
		w.fetch(parents, parents)
	}
	return w.selectionSet(typ, f.SelectionSet, g.more, childParents, childPage, level+1, false)
}

// costedNames lists the field names FieldCost prices, so that the other
// fields skip the map lookup: on the hot path it is a third of the time.
func (w *walker) costedNames() {
	w.costed = w.costed[:0]
	if len(w.m.FieldCost) > maxCosted {
		return
	}
	for key := range w.m.FieldCost {
		_, name, _ := strings.Cut(key, ".")
		w.costed = append(w.costed, name)
	}
}

const maxCosted = 16

func (w *walker) mayCost(name string) bool {
	return len(w.m.FieldCost) > maxCosted || slices.Contains(w.costed, name)
}

// fetch counts a fetch resolved for parents objects returning items in all.
func (w *walker) fetch(parents, items int) {
	w.calls = satAdd(w.calls, parents)
	w.nodes = satAdd(w.nodes, items)
}

// fieldKey is "Type.field" in w's buffer: index a map with string(key) and
// Go does not allocate.
func (w *walker) fieldKey(scope *ast.Definition, f *ast.Field) []byte {
	b := append(w.key[:0], scope.Name...)
	b = append(b, '.')
	return append(b, f.Name...)
}

func isConnection(d *ast.Definition) bool {
	return (d.Kind == ast.Object || d.Kind == ast.Interface) && strings.HasSuffix(d.Name, "Connection")
}

// sameArguments is the spec's SameArguments: the same names with the same
// values, written the same way.
func sameArguments(a, b ast.ArgumentList) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		y := b.ForName(x.Name)
		if y == nil || !sameValue(x.Value, y.Value) {
			return false
		}
	}
	return true
}

func sameValue(a, b *ast.Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Raw != b.Raw || len(a.Children) != len(b.Children) {
		return false
	}
	for i, c := range a.Children {
		if c.Name != b.Children[i].Name || !sameValue(c.Value, b.Children[i].Value) {
			return false
		}
	}
	return true
}

// satAdd and satMul saturate at math.MaxInt, so no query overflows into a
// small cost, and treat negatives as zero.
func satAdd(a, b int) int {
	a, b = max(a, 0), max(b, 0)
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

func satMul(a, b int) int {
	a, b = max(a, 0), max(b, 0)
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}
