package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.Analyzer = (*Store)(nil)

// importedTables are the tables an import writes.
var importedTables = []string{"enterprises", "licenses", "penalties", "inspections", "listings", "commitments",
	"typical_cases", "feed_changes", "feed_state"}

// vacuumedTables are the tables whose reads are index-only scans (name
// search's walk of enterprises_search_walk_idx and its ranges of
// search_postings_idx; a feed page filtered to some enterprises, read
// from feed_changes_owner_idx alone): those need the visibility map
// set, which only VACUUM does. penalty_windows is
// written by every import that writes penalties (windows.go),
// inspection_counts by every import that writes inspections (migration
// 00014), search_postings by a trigger on enterprises (migration 00016);
// penalties and listings are read index-only by the reports
// (penalties_region_idx, listings_region_idx).
var vacuumedTables = []string{"enterprises", "feed_changes", "penalties", "listings", "penalty_windows", "inspection_counts", "search_postings"}

// Analyze refreshes the planner statistics of every table an import
// writes, and vacuums those read by index-only scans. On this project's
// reference server autovacuum is off, so without it a freshly loaded
// database has no statistics at all, and no page of a freshly loaded table
// is marked all-visible: an index-only scan reads the table for every row
// (name search's walk: 42 ms a name at 1,000,000 enterprises instead of
// 2.8 ms). With autovacuum on, PostgreSQL would do both in time.
//
// It runs on two connections, each vacuuming about half the volume (a
// VACUUM works one table at a time on one core): search_postings and
// feed_changes, the two largest after a load, on one; the rest on the
// other, which then analyses the tables that are not vacuumed.
func (s *Store) Analyze(ctx context.Context) error {
	var rest []string
	for _, t := range importedTables {
		if !slices.Contains(vacuumedTables, t) {
			rest = append(rest, t)
		}
	}
	var first, second []string
	for _, t := range vacuumedTables {
		if slices.Contains(vacuumedFirst, t) {
			first = append(first, t)
		} else {
			second = append(second, t)
		}
	}
	var err1, err2 error
	var wg sync.WaitGroup
	wg.Go(func() {
		_, err1 = s.write.Exec(ctx, `VACUUM (ANALYZE) `+strings.Join(first, ", "))
		err1 = wrap("vacuum", err1)
	})
	wg.Go(func() {
		if _, err2 = s.write.Exec(ctx, `VACUUM (ANALYZE) `+strings.Join(second, ", ")); err2 != nil {
			err2 = wrap("vacuum", err2)
			return
		}
		_, err2 = s.write.Exec(ctx, `ANALYZE `+strings.Join(rest, ", "))
		err2 = wrap("analyze", err2)
	})
	wg.Wait()
	return errors.Join(err1, err2)
}

// vacuumedFirst are the vacuumed tables of Analyze's first connection.
var vacuumedFirst = []string{"search_postings", "feed_changes"}
