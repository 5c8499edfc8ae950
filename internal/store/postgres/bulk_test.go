package postgres

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

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
	if n := count(t, bulk, `SELECT count(*) FROM deferred_indexes`); n != 0 {
		t.Errorf("%d indexes still deferred after Finish", n)
	}
	if n := count(t, bulk, `SELECT count(*) FROM feed_changes`); n < 2000 {
		t.Errorf("only %d changes: the data is too small to tell", n)
	}

	// A second bulk load finds the store full and does not begin.
	if _, ok, err := bulk.BeginBulk(ctx); ok || err != nil {
		t.Errorf("BeginBulk on a loaded store: %v, %v", ok, err)
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
