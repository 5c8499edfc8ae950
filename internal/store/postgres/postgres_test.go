package postgres

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/storetest"
)

// The conformance suite every backend passes, each subtest on its own fresh
// database. Creating a database is most of a subtest's time and subtests
// share nothing, so each one that asks for a store runs in parallel.
func TestConformance(t *testing.T) {
	RequireDatabase(t) // skip (or fail under CI) once, not in every subtest
	storetest.RunTests(t, func(t *testing.T, p credit.Policy) store.Store {
		t.Parallel()
		return NewTestStore(t, p)
	})
}
