package cost

import "testing"

// Calculate runs on every request, after validation: it must take a few
// microseconds. The documents are parsed once, as gqlgen's query cache does.
func BenchmarkCalculate(b *testing.B) {
	for _, bc := range []struct {
		name string
		q    string
		vars map[string]any
	}{
		{"profile", profileQuery, map[string]any{"uscc": "91350582MAE11H479P"}},
		{"widest page", widestQuery, nil},
		{"fragments", `query { a: enterprise(uscc: "91350582MAE11H479P") { ...Records } b: enterprise(uscc: "9135010475428103X5") { ...Records } }` + recordsFragment, nil},
		{"introspection", introspectionQuery, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := testSchema(b)
			doc := validDoc(b, bc.q)
			op := doc.Operations[0]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Calculate(s, doc, op, bc.vars); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCalculateBomb is the worst a document can make Calculate do: a
// fragment bomb (2^24 fields expanded) is refused at MaxWalkFields.
func BenchmarkCalculateBomb(b *testing.B) {
	s := testSchema(b)
	doc := rawDoc(b, fragmentBomb(24))
	op := doc.Operations[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Calculate(s, doc, op, nil); err == nil {
			b.Fatal("the bomb was priced")
		}
	}
}
