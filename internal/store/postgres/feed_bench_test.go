package postgres

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// BenchmarkFeedPage reads pages of 100 changes from random places in the
// feed of an existing database (FEED_BENCH_DATABASE_URL, read only: the
// feed must already be at today), as PARTNER, unfiltered and filtered to
// 100 enterprises, beside a keyset page of 100 enterprises, the baseline,
// in the same run. It reports p50 and p99 per page.
//
//	FEED_BENCH_DATABASE_URL=postgres://…/search_1m go test ./internal/store/postgres -run '^$' -bench FeedPage -benchtime 2000x
func BenchmarkFeedPage(b *testing.B) {
	url := os.Getenv("FEED_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("set FEED_BENCH_DATABASE_URL to a database with a feed (e.g. a generated 1,000,000-enterprise import)")
	}
	ctx := context.Background()
	s, err := New(ctx, Config{URL: url, Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var head int64
	if err := s.write.QueryRow(ctx, `SELECT seq FROM feed_meta`).Scan(&head); err != nil || head < 1000 {
		b.Fatalf("feed head %d, %v: import into the database first", head, err)
	}
	rows, err := s.read.Query(ctx, `SELECT uscc FROM enterprises TABLESAMPLE SYSTEM (1) LIMIT 5000`)
	if err != nil {
		b.Fatal(err)
	}
	var usccs []string
	for rows.Next() {
		var u string
		_ = rows.Scan(&u)
		usccs = append(usccs, u)
	}
	rows.Close()
	v := credit.Visibility{Tier: credit.TierPartner, AsOf: credit.DateOf(time.Now())}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = usccs[rng.IntN(len(usccs))]
		}
		return out
	}
	cases := []struct {
		name string
		read func() (int, error)
	}{
		{"baseline_enterprises_page_100", func() (int, error) {
			c, err := s.Enterprises(ctx, v, store.EnterpriseFilter{}, store.Page{First: 100,
				After: store.EncodeCursor(store.CursorEnterprises, store.Fingerprint(store.EnterpriseFilter{}), pick(1)[0])})
			return len(c.Items), err
		}},
		{"feed_page_100", func() (int, error) {
			p, err := s.Changes(ctx, v, store.ChangeFilter{}, store.Page{First: 100, After: store.ChangeCursor(rng.Int64N(head - 1000))})
			return len(p.Changes), err
		}},
		{"feed_page_100_of_100_enterprises", func() (int, error) {
			p, err := s.Changes(ctx, v, store.ChangeFilter{USCCs: pick(100)}, store.Page{First: 100})
			return len(p.Changes), err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			took := make([]time.Duration, 0, b.N)
			items := 0
			for b.Loop() {
				t0 := time.Now()
				n, err := c.read()
				took = append(took, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				items += n
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99_ms")
			b.ReportMetric(float64(items)/float64(len(took)), "items/op")
		})
	}
}
