package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// synthBatch builds a realistic batch for enterprises [from, from+n): each
// enterprise with 2 licences, 2 penalties, 3 inspections, 1 commitment and,
// for one in five, an abnormal listing, for one in ten a serious listing:
// about 10 records an enterprise. Every key depends on the enterprise, so
// batches of disjoint ranges insert and equal ranges re-import.
func synthBatch(from, n int, rename string) *store.Batch {
	b := &store.Batch{}
	line := 0
	next := func() int { line++; return line }
	regions := []string{"350102", "350103", "350203", "350502", "350582", "350602", "350702", "350802", "350902"}
	base := date("2022-01-03")
	for i := from; i < from+n; i++ {
		u := testUSCC(regions[i%len(regions)], i)
		day := func(k int) time.Time { return base.AddDate(0, 0, (i*7+k*31)%900) }
		e := enterprise(u, fmt.Sprintf("福建%s测试%06d有限公司", rename, i))
		e.Type, e.LegalRepresentative, e.Address = ptr("有限责任公司"), ptr("李四"), ptr("福州市鼓楼区五四路1号")
		e.RegisteredCapital, e.EstablishedOn = dec("100.00"), ptr(date("2015-06-01"))
		e.KeyAreas = []credit.KeyArea{credit.KeyAreas[i%len(credit.KeyAreas)]}
		b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: next(), V: e})
		for k := range 2 {
			b.Licenses = append(b.Licenses, store.Line[credit.License]{N: next(), V: credit.License{
				USCC: u, LicenseNumber: fmt.Sprintf("SC%09d-%d", i, k), Name: "食品经营许可证", Authority: "福州市市场监督管理局",
				DecidedOn: day(k), ValidFrom: ptr(day(k)), ValidTo: ptr(day(k).AddDate(5, 0, 0)), KeyArea: ptr(credit.AreaFoodDistribution),
			}})
			p := heavyPenalty(u, fmt.Sprintf("闽市监罚〔2023〕%d-%d号", i, k), dateKey(day(k+2)))
			p.Facts, p.Basis, p.Content = ptr("销售过期食品"), ptr("《食品安全法》第一百二十四条"), ptr("罚款200000元")
			b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: next(), V: p})
		}
		for k := range 3 {
			b.Inspections = append(b.Inspections, store.Line[credit.Inspection]{N: next(), V: credit.Inspection{
				USCC: u, InspectionID: fmt.Sprintf("CJ%09d-%d", i, k), Kind: credit.InspectionRandomSpotCheck,
				InspectedOn: day(k + 4), Authority: "福州市市场监督管理局", Result: credit.ResultNoIssue, Items: ptr("营业执照公示情况"),
			}})
		}
		b.Commitments = append(b.Commitments, store.Line[credit.Commitment]{N: next(), V: credit.Commitment{
			USCC: u, CommitmentID: fmt.Sprintf("CN%09d", i), Kind: credit.CommitmentVoluntary, Content: "诚信经营",
			MadeOn: day(8), Status: credit.CommitmentInForce,
		}})
		if i%5 == 0 {
			b.Listings = append(b.Listings, store.Line[credit.Listing]{N: next(),
				V: listing(credit.ListAbnormal, u, fmt.Sprintf("闽市监异〔2023〕%d号", i), dateKey(day(9)))})
		}
		if i%10 == 0 {
			b.Listings = append(b.Listings, store.Line[credit.Listing]{N: next(),
				V: listing(credit.ListSerious, u, fmt.Sprintf("闽市监严〔2023〕%d号", i), dateKey(day(10)))})
		}
	}
	return b
}

// BenchmarkApply measures import throughput in records/s for batches of
// the ingest default size (5000 records): new records, an unchanged
// re-import, and a re-import that changes every enterprise.
//
//	TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//	  go test -run '^$' -bench BenchmarkApply -benchtime 20x ./internal/store/postgres/
func BenchmarkApply(b *testing.B) {
	s := NewTestStore(b, credit.NewPolicy(credit.DefaultSettings()))
	ctx := context.Background()
	const enterprises = 500 // ≈ 5000 records
	apply := func(b *testing.B, batch *store.Batch) {
		if rej, err := s.Apply(ctx, batch); err != nil || len(rej) > 0 {
			b.Fatalf("Apply: %v, %d rejections", err, len(rej))
		}
	}
	run := func(b *testing.B, batchOf func(i int) *store.Batch) {
		records := 0
		var elapsed time.Duration
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			batch := batchOf(i)
			b.StartTimer()
			start := time.Now()
			apply(b, batch)
			elapsed += time.Since(start)
			records += batch.Len()
		}
		b.ReportMetric(float64(records)/elapsed.Seconds(), "records/s")
		b.ReportMetric(float64(records)/float64(b.N), "records/op")
	}
	offset := 0
	b.Run("insert", func(b *testing.B) {
		run(b, func(int) *store.Batch {
			offset += enterprises
			return synthBatch(offset, enterprises, "")
		})
	})
	b.Run("reimport-unchanged", func(b *testing.B) {
		batch := synthBatch(0, enterprises, "")
		apply(b, batch)
		run(b, func(int) *store.Batch { return batch })
	})
	b.Run("reimport-changed", func(b *testing.B) {
		apply(b, synthBatch(0, enterprises, ""))
		run(b, func(i int) *store.Batch { return synthBatch(0, enterprises, fmt.Sprint(i%2)) })
	})
}

// BenchmarkEnterpriseProfile measures what one enterprise page costs the
// store: the enterprise and every *ByUSCC loader for it, among 5,000
// enterprises (≈ 50,000 records).
func BenchmarkEnterpriseProfile(b *testing.B) {
	counter := &statementCounter{}
	s := NewTestStoreConfig(b, Config{Policy: credit.NewPolicy(credit.DefaultSettings()), Tracer: counter})
	ctx := context.Background()
	for from := 0; from < 5000; from += 500 {
		if rej, err := s.Apply(ctx, synthBatch(from, 500, "")); err != nil || len(rej) > 0 {
			b.Fatalf("Apply: %v, %d rejections", err, len(rej))
		}
	}
	if _, err := s.read.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	for _, tier := range []credit.Tier{credit.TierPublic, credit.TierRegulator} {
		b.Run(tier.String(), func(b *testing.B) {
			v := credit.Visibility{Tier: tier, AsOf: date("2024-06-01")}
			counter.n.Store(0)
			i := 0
			for b.Loop() {
				keys := []string{testUSCC("350102", (i*9)%5000)} // region 350102 holds every ninth
				i++
				if _, err := s.Enterprise(ctx, v, keys[0]); err != nil {
					b.Fatal(err)
				}
				if _, err := s.LicensesByUSCC(ctx, v, keys); err != nil {
					b.Fatal(err)
				}
				if _, err := s.PenaltiesByUSCC(ctx, v, keys); err != nil {
					b.Fatal(err)
				}
				if _, err := s.InspectionsByUSCC(ctx, v, keys); err != nil {
					b.Fatal(err)
				}
				for _, list := range []credit.ListKind{credit.ListAbnormal, credit.ListSerious} {
					if _, err := s.ListingsByUSCC(ctx, v, list, keys); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := s.CommitmentsByUSCC(ctx, v, keys); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(counter.n.Load())/float64(b.N), "statements/op")
		})
	}
}
