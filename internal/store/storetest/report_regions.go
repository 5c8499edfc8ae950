package storetest

import (
	"maps"
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// testReportRegions: the reports filter and group by the region of the
// enterprise, not the one its USCC was issued in, for enterprises that
// moved (the PostgreSQL store reads the region from the USCC except for
// them): into a region, out of it, and to another county of the same city.
func testReportRegions(t *testing.T, s store.Store) {
	stay := usccOf('1', "350203", 401)   // Xiamen Siming, never moved
	in := usccOf('1', "350102", 402)     // issued in Fuzhou, now in Xiamen Siming
	out := usccOf('1', "350203", 403)    // issued in Xiamen Siming, now in Fuzhou
	county := usccOf('1', "350203", 404) // issued in Siming, now in Xiamen Huli
	region := map[string]string{stay: "350203", in: "350203", out: "350102", county: "350206"}
	var records []any
	for i, u := range []string{stay, in, out, county} {
		n := string(rune('A' + i))
		records = append(records, with(enterprise(u), func(e *credit.Enterprise) { e.RegionCode = region[u] }),
			with(penalty(u, "R"+n+"1", "2024-01-10"), func(p *credit.Penalty) { p.FineAmount = yuan(200_000) }),
			with(penalty(u, "R"+n+"2", "2024-02-10"), func(p *credit.Penalty) { p.FineAmount = yuan(200_000) }),
			serious(u, "RS"+n, "2024-01-01"),
			abnormal(u, "RA"+n, "2024-02-01"),
			inspection(u, "RI"+n, "2024-03-01"))
	}
	mustApply(t, s, records...)
	for _, prefix := range []string{"35", "3501", "350102", "3502", "350203", "350206", "350205"} {
		var want []string
		for u, r := range region {
			if r[:len(prefix)] == prefix {
				want = append(want, u)
			}
		}
		slices.Sort(want)
		for _, v := range everyTier("2024-06-01") {
			what := v.Tier.String() + " region " + prefix
			st, err := s.Statistics(t.Context(), v, store.StatisticsFilter{RegionPrefix: prefix, From: dayPtr("2024-01-01"), To: dayPtr("2024-12-31")})
			if err != nil {
				t.Fatal(err)
			}
			n := len(want)
			if st.Penalties.Count != 2*n || st.Serious.Count != n || st.Abnormal.Count != n || st.Inspections.Count != n {
				t.Fatalf("%s: penalties %d, serious %d, abnormal %d, inspections %d; want %d, %d, %d, %d",
					what, st.Penalties.Count, st.Serious.Count, st.Abnormal.Count, st.Inspections.Count, 2*n, n, n, n)
			}
			byRegion := map[string]int{}
			for _, u := range want {
				byRegion[region[u]] += 2
			}
			got := map[string]int{}
			for _, b := range st.Penalties.ByRegion {
				got[b.Key] = b.Count
			}
			if !maps.Equal(got, byRegion) {
				t.Fatalf("%s: penalties by region %v, want %v", what, got, byRegion)
			}
			c, err := s.RepeatOffenders(t.Context(), v, store.RepeatOffenderFilter{MinPenalties: 2, RegionPrefix: prefix}, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			keys := repeatKeys(c)
			slices.Sort(keys)
			eqKeys(t, what+" repeat offenders", keys, want)
		}
	}
}
