package postgres

import (
	"context"
	"strings"

	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.Analyzer = (*Store)(nil)

// importedTables are the tables an import writes.
var importedTables = []string{"enterprises", "licenses", "penalties", "inspections", "listings", "commitments",
	"typical_cases", "feed_changes", "feed_state"}

// Analyze refreshes the planner statistics of every table an import
// writes. On this project's reference server autovacuum is off, so without
// it a freshly loaded database has none at all.
func (s *Store) Analyze(ctx context.Context) error {
	_, err := s.write.Exec(ctx, `ANALYZE `+strings.Join(importedTables, ", "))
	return wrap("analyze", err)
}
