package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
)

// The change feed computes an inserted record's entry from the batch
// (batchEntries) and every other one from the stored row (entries). Both
// must hash alike, or the next write of an unchanged record would append a
// spurious CHANGED: after an import of every kind (small batches, so that
// records find their enterprise in an earlier batch) and batches mixing a
// record's lines with rejected ones and removals and repairs, each stored
// state equals the one recomputed from the stored rows.
func TestFeedStateMatchesStoredRecords(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var buf strings.Builder
	if err := gen.Write(&buf, gen.Options{Enterprises: 400, Seed: 9, Anchor: day}); err != nil {
		t.Fatal(err)
	}
	im := &ingest.Importer{Store: s, BatchSize: 97, Now: func() time.Time { return day.Add(9 * time.Hour) }}
	if sum, err := im.Import(ctx, strings.NewReader(buf.String())); err != nil || sum.Rejected != 0 {
		t.Fatalf("import: %v %+v", err, sum)
	}

	a, b := testUSCC("350102", 901), testUSCC("350102", 902)
	unknown := testUSCC("350102", 903)
	bare := enterprise(b, "空白企业")
	bare.FormerNames, bare.KeyAreas, bare.RegisteredCapital = nil, nil, nil
	rich := enterprise(a, "厦门市某某食品有限公司")
	rich.FormerNames = []string{"厦门某某"}
	rich.KeyAreas = []credit.KeyArea{credit.KeyArea("catering")}
	rich.RegisteredCapital = dec("12.50")
	// An imported letter decides its risk category (computed from the batch).
	rich.RiskCategories = []credit.RiskStep{{From: date("2025-01-01"), Category: "D"}, {From: date("2026-06-01"), Category: "A"}}
	pen := heavyPenalty(a, "闽市监罚〔2025〕901号", "2025-03-01")
	pen.FineAmount = dec("5000.00")
	pen.RepairedOn = ptr(date("2025-06-01")) // not an import field: never stored from a penalty line
	lst := listing(credit.ListAbnormal, a, "闽市监异〔2025〕901号", "2025-02-01")
	lst.RepairedOn = ptr(date("2025-06-01"))
	mustApply(t, s, &store.Batch{Now: day,
		Enterprises: lines(1, rich, bare),
		Licenses: lines(3,
			credit.License{USCC: a, LicenseNumber: "JY901", Name: "食品经营许可证", Authority: "厦门市市场监管局", DecidedOn: date("2024-01-01")},
			credit.License{USCC: unknown, LicenseNumber: "JY901", Name: "食品经营许可证", Authority: "厦门市市场监管局", DecidedOn: date("2024-02-01")}),
		Penalties: lines(5, pen),
		Listings:  lines(6, lst, listing(credit.ListAbnormal, b, "闽市监异〔2025〕902号", "2025-02-01")),
		Removals: lines(8, store.ListingRemoval{List: credit.ListAbnormal, ListingDecisionNumber: "闽市监异〔2025〕902号",
			Removal: credit.Removal{RemovedOn: date("2025-05-01"), Reason: "已履行", Authority: "厦门市市场监管局"}}),
	})

	tx, err := s.write.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	rows, err := tx.Query(ctx, `SELECT record_type, record_id, public_hash, regulator_hash, next_check, coalesce(risk, '') FROM feed_state`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[feed.Key]feed.State{}
	var keys []feed.Key
	for rows.Next() {
		var k feed.Key
		var pub, reg []byte
		var next *time.Time
		var st feed.State
		if err := rows.Scan(&k.Type, &k.ID, &pub, &reg, &next, &st.Risk); err != nil {
			t.Fatal(err)
		}
		copy(st.Public[:], pub)
		copy(st.Regulator[:], reg)
		if next != nil {
			st.Next = *next
		}
		stored[k] = st
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var records int
	if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM licenses) +
		(SELECT count(*) FROM penalties) + (SELECT count(*) FROM inspections) + (SELECT count(*) FROM listings) +
		(SELECT count(*) FROM commitments) + (SELECT count(*) FROM typical_cases)`).Scan(&records); err != nil {
		t.Fatal(err)
	}
	var risks int // one risk category per enterprise
	for _, k := range keys {
		if k.Type == feed.RiskCategory {
			risks++
		}
	}
	if len(keys)-risks != records || records < 1000 || risks == 0 {
		t.Fatalf("%d feed states (%d risk categories) for %d records", len(keys), risks, records)
	}
	again, err := s.entries(ctx, tx, keys, day)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[feed.RecordType]int{}
	for _, k := range keys {
		if got, want := stored[k], again[k].State; got != want {
			t.Errorf("%s: stored state %x/%x next %v risk %q; from the stored row %x/%x next %v risk %q", k,
				got.Public, got.Regulator, got.Next, got.Risk, want.Public, want.Regulator, want.Next, want.Risk)
		}
		kinds[k.Type]++
	}
	for _, ty := range feed.RecordTypes {
		if kinds[ty] == 0 {
			t.Errorf("no %s in the data: the test misses a kind", ty)
		}
	}
	var licenseOwner string
	if err := tx.QueryRow(ctx, `SELECT uscc FROM licenses WHERE license_number = 'JY901'`).Scan(&licenseOwner); err != nil || licenseOwner != a {
		t.Errorf("JY901 belongs to %q (%v), want %s: the rejected later line must not win", licenseOwner, err, a)
	}
}
