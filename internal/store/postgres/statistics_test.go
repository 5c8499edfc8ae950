package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// Statistics read whole months of inspections from inspection_counts,
// abnormal listings' key areas from the listings, and the rest from the
// records: for random records (enterprises moved into, out of and within
// regions, inspections rewritten to other dates, results and enterprises,
// enterprises whose key areas change, listings moved to another
// enterprise), every combination of region, period (whole
// months, parts of months, open ends) and key area gives what the
// embedded store counts one by one.
func TestStatisticsMatchEmbedded(t *testing.T) {
	ctx := context.Background()
	policy := credit.NewPolicy(credit.DefaultSettings())
	pg := NewTestStore(t, policy)
	mem := memory.New(policy)
	r := rand.New(rand.NewPCG(7, 9))
	issued := []string{"350102", "350104", "350203", "350206", "350582"}
	areas := []credit.KeyArea{credit.AreaFoodProduction, credit.AreaCatering, credit.AreaSpecialEquipment}
	results := []credit.InspectionResult{credit.ResultNoIssue, credit.ResultNonCompliant, credit.ResultIssuesCorrected}
	b := &store.Batch{}
	var usccs []string
	for i := range 40 {
		u := testUSCC(issued[i%len(issued)], 500+i)
		e := enterprise(u, fmt.Sprintf("企业%d", i))
		if i%7 == 3 {
			e.RegionCode = issued[(i+2)%len(issued)] // moved
		}
		e.KeyAreas = []credit.KeyArea{areas[i%len(areas)]}
		usccs = append(usccs, u)
		b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: len(b.Enterprises) + 1, V: e})
	}
	day0 := date("2023-11-01")
	inspection := func(n int) credit.Inspection {
		in := credit.Inspection{USCC: usccs[r.IntN(len(usccs))], InspectionID: fmt.Sprintf("I-%04d", n),
			Kind: credit.InspectionRandomSpotCheck, InspectedOn: day0.AddDate(0, 0, r.IntN(600)), Authority: "市监局",
			Result: results[r.IntN(len(results))]}
		if r.IntN(4) > 0 {
			in.KeyArea = &areas[r.IntN(len(areas))]
		}
		return in
	}
	for n := range 600 {
		b.Inspections = append(b.Inspections, store.Line[credit.Inspection]{N: 100 + n, V: inspection(n)})
	}
	for n := range 120 {
		p := heavyPenalty(usccs[r.IntN(len(usccs))], fmt.Sprintf("P-%04d", n), day0.AddDate(0, 0, r.IntN(600)).Format(time.DateOnly))
		if n%5 == 0 {
			p.FineAmount = dec("3000.00") // three months
		}
		p.KeyArea = &areas[r.IntN(len(areas))]
		b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: 1000 + n, V: p})
	}
	for n := range 80 {
		list := credit.ListAbnormal
		if n%4 == 0 {
			list = credit.ListSerious
		}
		l := listing(list, usccs[r.IntN(len(usccs))], fmt.Sprintf("L-%04d", n), day0.AddDate(0, 0, r.IntN(600)).Format(time.DateOnly))
		if list == credit.ListAbnormal {
			l.ReasonCode = 1 + r.IntN(4)
		} else if r.IntN(2) == 0 {
			l.KeyArea = &areas[r.IntN(len(areas))]
		}
		b.Listings = append(b.Listings, store.Line[credit.Listing]{N: 2000 + n, V: l})
	}
	// A second batch rewrites some inspections (the counts' update path).
	again := &store.Batch{}
	for i, line := range b.Enterprises[:12] { // key areas change after their listings were written
		e := line.V
		e.KeyAreas = []credit.KeyArea{areas[(i+1)%len(areas)], credit.AreaDrug}
		again.Enterprises = append(again.Enterprises, store.Line[credit.Enterprise]{N: 900 + i, V: e})
	}
	for _, line := range b.Listings[:10] { // listings moved to another enterprise
		l := line.V
		l.USCC = usccs[(slices.Index(usccs, l.USCC)+5)%len(usccs)]
		again.Listings = append(again.Listings, store.Line[credit.Listing]{N: 950 + line.N, V: l})
	}
	for n := 0; n < 600; n += 9 {
		again.Inspections = append(again.Inspections, store.Line[credit.Inspection]{N: n + 1, V: inspection(n)})
	}
	for _, st := range []store.Store{pg, mem} {
		for _, batch := range []*store.Batch{b, again} {
			if rej, err := st.Apply(ctx, batch); err != nil || len(rej) > 0 {
				t.Fatalf("apply: %v %+v", err, rej)
			}
		}
	}
	d := func(s string) *time.Time { x := date(s); return &x }
	periods := [][2]*time.Time{{nil, nil}, {d("2024-01-01"), d("2024-12-31")}, {d("2024-01-15"), d("2024-03-10")},
		{d("2024-02-01"), d("2024-02-29")}, {d("2024-03-05"), d("2024-03-20")}, {d("2024-02-10"), nil}, {nil, d("2024-05-17")},
		{d("2024-04-30"), d("2024-06-01")}, {d("2025-01-01"), d("2025-01-31")}}
	checked, listed := 0, 0
	for _, prefix := range []string{"", "35", "3501", "350102", "3502", "350206", "350582"} {
		for _, per := range periods {
			for _, area := range []credit.KeyArea{"", credit.AreaCatering} {
				for _, tier := range []credit.Tier{credit.TierPublic, credit.TierRegulator} {
					v := credit.Visibility{Tier: tier, AsOf: date("2025-03-01")}
					f := store.StatisticsFilter{RegionPrefix: prefix, KeyArea: area, From: per[0], To: per[1]}
					got, err := pg.Statistics(ctx, v, f)
					if err != nil {
						t.Fatal(err)
					}
					want, err := mem.Statistics(ctx, v, f)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(norm(got), norm(want)) {
						t.Fatalf("%s %+v:\nPostgreSQL %+v\nembedded   %+v", tier, f, norm(got), norm(want))
					}
					checked += want.Inspections.Count
					listed += want.Abnormal.Count + want.Serious.Count
				}
			}
		}
	}
	if checked < 1000 || listed < 100 {
		t.Fatalf("only %d inspections and %d listings counted in all: the data is too thin to tell", checked, listed)
	}
}

// norm makes statistics comparable: decimals as strings, empty lists nil.
func norm(st store.Statistics) string {
	b := func(bs []store.Bucket) string {
		out := ""
		for _, x := range bs {
			out += fmt.Sprintf("%s:%d:%s ", x.Key, x.Count, x.TotalFines.StringFixed(2))
		}
		return out
	}
	l := func(s store.ListingStatistics) string {
		return fmt.Sprintf("%d [%s] [%s] [%s]", s.Count, b(s.ByMonth), b(s.ByKeyArea), b(s.ByReasonCode))
	}
	p := st.Penalties
	return fmt.Sprintf("penalties %d %s [%s] [%s] [%s] serious %s abnormal %s inspections %d %d [%s]", p.Count,
		p.TotalFines.StringFixed(2), b(p.ByMonth), b(p.ByViolationType), b(p.ByRegion), l(st.Serious), l(st.Abnormal),
		st.Inspections.Count, st.Inspections.NonCompliant, b(st.Inspections.ByResult))
}
