package postgres

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
)

// A bulk load writes exactly what Apply writes: the same summary (accepted,
// rejected, each rejection's line and code), the same rows in every record
// table, the same change feed (every change but its timestamp, in the same
// order) and feed states, the same feed position, and in the end the same
// indexes, none left deferred.
func TestBulkLoadSameAsApply(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	file := BulkTestFile(t)
	policy := credit.NewPolicy(credit.DefaultSettings())
	importer := func(st store.Store) *ingest.Importer {
		return &ingest.Importer{Store: st, BatchSize: 97, Now: func() time.Time { return day.Add(10 * time.Hour) }}
	}

	plain := NewTestStore(t, policy)
	want, err := importer(plain).Import(ctx, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}

	bulk := NewTestStore(t, policy)
	load, ok, err := bulk.BeginBulk(ctx)
	if err != nil || !ok {
		t.Fatalf("BeginBulk on an empty store: %v, %v", ok, err)
	}
	if n := count(t, bulk, `SELECT count(*) FROM deferred_indexes`); n < 10 {
		t.Fatalf("%d indexes deferred", n)
	}
	if n := count(t, bulk, `SELECT count(*) FROM deferred_triggers`); n != len(derivedTriggers) {
		t.Fatalf("%d triggers deferred, want %d", n, len(derivedTriggers))
	}
	got, err := importer(load).Import(ctx, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if err := load.Finish(ctx); err != nil {
		t.Fatal(err)
	}

	if !reflect.DeepEqual(got, want) {
		t.Errorf("bulk summary %+v\nApply summary %+v", got, want)
	}
	if want.Rejected != 2 || !strings.Contains(fmt.Sprint(want.Errors), store.CodeUnknownReference) {
		t.Errorf("the file's two bad lines were not rejected as expected: %+v", want)
	}
	gd, wd := storeDigest(t, bulk), storeDigest(t, plain)
	for _, what := range digestQueries {
		if gd[what.name] != wd[what.name] {
			t.Errorf("%s: bulk %s, Apply %s", what.name, gd[what.name], wd[what.name])
		}
	}
	if n := count(t, bulk, `SELECT count(*) FROM deferred_indexes`) + count(t, bulk, `SELECT count(*) FROM deferred_triggers`); n != 0 {
		t.Errorf("%d indexes and triggers still deferred after Finish", n)
	}
	for _, table := range []string{"search_postings", "penalty_windows", "inspection_counts"} {
		if n := count(t, bulk, `SELECT count(*) FROM `+table); n < 100 {
			t.Errorf("%s: only %d rows: the data is too small to tell", table, n)
		}
	}
	if n := count(t, bulk, `SELECT count(*) FROM listings WHERE enterprise_key_areas IS NOT NULL`); n < 10 {
		t.Errorf("only %d listings carry key areas: the data is too small to tell", n)
	}
	if n := count(t, bulk, `SELECT count(*) FROM feed_changes`); n < 2000 {
		t.Errorf("only %d changes: the data is too small to tell", n)
	}

	// A second bulk load finds the store full and does not begin.
	if _, ok, err := bulk.BeginBulk(ctx); ok || err != nil {
		t.Errorf("BeginBulk on a loaded store: %v, %v", ok, err)
	}
}

// A load that stopped half way (no Finish) leaves its indexes and
// triggers deferred; Migrate builds the indexes and the derived tables and
// creates the triggers, and the windows, which Migrate clears, are computed
// again when a store next starts (serve and import run
// RefreshRepeatWindows then): the store is what Apply would have left.
func TestMigrateRestoresAStoppedBulkLoad(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	file := BulkTestFile(t)
	policy := credit.NewPolicy(credit.DefaultSettings())
	importer := func(st store.Store) *ingest.Importer {
		return &ingest.Importer{Store: st, BatchSize: 97, Now: func() time.Time { return day.Add(10 * time.Hour) }}
	}
	plain := NewTestStore(t, policy)
	if _, err := importer(plain).Import(ctx, strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}

	url := NewTestDatabase(t)
	s, err := New(ctx, Config{URL: url, Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.RefreshRepeatWindows(ctx); err != nil { // as import does before it begins
		t.Fatal(err)
	}
	load, ok, err := s.BeginBulk(ctx)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if current, err := s.RepeatWindowsCurrent(ctx); err != nil || current {
		t.Fatalf("windows read during a bulk load, which does not keep them: %v, %v", current, err)
	}
	if _, err := importer(load).Import(ctx, strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	if current, err := s.RepeatWindowsCurrent(ctx); err != nil || current {
		t.Fatalf("windows current after Migrate restored a stopped load: %v, %v", current, err)
	}
	if err := s.RefreshRepeatWindows(ctx); err != nil {
		t.Fatal(err)
	}
	gd, wd := storeDigest(t, s), storeDigest(t, plain)
	for _, what := range digestQueries {
		if gd[what.name] != wd[what.name] {
			t.Errorf("%s: restored %s, Apply %s", what.name, gd[what.name], wd[what.name])
		}
	}
}

// Every trigger on the tables a bulk load fills is one it defers: another
// would fire per batch, which is what made the load slow (derived.go).
func TestDerivedTriggersAreKnown(t *testing.T) {
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	rows, err := s.write.Query(context.Background(), `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
		ORDER BY t.tgname`, bulkTables)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(derivedTriggers))
	if !slices.Equal(got, want) {
		t.Errorf("triggers on the bulk-loaded tables %v, deferred %v", got, want)
	}
}

// A load that stopped half way leaves its indexes deferred; Migrate builds
// them.
func TestMigrateBuildsDeferredIndexes(t *testing.T) {
	ctx := context.Background()
	url := NewTestDatabase(t)
	s, err := New(ctx, Config{URL: url, Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := storeDigest(t, s)["indexes"]
	if _, ok, err := s.BeginBulk(ctx); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if storeDigest(t, s)["indexes"] == before {
		t.Fatal("BeginBulk dropped no index")
	}
	if err := Migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	if got := storeDigest(t, s)["indexes"]; got != before {
		t.Errorf("indexes after Migrate: %s, before the load: %s", got, before)
	}
}

func count(t *testing.T, s *Store, sql string) int {
	t.Helper()
	var n int
	if err := s.write.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// digestQueries hash what an import leaves, row by row in key order (the
// timestamps of writing left out).
var digestQueries = []struct{ name, sql string }{
	{"enterprises", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM enterprises x ORDER BY uscc`},
	{"licenses", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM licenses x ORDER BY license_number`},
	{"penalties", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM penalties x ORDER BY decision_number`},
	{"inspections", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM inspections x ORDER BY inspection_id`},
	{"listings", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM listings x ORDER BY list, decision_number`},
	{"commitments", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM commitments x ORDER BY commitment_id`},
	{"typical_cases", `SELECT (to_jsonb(x) - 'created_at' - 'updated_at')::text FROM typical_cases x ORDER BY case_id`},
	{"feed_state", `SELECT to_jsonb(x)::text FROM feed_state x ORDER BY record_type, record_id`},
	{"feed_changes", `SELECT (to_jsonb(x) - 'at')::text FROM feed_changes x ORDER BY seq`},
	{"feed_meta", `SELECT to_jsonb(x)::text FROM feed_meta x`},
	{"penalty_windows", `SELECT to_jsonb(x)::text FROM penalty_windows x ORDER BY uscc, public, valid_from`},
	{"penalty_windows_meta", `SELECT to_jsonb(x)::text FROM penalty_windows_meta x`},
	{"search_postings", `SELECT to_jsonb(x)::text FROM search_postings x ORDER BY token, cls, closed, uscc`},
	// A count an update or delete brought to 0 stays as a row of 0, which
	// reads as no row; a build from the loaded tables has no such row.
	{"inspection_counts", `SELECT to_jsonb(x)::text FROM inspection_counts x WHERE n <> 0 ORDER BY region, month, key_area, result`},
	{"penalty_windows_stale", `SELECT uscc FROM penalty_windows_stale ORDER BY uscc`},
	{"triggers", `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY t.tgname`},
	{"indexes", `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`},
}

func storeDigest(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range digestQueries {
		var n int
		var sum string
		if err := s.write.QueryRow(context.Background(),
			`SELECT count(*), md5(coalesce(string_agg(r, E'\n'), '')) FROM (`+q.sql+`) AS d(r)`).Scan(&n, &sum); err != nil {
			t.Fatalf("digest %s: %v", q.name, err)
		}
		out[q.name] = fmt.Sprintf("%d rows, md5 %s", n, sum)
	}
	return out
}
