package cost

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// included evaluates @skip and @include with the variables. A condition
// that cannot be read (no such variable, not a Boolean) keeps the selection:
// validation refuses such documents, and pricing them is the safe side.
func (w *walker) included(ds ast.DirectiveList) bool {
	for _, d := range ds {
		switch d.Name {
		case "skip":
			if b, ok := w.condArg(d); ok && b {
				return false
			}
		case "include":
			if b, ok := w.condArg(d); ok && !b {
				return false
			}
		}
	}
	return true
}

func (w *walker) condArg(d *ast.Directive) (value, ok bool) {
	a := d.Arguments.ForName("if")
	if a == nil {
		return false, false
	}
	v, _ := w.value(a.Value)
	b, ok := v.(bool)
	return b, ok
}

// first is the page size a connection field is priced at: its `first`
// argument, else the schema's default, else DefaultFirst; below 1 it is the
// default (store.Limit reads it so) and above MaxFirst it is MaxFirst.
func (w *walker) first(f *ast.Field, def *ast.FieldDefinition) int {
	dflt := DefaultFirst
	if a := def.Arguments.ForName("first"); a != nil && a.DefaultValue != nil {
		if v, ok := w.value(a.DefaultValue); ok {
			if n, ok := toInt(v); ok && n >= 1 {
				dflt = n
			}
		}
	}
	n := dflt
	if a := f.Arguments.ForName("first"); a != nil {
		v, ok := w.value(a.Value)
		switch {
		case !ok || v == nil: // absent variable or null: the default
		default:
			if x, ok := toInt(v); ok {
				n = x
			} else {
				n = MaxFirst // not a number: validation refuses it; price the worst
			}
		}
	}
	if n < 1 {
		n = dflt
	}
	return min(n, MaxFirst)
}

// argItems is the total length of f's list arguments names, as a batch
// field's item count (one result per input), at most MaxItems: a literal
// list's elements, a variable's list, or 1 for a single value (the spec
// coerces it to a list of one). An absent or null argument adds nothing.
func (w *walker) argItems(f *ast.Field, names []string) int {
	n := 0
	for _, name := range names {
		n += w.listLen(f, name)
	}
	return min(n, MaxItems)
}

// value reads v: a literal, or a variable's value, or its default in the
// operation. ok is false when a variable has neither: the argument is then
// absent, as the spec says.
func (w *walker) value(v *ast.Value) (any, bool) {
	if v == nil {
		return nil, false
	}
	switch v.Kind {
	case ast.Variable:
		if x, ok := w.vars[v.Raw]; ok {
			return x, true
		}
		if d := w.op.VariableDefinitions.ForName(v.Raw); d != nil && d.DefaultValue != nil && d.DefaultValue.Kind != ast.Variable {
			return w.value(d.DefaultValue)
		}
		return nil, false
	case ast.IntValue:
		n, err := strconv.ParseInt(v.Raw, 10, 64)
		if err != nil && n == 0 {
			return nil, true
		}
		return n, true // out of range: ParseInt saturates, which prices the worst
	case ast.FloatValue:
		x, err := strconv.ParseFloat(v.Raw, 64)
		if err != nil {
			return nil, true
		}
		return x, true
	case ast.BooleanValue:
		return v.Raw == "true", true
	case ast.NullValue:
		return nil, true
	default:
		return v.Raw, true
	}
}

// toInt reads an integer from what JSON decoding or gqlgen's coercion make
// of a variable. A fraction rounds up; out-of-range values saturate.
func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int8:
		return int(x), true
	case int16:
		return int(x), true
	case int32:
		return int(x), true
	case int64:
		return clampInt64(x), true
	case uint:
		return int(min(uint64(x), math.MaxInt)), true
	case uint8:
		return int(x), true
	case uint16:
		return int(x), true
	case uint32:
		return int(x), true
	case uint64:
		return int(min(x, math.MaxInt)), true
	case float32:
		return floatToInt(float64(x))
	case float64:
		return floatToInt(x)
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return clampInt64(n), true
		}
		if f, err := x.Float64(); err == nil {
			return floatToInt(f)
		}
	}
	return 0, false
}

func clampInt64(n int64) int {
	return int(max(min(n, math.MaxInt), math.MinInt))
}

func floatToInt(f float64) (int, bool) {
	switch {
	case math.IsNaN(f):
		return 0, false
	case f >= math.MaxInt:
		return math.MaxInt, true
	case f <= math.MinInt:
		return math.MinInt, true
	}
	return int(math.Ceil(f)), true
}

// listLen is the length of f's list argument arg: a list literal's items,
// a variable's list (however decoded or coerced), or 1 for a single value.
// Absent or null, it is 0.
func (w *walker) listLen(f *ast.Field, arg string) int {
	a := f.Arguments.ForName(arg)
	if a == nil {
		return 0
	}
	if a.Value != nil && a.Value.Kind == ast.ListValue {
		return len(a.Value.Children)
	}
	v, ok := w.value(a.Value)
	switch {
	case !ok || v == nil:
		return 0
	case reflect.TypeOf(v).Kind() == reflect.Slice:
		return reflect.ValueOf(v).Len()
	}
	return 1
}
