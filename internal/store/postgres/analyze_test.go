package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
)

// After an import, Analyze leaves every table it wrote with planner
// statistics (autovacuum may be off, as on the reference server).
func TestAnalyzeAfterImport(t *testing.T) {
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	var buf strings.Builder
	if err := gen.Write(&buf, gen.Options{Enterprises: 30, Seed: 5, Anchor: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if sum, err := (&ingest.Importer{Store: s}).Import(context.Background(), strings.NewReader(buf.String())); err != nil || sum.Rejected != 0 {
		t.Fatalf("import: %v %+v", err, sum)
	}
	if err := s.Analyze(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, table := range importedTables {
		var analysed bool
		if err := s.write.QueryRow(t.Context(), `SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = $1`,
			table).Scan(&analysed); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if !analysed {
			t.Errorf("%s has no statistics after Analyze", table)
		}
	}
	// Name search's walk reads its index alone: the table is vacuumed and
	// the index holds every column the walk names.
	var allVisible, pages int
	if err := s.write.QueryRow(t.Context(), `SELECT relallvisible, relpages FROM pg_class WHERE relname = 'enterprises'`).Scan(&allVisible, &pages); err != nil {
		t.Fatal(err)
	}
	if pages == 0 || allVisible < pages {
		t.Errorf("enterprises: %d of %d pages all-visible after Analyze, want all", allVisible, pages)
	}
}
