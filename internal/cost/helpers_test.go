package cost

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// schemaPath is the real schema, at the repository root.
var schemaPath = filepath.Join("..", "..", "schema.graphqls")

var loadSchema = sync.OnceValues(func() (*ast.Schema, error) {
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	// gqlparser.LoadSchema adds the prelude (scalars, introspection types,
	// @skip/@include/@defer) and __schema/__type on Query.
	return gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(b)})
})

func testSchema(t testing.TB) *ast.Schema {
	t.Helper()
	s, err := loadSchema()
	if err != nil {
		t.Fatalf("load %s: %v", schemaPath, err)
	}
	return s
}

// validDoc parses and validates q against the real schema, as gqlgen does
// before the operation reaches Extension.
func validDoc(t testing.TB, q string) *ast.QueryDocument {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(testSchema(t), q, nil)
	if len(errs) > 0 {
		t.Fatalf("query does not validate: %v\n%s", errs, q)
	}
	return doc
}

// rawDoc only parses q: Calculate must be safe on what validation refuses.
func rawDoc(t testing.TB, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatalf("query does not parse: %v\n%s", err, q)
	}
	return doc
}

// price validates q (unless raw) and prices its only operation.
func price(t testing.TB, q string, vars map[string]any, raw bool) (Cost, error) {
	t.Helper()
	var doc *ast.QueryDocument
	if raw {
		doc = rawDoc(t, q)
	} else {
		doc = validDoc(t, q)
	}
	if len(doc.Operations) != 1 {
		t.Fatalf("want one operation, got %d", len(doc.Operations))
	}
	return Calculate(testSchema(t), doc, doc.Operations[0], vars)
}

func mustPrice(t testing.TB, q string, vars map[string]any) Cost {
	t.Helper()
	c, err := price(t, q, vars, false)
	if err != nil {
		t.Fatalf("Calculate: %v\n%s", err, q)
	}
	return c
}

// aliased repeats body under n aliases a1..an.
func aliased(n int, body string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := 1; i <= n; i++ {
		b.WriteString("  a")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(": ")
		b.WriteString(body)
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}
