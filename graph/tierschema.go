package graph

import (
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/vektah/gqlparser/v2/ast"
)

// A schema per tier, as Hasura gives a schema per role: a caller's schema
// holds only the fields its tier may read (by @disclosure) and the types
// still reachable from them. Validation and introspection run against it,
// so a field above the caller's tier is refused exactly as if it did not
// exist and is absent from introspection.

// TierSchemas returns the schema each tier sees.
func TierSchemas() map[credit.Tier]*ast.Schema {
	full := NewExecutableSchema(Config{}).Schema()
	out := map[credit.Tier]*ast.Schema{}
	for _, t := range credit.Tiers {
		out[t] = TierSchema(full, t)
	}
	return out
}

// FieldTier is the least tier that may read a field: its @disclosure tier,
// or PUBLIC when it has none.
func FieldTier(f *ast.FieldDefinition) credit.Tier {
	d := f.Directives.ForName("disclosure")
	if d == nil {
		return credit.TierPublic
	}
	arg := d.Arguments.ForName("tier")
	if arg == nil || arg.Value == nil {
		return credit.TierRegulator // malformed: fail closed
	}
	t, err := credit.ParseTier(arg.Value.Raw)
	if err != nil {
		return credit.TierRegulator
	}
	return t
}

// TierSchema copies full without the fields above tier, then prunes the
// types that can no longer be reached from the root operation types.
func TierSchema(full *ast.Schema, tier credit.Tier) *ast.Schema {
	types := make(map[string]*ast.Definition, len(full.Types))
	for name, def := range full.Types {
		d := *def
		d.Fields = nil
		for _, f := range def.Fields {
			if FieldTier(f) <= tier {
				d.Fields = append(d.Fields, f)
			}
		}
		types[name] = &d
	}
	keep := reachable(types, full)
	s := &ast.Schema{
		Types:            map[string]*ast.Definition{},
		Directives:       tierDirectives(full.Directives, tier),
		PossibleTypes:    map[string][]*ast.Definition{},
		Implements:       map[string][]*ast.Definition{},
		SchemaDirectives: full.SchemaDirectives,
		Description:      full.Description,
	}
	for name := range keep {
		s.Types[name] = types[name]
	}
	for _, root := range []struct {
		dst **ast.Definition
		src *ast.Definition
	}{{&s.Query, full.Query}, {&s.Mutation, full.Mutation}, {&s.Subscription, full.Subscription}} {
		if root.src != nil && keep[root.src.Name] {
			*root.dst = s.Types[root.src.Name]
		}
	}
	for name, defs := range full.PossibleTypes {
		for _, d := range defs {
			if keep[d.Name] && keep[name] {
				s.PossibleTypes[name] = append(s.PossibleTypes[name], s.Types[d.Name])
			}
		}
	}
	for name, defs := range full.Implements {
		for _, d := range defs {
			if keep[d.Name] && keep[name] {
				s.Implements[name] = append(s.Implements[name], s.Types[d.Name])
			}
		}
	}
	return s
}

// Directives no tier's schema declares: incremental delivery (@defer,
// @stream) is not served (see tierDirectives).
var unserved = map[string]bool{"defer": true, "stream": true}

// Directives that describe tiers and what is hidden from them: only
// REGULATOR, who sees everything, sees them declared.
var tierDescribing = map[string]bool{"disclosure": true, "redacted": true}

// tierDirectives is the directives a tier's schema declares. @defer and
// @stream are in none: gqlgen would advertise them, but a deferred answer
// bypasses what every answer goes through here (the response cache, the
// actual cost and its refund, the audit trail, ETags) and the incremental
// delivery format is still a draft; a query using them fails validation
// like any unknown directive. Below REGULATOR the schema also leaves out
// the directives that say which fields are tiered or redacted.
func tierDirectives(all map[string]*ast.DirectiveDefinition, tier credit.Tier) map[string]*ast.DirectiveDefinition {
	out := make(map[string]*ast.DirectiveDefinition, len(all))
	for name, d := range all {
		if unserved[name] || (tierDescribing[name] && tier < credit.TierRegulator) {
			continue
		}
		out[name] = d
	}
	return out
}

// reachable walks field, argument, input-field, union and interface edges
// from the roots, the built-in scalars and the introspection types.
func reachable(types map[string]*ast.Definition, full *ast.Schema) map[string]bool {
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		d := types[name]
		if d == nil || seen[name] {
			return
		}
		seen[name] = true
		for _, f := range d.Fields {
			visit(f.Type.Name())
			for _, a := range f.Arguments {
				visit(a.Type.Name())
			}
		}
		for _, t := range d.Types {
			visit(t)
		}
		for _, i := range d.Interfaces {
			visit(i)
		}
		for _, p := range full.PossibleTypes[name] {
			visit(p.Name)
		}
	}
	for _, root := range []*ast.Definition{full.Query, full.Mutation, full.Subscription} {
		// A mutation or subscription type left with no field for the tier
		// is no root at all: an object type needs a field.
		if root != nil && (root == full.Query || len(types[root.Name].Fields) > 0) {
			visit(root.Name)
		}
	}
	for name, d := range types {
		if d.BuiltIn || strings.HasPrefix(name, "__") {
			visit(name)
		}
	}
	for _, dir := range full.Directives {
		for _, a := range dir.Arguments {
			visit(a.Type.Name())
		}
	}
	return seen
}
