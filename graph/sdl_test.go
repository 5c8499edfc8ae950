package graph_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

var update = flag.Bool("update", false, "rewrite docs/schema/*.graphql from the schema")

// TestSchemaDocs keeps docs/schema/{public,partner,regulator}.graphql the
// SDL each tier downloads from GET /schema.graphql. After a schema change:
// go test ./graph -run TestSchemaDocs -update
func TestSchemaDocs(t *testing.T) {
	full := graph.NewExecutableSchema(graph.Config{}).Schema()
	for _, tier := range credit.Tiers {
		path := filepath.Join("..", "docs", "schema", strings.ToLower(tier.String())+".graphql")
		got := graph.TierSDL(full, tier)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: run go test ./graph -run TestSchemaDocs -update", err)
		}
		if string(want) != got {
			t.Errorf("%s is not the %s schema any more: run go test ./graph -run TestSchemaDocs -update and commit it", path, tier)
		}
	}
}

// TestTierSDL: each tier's SDL parses on its own, holds exactly the fields
// of its tier's schema, and below REGULATOR names no tier directive.
func TestTierSDL(t *testing.T) {
	full := graph.NewExecutableSchema(graph.Config{}).Schema()
	for _, tier := range credit.Tiers {
		sdl := graph.TierSDL(full, tier)
		parsed, err := gqlparser.LoadSchema(&ast.Source{Name: tier.String() + ".graphql", Input: sdl})
		if err != nil {
			t.Fatalf("%s SDL does not load: %v", tier, err)
		}
		want := graph.TierSchema(full, tier)
		for name, def := range want.Types {
			if def.BuiltIn {
				continue
			}
			got := parsed.Types[name]
			if got == nil {
				t.Errorf("%s SDL lacks type %s", tier, name)
				continue
			}
			if len(got.Fields) != len(def.Fields) {
				t.Errorf("%s SDL: %s has %d fields, its schema %d", tier, name, len(got.Fields), len(def.Fields))
			}
		}
		for name, def := range parsed.Types {
			if !def.BuiltIn && want.Types[name] == nil {
				t.Errorf("%s SDL has type %s its schema does not", tier, name)
			}
		}
		hasTierWords := strings.Contains(sdl, "@disclosure") || strings.Contains(sdl, "@redacted")
		if tier < credit.TierRegulator && hasTierWords {
			t.Errorf("%s SDL names a tier directive", tier)
		}
		if tier == credit.TierRegulator && !hasTierWords {
			t.Errorf("REGULATOR SDL lost its tier directives")
		}
	}
}
