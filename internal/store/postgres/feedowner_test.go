package postgres

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
)

// TestFeedOwnerPagesFromCoveringIndex: a feed page filtered to some
// enterprises (a list of codes, a watchlist) read from
// feed_changes_owner_idx alone is the page the table gives. Two stores on
// one database read every page of such feeds: one whose planner may use
// nothing but an index-only scan, one that may only read the table and
// sort. Their pages must be equal, field by field, for every tier (the
// kinds, the REGULATOR-only reasons, PUBLIC's missing risk categories), on
// dates before and after periods end and publication dates arrive (the
// date-driven changes the feed appends with no write), in small pages
// from the start and in pages of 100 from the middle. The index store's plan is
// checked to be what the test claims: an index-only scan of the covering
// index with no heap fetch once the table is vacuumed.
func TestFeedOwnerPagesFromCoveringIndex(t *testing.T) {
	ctx := context.Background()
	url := NewTestDatabase(t)
	policy := credit.NewPolicy(credit.DefaultSettings())
	open := func(settings string) *Store {
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		s, err := New(ctx, Config{URL: url + sep + settings, Policy: policy, Retention: credit.Period{Years: 5}})
		if err != nil {
			t.Fatalf("postgres.New: %v", err)
		}
		t.Cleanup(s.Close)
		return s
	}
	writer := open("")
	byIndex := open("enable_seqscan=off&enable_bitmapscan=off")
	byTable := open("enable_indexonlyscan=off&enable_bitmapscan=off&enable_indexscan=off")

	// Two imports 40 days apart, then the dates: penalties leave public
	// view, listings expire, cases reach their publication date, risk
	// categories move — up to two years on, inside the retention.
	d0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	days := []time.Time{d0, d0.AddDate(0, 0, 40), d0.AddDate(0, 0, 200), d0.AddDate(2, 0, 0)}
	var usccs []string
	for i, seed := range []int64{31, 32} {
		var buf strings.Builder
		if err := gen.Write(&buf, gen.Options{Enterprises: 60, Seed: seed, Anchor: days[i]}); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(buf.String(), "\n") {
			if rest, ok := strings.CutPrefix(l, `{"kind":"enterprise","uscc":"`); ok {
				usccs = append(usccs, rest[:18])
			}
		}
		at := days[i].Add(9 * time.Hour)
		im := &ingest.Importer{Store: writer, BatchSize: 53, Now: func() time.Time { return at }}
		if sum, err := im.Import(ctx, strings.NewReader(buf.String())); err != nil || sum.Rejected != 0 {
			t.Fatalf("import %d: %v %+v", i, err, sum)
		}
	}
	if err := writer.CatchUpFeed(ctx, days[len(days)-1]); err != nil {
		t.Fatal(err)
	}
	if len(usccs) < 100 {
		t.Fatalf("%d enterprises generated: the generator's enterprise lines changed shape", len(usccs))
	}
	var picked []string
	for i := 0; i < len(usccs); i += 5 {
		picked = append(picked, usccs[i])
	}
	picked = append(picked, "91350100000000000X") // no such enterprise
	if _, err := writer.Watch(ctx, "k1", usccs[len(usccs)/3:len(usccs)/3+25], 10_000); err != nil {
		t.Fatal(err)
	}
	// The writes are done: vacuumed, as an import leaves the table, and
	// without its primary key, so that the index store's planner has no
	// path but the covering index (an ordered walk of the key, which it
	// may rightly prefer on a table this small, is an index scan too).
	if _, err := writer.write.Exec(ctx, `VACUUM (ANALYZE) feed_changes, watchlists`); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.write.Exec(ctx, `ALTER TABLE feed_changes DROP CONSTRAINT feed_changes_pkey`); err != nil {
		t.Fatal(err)
	}

	filters := []struct {
		name string
		f    store.ChangeFilter
		size int
	}{
		{"codes", store.ChangeFilter{USCCs: picked}, 9},
		{"one code", store.ChangeFilter{USCCs: usccs[:1]}, 1},
		{"watchlist", store.ChangeFilter{Watchlist: "k1"}, 9},
	}
	dateDriven, disappeared, reasons := 0, 0, 0
	for _, tier := range []credit.Tier{credit.TierPublic, credit.TierPartner, credit.TierRegulator} {
		for _, on := range days[1:] {
			v := credit.Visibility{Tier: tier, AsOf: on}
			for _, fc := range filters {
				label := fmt.Sprintf("%s on %s, %s", tier, on.Format(time.DateOnly), fc.name)
				whole := comparePages(t, fmt.Sprintf("%s, pages of %d", label, fc.size), byIndex, byTable, v, fc.f, fc.size, "")
				if len(whole) < 2 {
					t.Fatalf("%s: %d changes: the test compares nothing", label, len(whole))
				}
				// From the middle, a cursor the pages above ended on.
				comparePages(t, label+", pages of 100 from the middle", byIndex, byTable, v, fc.f, 100, store.ChangeCursor(whole[len(whole)/2].Seq))
				for _, c := range whole {
					if c.At.Equal(c.Day) { // stamped at its day's start: no write made it
						dateDriven++
					}
					if c.Public == feed.Disappeared || c.Regulator == feed.Disappeared {
						disappeared++
					}
					if c.Reason != "" {
						reasons++
					}
				}
			}
		}
	}
	if dateDriven == 0 || disappeared == 0 || reasons == 0 {
		t.Errorf("compared %d date-driven changes, %d disappearances, %d reasons: want some of each", dateDriven, disappeared, reasons)
	}

	for _, fc := range []struct {
		name string
		f    store.ChangeFilter
	}{{filters[0].name, filters[0].f}, {filters[2].name, filters[2].f}} {
		for _, s := range []struct {
			name              string
			s                 *Store
			want, also, never string
		}{
			{"index", byIndex, "Index Only Scan using feed_changes_owner_idx", "Heap Fetches: 0", "Seq Scan"},
			{"table", byTable, "Seq Scan on feed_changes", "Seq Scan on feed_changes", "feed_changes_owner_idx"},
		} {
			sql, args := changesStatement(credit.Visibility{Tier: credit.TierPartner, AsOf: days[3]}, fc.f, 0, 100)
			plan := explain(t, s.s, sql, args)
			if !strings.Contains(plan, s.want) || !strings.Contains(plan, s.also) || strings.Contains(plan, s.never) {
				t.Errorf("%s store, %s: plan\n%s\nwant %q and %q, no %q", s.name, fc.name, plan, s.want, s.also, s.never)
			}
		}
	}
}

// comparePages follows the feed after cursor under f in pages of size on
// both stores and fails on the first page that differs; it returns the
// changes read.
func comparePages(t *testing.T, label string, a, b *Store, v credit.Visibility, f store.ChangeFilter, size int, after string) []feed.Change {
	t.Helper()
	var whole []feed.Change
	for n := 0; ; n++ {
		pa, err := a.Changes(context.Background(), v, f, store.Page{First: size, After: after})
		if err != nil {
			t.Fatalf("%s: index: %v", label, err)
		}
		pb, err := b.Changes(context.Background(), v, f, store.Page{First: size, After: after})
		if err != nil {
			t.Fatalf("%s: table: %v", label, err)
		}
		if !reflect.DeepEqual(pa, pb) {
			t.Fatalf("%s, page %d after %q:\nindex %+v\ntable %+v", label, n, after, pa, pb)
		}
		whole = append(whole, pa.Changes...)
		if !pa.HasNext {
			return whole
		}
		after = pa.EndCursor
	}
}

func explain(t *testing.T, s *Store, sql string, args []any) string {
	t.Helper()
	rows, err := s.read.Query(context.Background(), `EXPLAIN (ANALYZE, COSTS OFF) `+sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
