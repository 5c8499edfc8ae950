package graph

import (
	"fmt"
	"maps"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// TierSDL is the schema a tier sees (TierSchema: what its introspection
// shows), written as SDL: only the fields the tier may read, and no trace of
// the directives its schema does not declare (@disclosure and @redacted
// below REGULATOR), so the text says no more than introspection does.
func TierSDL(full *ast.Schema, tier credit.Tier) string {
	s := TierSchema(full, tier)
	out := *s
	out.Types = make(map[string]*ast.Definition, len(s.Types))
	for name, def := range s.Types {
		d := *def
		d.Directives = declared(def.Directives, s.Directives)
		d.Fields = make(ast.FieldList, len(def.Fields))
		for i, f := range def.Fields {
			fc := *f
			fc.Directives = declared(f.Directives, s.Directives)
			d.Fields[i] = &fc
		}
		out.Types[name] = &d
	}
	out.Directives = maps.Clone(s.Directives)
	var b strings.Builder
	fmt.Fprintf(&b, "# Creditgraph: the GraphQL schema of the %s tier (GET /schema.graphql with a %s key).\n", tier, tier)
	fmt.Fprintf(&b, "# Creditgraph：%s 层级的 GraphQL 模式。\n\n", tier)
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(&out)
	return b.String()
}

// declared keeps the directives whose definitions are in defs.
func declared(list ast.DirectiveList, defs map[string]*ast.DirectiveDefinition) ast.DirectiveList {
	var out ast.DirectiveList
	for _, d := range list {
		if _, ok := defs[d.Name]; ok {
			out = append(out, d)
		}
	}
	return out
}
