package graph

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/safetext"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// ArgumentText refuses, before anything executes, an operation whose
// arguments carry a control character (a NUL, say) in any string, whether
// written in the document or passed as a variable. Such a string can never
// match a record (imports refuse them) and PostgreSQL cannot even compare
// text holding a NUL, which used to surface as INTERNAL. The error is
// BAD_USER_INPUT and names the argument, the character and where it is.
type ArgumentText struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = ArgumentText{}

func (ArgumentText) ExtensionName() string                   { return "ArgumentText" }
func (ArgumentText) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext runs after validation, when variables are coerced.
func (ArgumentText) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := argWalker{vars: oc.Variables, seen: map[*ast.FragmentDefinition]bool{}}
	w.selections(oc.Operation.SelectionSet)
	if w.err == nil {
		return nil
	}
	return w.err
}

type argWalker struct {
	field string // whose arguments are being walked
	vars  map[string]any
	seen  map[*ast.FragmentDefinition]bool
	err   *gqlerror.Error
}

func (w *argWalker) selections(set ast.SelectionSet) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				w.field = s.Name
				w.value(a.Name, a.Value)
			}
			w.selections(s.SelectionSet)
		case *ast.InlineFragment:
			w.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil && !w.seen[s.Definition] {
				w.seen[s.Definition] = true
				w.selections(s.Definition.SelectionSet)
			}
		}
	}
}

// value checks a literal, or the variable it names, under path.
func (w *argWalker) value(path string, v *ast.Value) {
	if v == nil || w.err != nil {
		return
	}
	switch v.Kind {
	case ast.Variable:
		w.variable(path, w.vars[v.Raw])
	case ast.StringValue, ast.BlockValue:
		w.text(path, v.Raw)
	case ast.ListValue:
		for i, c := range v.Children {
			w.value(fmt.Sprintf("%s[%d]", path, i), c.Value)
		}
	case ast.ObjectValue:
		for _, c := range v.Children {
			w.value(path+"."+c.Name, c.Value)
		}
	}
}

// variable checks a coerced variable value (strings, lists, input objects).
func (w *argWalker) variable(path string, v any) {
	if w.err != nil {
		return
	}
	switch x := v.(type) {
	case string:
		w.text(path, x)
	case *string:
		if x != nil {
			w.text(path, *x)
		}
	case []any:
		for i, e := range x {
			w.variable(fmt.Sprintf("%s[%d]", path, i), e)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			w.variable(path+"."+k, x[k])
		}
	}
}

func (w *argWalker) text(path, s string) {
	if cc, bad := safetext.FindControl(s, false); bad {
		w.err = gqlerror.Errorf("argument %q of %s contains a %s; control characters are not allowed in arguments",
			path, w.field, cc.Describe())
		w.err.Extensions = map[string]any{"code": apierr.BadUserInput}
	}
}
