package store

import "context"

// Analyzer is a store whose query planner keeps statistics that a large
// import makes stale (PostgreSQL, where autovacuum may be off or late).
// Analyze refreshes them, so that the first queries after an import get
// good plans.
type Analyzer interface {
	Analyze(ctx context.Context) error
}
